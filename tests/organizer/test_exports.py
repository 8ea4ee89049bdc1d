"""counts.csv, counts.json and signatures.csv, and the audit trail they leave."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.organizer.exports import neutralize
from app.organizer.models import AuditEvent
from app.signatures.models import INVALIDATED, PENDING, WITHDRAWN
from tests.organizer.conftest import ALICE, CAMPAIGN_X, campaign
from tests.signing import add_signature

BASE = f"/organizer/c/{CAMPAIGN_X}/"
INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR"]


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))


@pytest.fixture
def signatures(organizers):
    add_signature(name="Kim Min-jun", country="KR", recipient_key="cn-embassy-kr")
    add_signature(name="이서연", country="KR", include_in_delivery=False)
    add_signature(
        name="Jane Smith",
        country="GB",
        city="Leeds",
        recipient_key="cn-embassy-gb",
        confirmed_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
    )
    add_signature(name="Pending Person", status=PENDING)
    add_signature(name="Withdrawn Person", status=WITHDRAWN)
    add_signature(name="Invalidated Person", status=INVALIDATED)


def test_counts_csv_gives_totals_and_counts_by_country_day_and_recipient(signatures, alice):
    response = alice.get(BASE + "counts.csv")
    assert response.status_code == 200
    rows = {(r["breakdown"], r["key"]): int(r["signatures"]) for r in read_csv(response)}
    assert rows[("confirmed", "total")] == 3
    assert rows[("pending", "total")] == 1
    assert rows[("goal", "total")] == campaign(CAMPAIGN_X).goal
    assert rows[("country", "KR")] == 2 and rows[("country", "GB")] == 1
    assert rows[("day", "2026-11-03")] == 2 and rows[("day", "2026-11-05")] == 1
    assert sum(n for (kind, _), n in rows.items() if kind == "recipient") == 3


def test_counts_json_gives_the_same_figures(signatures, alice):
    data = json.loads(alice.get(BASE + "counts.json").get_data(as_text=True))
    assert data["campaign"] == CAMPAIGN_X
    assert (data["confirmed"], data["pending"]) == (3, 1)
    assert data["by_country"] == [
        {"country": "KR", "confirmed": 2},
        {"country": "GB", "confirmed": 1},
    ]
    assert data["by_day"] == [
        {"day": "2026-11-03", "confirmed": 2},
        {"day": "2026-11-05", "confirmed": 1},
    ]


def test_downloads_are_attachments_never_cached(signatures, alice):
    for name in ("counts.csv", "counts.json", "signatures.csv"):
        response = alice.get(BASE + name)
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="{CAMPAIGN_X}-{name}"'
        assert response.headers["Cache-Control"] == "no-store"


def test_signatures_csv_holds_confirmed_signatures_with_what_a_delivery_needs(signatures, alice):
    rows = read_csv(alice.get(BASE + "signatures.csv"))
    assert [r["name"] for r in rows] == ["Kim Min-jun", "", "Jane Smith"]
    assert list(rows[0]) == [
        "name",
        "country",
        "recipient",
        "confirmed_on",
        "include_in_delivery",
        "show_name",
    ]
    assert rows[2] == {
        "name": "Jane Smith",
        "country": "GB",
        "recipient": "cn-embassy-gb",
        "confirmed_on": "2026-11-05",
        "include_in_delivery": "yes",
        "show_name": "no",
    }
    assert rows[1]["include_in_delivery"] == "no"


def test_the_export_never_holds_a_signers_town(signatures, alice):
    rows = read_csv(alice.get(BASE + "signatures.csv"))
    assert "city" not in rows[0]
    assert "Leeds" not in alice.get(BASE + "signatures.csv").get_data(as_text=True)


def test_signers_who_did_not_choose_the_delivery_are_counted_but_not_named(signatures, alice):
    rows = read_csv(alice.get(BASE + "signatures.csv"))
    unnamed = [r for r in rows if r["include_in_delivery"] == "no"]
    assert unnamed and all(r["name"] == "" for r in unnamed)
    assert all(r["country"] for r in unnamed)
    body = alice.get(BASE + "signatures.csv").get_data(as_text=True)
    assert "이서연" not in body


def test_pending_withdrawn_and_invalidated_signatures_are_never_exported(signatures, alice):
    body = alice.get(BASE + "signatures.csv").get_data(as_text=True)
    for name in ("Pending Person", "Withdrawn Person", "Invalidated Person"):
        assert name not in body
    assert "@example.net" not in body


@pytest.mark.parametrize("name", INJECTIONS)
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_neutralized(organizers, alice, name):
    add_signature(name=name)
    rows = read_csv(alice.get(BASE + "signatures.csv"))
    assert rows[0]["name"] == "'" + name


def test_neutralize_leaves_ordinary_text_alone():
    assert neutralize("Kim Min-jun") == "Kim Min-jun"
    assert neutralize("이서연") == "이서연"
    assert neutralize(None) == ""
    assert neutralize(12) == "12"
    assert neutralize("-2") == "'-2"


def audit_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_each_export_writes_exactly_one_audit_event_without_signer_data(signatures, alice):
    for name in ("counts.csv", "counts.json", "signatures.csv"):
        alice.get(BASE + name).get_data()
    events = audit_events()
    assert [e.action for e in events] == [
        "export counts.csv",
        "export counts.json",
        "export signatures.csv",
    ]
    for event in events:
        assert event.organizer.email == ALICE
        assert event.campaign_id == campaign(CAMPAIGN_X).id
        assert event.created_at is not None
        recorded = f"{event.action} {event.detail}"
        assert "Kim" not in recorded and "@example.net" not in recorded


def test_the_dashboard_lists_the_audit_trail(signatures, alice):
    alice.get(BASE + "counts.csv")
    html = alice.get(BASE).get_data(as_text=True)
    trail = html[html.index('id="audit-events"') :]
    assert "export counts.csv" in trail
    assert ALICE in trail


def test_a_refused_export_writes_no_audit_event(signatures, bob):
    bob.get(BASE + "signatures.csv")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_signatures_export_leaves_in_pieces_of_many_lines_not_line_by_line(
    signatures, alice, monkeypatch
):
    from app.organizer import exports

    whole = alice.get(BASE + "signatures.csv").get_data(as_text=True)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    pieces = list(exports.signatures_csv_lines(db.session, campaign(CAMPAIGN_X)))
    # The header and three confirmed signatures: two pieces of two lines.
    assert [piece.count("\r\n") for piece in pieces] == [2, 2]
    assert "".join(pieces) == whole
