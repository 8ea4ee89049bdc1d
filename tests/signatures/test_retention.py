from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.campaigns.service import get_campaign
from app.database import transaction
from app.extensions import db
from app.signatures.models import Signature, SignatureToken
from app.signatures.retention import delete_packs_of, run_retention
from app.signatures.tokens import hash_token
from tests.signing import (
    CLOSED_SLUG,
    OPEN_SLUG,
    add_signature,
    fresh_session,
    queued_mail,
    text_anywhere_in_the_database,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CLOSED_SIGNING = datetime(2025, 12, 1, tzinfo=UTC)  # while the 2012 archive campaign ran


def run(days_after_close=90, pack_folder=None):
    """Retention as the daily job runs it: the erasure, committed; then the pack files."""
    with transaction(db.session):
        report = run_retention(db.session, now=NOW, days_after_close=days_after_close)
    if pack_folder is not None:
        with transaction(db.session):
            delete_packs_of(db.session, pack_folder, report.campaign_ids)
    return report


def add_pending(email, link_expires_at):
    signature = add_signature(email=email, status="pending")
    db.session.add(
        SignatureToken(
            signature=signature, token_hash=hash_token(email), expires_at=link_expires_at
        )
    )
    db.session.commit()


def test_unconfirmed_signatures_whose_links_all_expired_are_deleted(seeded):
    add_pending("old@x.org", link_expires_at=NOW - timedelta(days=1))
    add_pending("new@x.org", link_expires_at=NOW + timedelta(days=1))
    add_signature(email="kept@x.org", created_at=NOW - timedelta(days=200))

    assert run().expired_pending_deleted == 1

    emails = {s.email for s in fresh_session().scalars(select(Signature))}
    assert emails == {"new@x.org", "kept@x.org"}


def test_long_closed_campaigns_keep_their_counts_but_not_the_signers_details(seeded, client):
    campaign = get_campaign(db.session, CLOSED_SLUG)  # closed on 2025-12-31
    assert campaign.closes_on < (NOW.date() - timedelta(days=90))
    add_signature(CLOSED_SLUG, email="a@x.org", message="words", created_at=CLOSED_SIGNING)
    before = client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json()

    report = run()

    assert (report.campaigns_anonymized, report.signatures_anonymized) == (1, 1)
    signature = fresh_session().scalar(select(Signature))
    assert (signature.name, signature.email, signature.city, signature.message) == (None,) * 4
    assert signature.include_in_delivery is False and signature.show_name is False
    assert client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json() == before


def test_open_campaigns_and_recently_closed_ones_are_left_alone(seeded):
    add_signature(OPEN_SLUG, email="a@x.org")
    add_signature(CLOSED_SLUG, email="b@x.org", created_at=CLOSED_SIGNING)
    run(days_after_close=10_000)
    emails = {s.email for s in fresh_session().scalars(select(Signature))}
    assert emails == {"a@x.org", "b@x.org"}


def test_a_second_run_erases_nothing_more(seeded):
    add_signature(CLOSED_SLUG, email="a@x.org", created_at=CLOSED_SIGNING)
    run()
    assert run().signatures_anonymized == 0


def test_the_retention_command_reports_what_it_erased(seeded, runner):
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert "expired unconfirmed signatures deleted" in result.output


# Details no seed holds, so finding them anywhere means they were left behind.
NAME, CITY, MESSAGE = "Qorvath Idrelle", "Vexmoor", "unmistakable plea 7731"


def add_signature_with_queued_mail(slug, email, **kwargs):
    from app.outbox.service import enqueue

    signature = add_signature(slug, name=NAME, email=email, city=CITY, message=MESSAGE, **kwargs)
    enqueue(
        db.session, email, "Confirm your signature", f"Dear {NAME},\n...", signature_id=signature.id
    )
    db.session.commit()
    return signature


def test_retention_leaves_no_signer_details_anywhere_in_the_database_outbox_included(seeded):
    add_signature_with_queued_mail(CLOSED_SLUG, "erased@x.org", created_at=CLOSED_SIGNING)
    assert text_anywhere_in_the_database(NAME, "erased@x.org")  # the check can see them

    run()

    assert text_anywhere_in_the_database(NAME, CITY, MESSAGE, "erased@x.org") == []


def test_an_expired_unconfirmed_signature_takes_its_queued_mail_with_it(seeded):
    signature = add_signature_with_queued_mail(OPEN_SLUG, "expired@x.org", status="pending")
    db.session.add(
        SignatureToken(
            signature=signature, token_hash=hash_token("x"), expires_at=NOW - timedelta(days=1)
        )
    )
    db.session.commit()

    assert run().expired_pending_deleted == 1

    assert text_anywhere_in_the_database(NAME, CITY, MESSAGE, "expired@x.org") == []


def test_retention_keeps_queued_mail_of_signers_it_does_not_erase(seeded):
    add_signature_with_queued_mail(OPEN_SLUG, "kept@x.org")
    run()
    assert [m.to_address for m in queued_mail()] == ["kept@x.org"]


def test_retention_deletes_the_delivery_pack_files_of_the_campaigns_it_erases(seeded, tmp_path):
    from app.organizer.pack_jobs import READY, DeliveryPackJob

    campaign = get_campaign(db.session, CLOSED_SLUG)
    pack = tmp_path / "pack-1-abc.pdf"
    pack.write_bytes(b"%PDF names")
    db.session.add(
        DeliveryPackJob(
            campaign_id=campaign.id,
            recipient_id=campaign.recipients[0].id,
            status=READY,
            file_name=pack.name,
            expires_at=NOW + timedelta(hours=1),
        )
    )
    add_signature(CLOSED_SLUG, email="a@x.org", created_at=CLOSED_SIGNING)
    db.session.commit()

    run(pack_folder=tmp_path)

    assert not pack.exists()
