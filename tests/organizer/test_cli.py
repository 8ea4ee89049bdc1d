"""The organizer commands."""

import json

from sqlalchemy import select

from app.extensions import db
from app.organizer import service
from app.organizer.models import AuditEvent, CampaignGrant
from tests.organizer.conftest import ALICE, CAMPAIGN_X, PASSWORD, log_in
from tests.signing import add_signature


def test_organizer_create_prompts_for_the_password_twice(seeded, runner):
    result = runner.invoke(
        args=["organizer", "create", "Carol@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "carol@example.org created" in result.output
    assert PASSWORD not in result.output
    assert service.authenticate(db.session, "carol@example.org", PASSWORD) is not None


def test_organizer_create_refuses_a_short_password(seeded, runner):
    result = runner.invoke(
        args=["organizer", "create", "carol@example.org"], input="short\nshort\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_organizer_grant_gives_counts_only_unless_asked_for_signatures(organizers, runner):
    result = runner.invoke(args=["organizer", "grant", "bob@example.org", CAMPAIGN_X])
    assert result.exit_code == 0, result.output
    assert "counts only" in result.output
    result = runner.invoke(
        args=["organizer", "grant", "bob@example.org", CAMPAIGN_X, "--signatures"]
    )
    assert result.exit_code == 0, result.output
    bob = service.get_organizer_by_email(db.session, "bob@example.org")
    grant = db.session.scalar(
        select(CampaignGrant).where(
            CampaignGrant.organizer_id == bob.id,
            CampaignGrant.campaign.has(slug=CAMPAIGN_X),
        )
    )
    assert grant.can_export_signatures is True


def test_organizer_grant_names_what_is_unknown(organizers, runner):
    result = runner.invoke(args=["organizer", "grant", "bob@example.org", "no-such-campaign"])
    assert result.exit_code != 0
    assert "No campaign 'no-such-campaign'" in result.output


def test_organizer_revoke_takes_the_campaign_away(organizers, alice, runner):
    assert alice.get(f"/organizer/c/{CAMPAIGN_X}/").status_code == 200
    result = runner.invoke(args=["organizer", "revoke", ALICE, CAMPAIGN_X])
    assert result.exit_code == 0, result.output
    assert f"{ALICE} no longer sees {CAMPAIGN_X}." in result.output
    assert alice.get(f"/organizer/c/{CAMPAIGN_X}/").status_code == 404


def test_organizer_deactivate_ends_open_sessions_and_logins(organizers, alice, runner):
    result = runner.invoke(args=["organizer", "deactivate", ALICE])
    assert result.exit_code == 0, result.output
    assert alice.get(f"/organizer/c/{CAMPAIGN_X}/").status_code == 302
    assert log_in(alice, ALICE).status_code == 200  # the form again, not a login


def test_export_counts_writes_csv_or_json_and_an_audit_event(organizers, runner, tmp_path):
    add_signature(name="Kim Min-jun", country="KR")
    result = runner.invoke(args=["export", "counts", CAMPAIGN_X])
    assert result.exit_code == 0, result.output
    assert '"country","KR","1"' in result.output

    output = tmp_path / "counts.json"
    result = runner.invoke(
        args=["export", "counts", CAMPAIGN_X, "--format", "json", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(output.read_text())["by_country"] == [{"country": "KR", "confirmed": 1}]

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.organizer_id, e.detail) for e in events] == [
        ("export counts.csv", None, "command line"),
        ("export counts.json", None, "command line"),
    ]
