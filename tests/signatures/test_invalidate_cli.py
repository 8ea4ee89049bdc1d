"""`flask signatures invalidate SLUG FILE`: organizers take fraudulent
signatures out from the server's command line."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.campaigns.service import get_campaign
from app.database import transaction, utcnow
from app.extensions import db
from app.organizer.models import AuditEvent
from app.organizer.pack_jobs import READY, DeliveryPackJob
from app.signatures.models import Signature
from tests.signatures.test_invalidation import counts, sign, sign_and_confirm
from tests.signing import OPEN_SLUG, fresh_session

FAKES = ("bot-1@example.org", "bot-2@example.org")
PENDING_FAKE = "bot-3@example.org"


@pytest.fixture
def app_overrides(tmp_path):
    return {"DELIVERY_PACK_DIR": tmp_path / "packs"}


@pytest.fixture
def fakes(seeded, client):
    """Two confirmed fakes, a pending one, and a real signer."""
    for email in FAKES:
        sign_and_confirm(client, email)
    sign(client, PENDING_FAKE)
    sign_and_confirm(client, "real@example.org")
    assert counts(client)["total"] == 3
    return seeded


def address_file(tmp_path, *lines: str):
    path = tmp_path / "fakes.txt"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def invalidate(runner, *args: str, input: str | None = None):
    return runner.invoke(args=["signatures", "invalidate", *args], input=input)


def statuses() -> list[str]:
    return sorted(s.status for s in fresh_session().scalars(select(Signature)))


def audit_events() -> list[AuditEvent]:
    return list(fresh_session().scalars(select(AuditEvent)))


def test_the_command_invalidates_the_listed_signatures_and_says_what_it_did(
    fakes, runner, client, tmp_path
):
    listed = address_file(
        tmp_path, "# seen on 2 December", *FAKES, "", PENDING_FAKE, "nobody@example.org"
    )

    result = invalidate(runner, OPEN_SLUG, listed)

    assert result.exit_code == 0, result.output
    assert result.output == (
        "3 signatures invalidated (2 were confirmed and have left the counts); "
        "1 address matched no signature.\n"
    )
    assert statuses() == ["confirmed", "invalidated", "invalidated", "invalidated"]
    assert counts(client)["total"] == 1


def test_one_signature_is_reported_in_the_singular(fakes, runner, tmp_path):
    result = invalidate(runner, OPEN_SLUG, address_file(tmp_path, FAKES[0]))
    assert result.output == "1 signature invalidated (1 was confirmed and has left the counts).\n"


def test_the_audit_trail_keeps_the_numbers_and_never_an_address(fakes, runner, tmp_path):
    invalidate(runner, OPEN_SLUG, address_file(tmp_path, *FAKES, "nobody@example.org"))

    [event] = audit_events()
    assert (event.action, event.organizer_id) == ("invalidate signatures", None)
    assert event.campaign_id == get_campaign(fresh_session(), OPEN_SLUG).id
    assert event.detail == (
        "invalidated 2 (2 confirmed), not found 1, already out 0; command line"
    )


def test_addresses_can_come_from_standard_input(fakes, runner, client):
    result = invalidate(runner, OPEN_SLUG, "-", input="\n".join(FAKES) + "\n")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 signatures invalidated")
    assert counts(client)["total"] == 1


def test_a_line_that_is_not_an_address_stops_the_command_and_writes_nothing(
    fakes, runner, client, tmp_path
):
    listed = address_file(tmp_path, *FAKES, "Kim Min-ji <kim-at-example.org>")

    result = invalidate(runner, OPEN_SLUG, listed)

    assert result.exit_code == 1
    assert "Line 3 of" in result.output and "is not an email address" in result.output
    assert "nothing was changed" in result.output
    assert "Kim" not in result.output and "bot-1" not in result.output
    assert counts(client)["total"] == 3
    assert "invalidated" not in statuses()
    assert audit_events() == []


def test_a_file_that_is_not_text_writes_nothing(fakes, runner, client, tmp_path):
    path = tmp_path / "fakes.bin"
    path.write_bytes(FAKES[0].encode() + b"\n\xff\xfe\n")

    result = invalidate(runner, OPEN_SLUG, str(path))

    assert result.exit_code == 1
    assert "is not UTF-8 text; nothing was changed" in result.output
    assert counts(client)["total"] == 3


def test_an_unknown_campaign_is_a_clear_error(fakes, runner, tmp_path):
    result = invalidate(runner, "no-such-campaign", address_file(tmp_path, *FAKES))

    assert result.exit_code == 1
    assert "No campaign 'no-such-campaign'." in result.output
    assert "invalidated" not in statuses()


def test_a_dry_run_reports_the_same_numbers_and_changes_nothing(fakes, runner, client, tmp_path):
    listed = address_file(tmp_path, *FAKES, PENDING_FAKE, "nobody@example.org")

    result = invalidate(runner, OPEN_SLUG, listed, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Dry run, nothing changed: 3 signatures would be invalidated "
        "(2 are confirmed and would leave the counts); 1 address matches no signature.\n"
    )
    assert counts(client)["total"] == 3
    assert "invalidated" not in statuses()
    assert audit_events() == []
    assert invalidate(runner, OPEN_SLUG, listed).output.startswith("3 signatures invalidated")


def add_ready_pack(app) -> None:
    folder = app.config["DELIVERY_PACK_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack-1-abc.pdf").write_bytes(b"%PDF names")
    with transaction(db.session):
        campaign = get_campaign(db.session, OPEN_SLUG)
        db.session.add(
            DeliveryPackJob(
                campaign_id=campaign.id,
                recipient_id=campaign.recipients[0].id,
                status=READY,
                file_name="pack-1-abc.pdf",
                expires_at=utcnow() + timedelta(hours=1),
            )
        )


def test_packs_built_before_a_confirmed_signature_was_invalidated_are_deleted(
    fakes, runner, tmp_path
):
    # They name and count the fakes: delivering one would deliver them.
    add_ready_pack(fakes)

    result = invalidate(runner, OPEN_SLUG, address_file(tmp_path, FAKES[0]))

    assert "1 delivery pack built before deleted; build it again" in result.output
    assert not (fakes.config["DELIVERY_PACK_DIR"] / "pack-1-abc.pdf").exists()
    assert fresh_session().scalars(select(DeliveryPackJob.status)).one() == "expired"


def test_packs_stay_when_only_pending_signatures_were_invalidated(fakes, runner, tmp_path):
    add_ready_pack(fakes)

    result = invalidate(runner, OPEN_SLUG, address_file(tmp_path, PENDING_FAKE))

    assert "delivery pack" not in result.output
    assert (fakes.config["DELIVERY_PACK_DIR"] / "pack-1-abc.pdf").exists()
