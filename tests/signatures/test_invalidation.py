"""Organizers invalidate fraudulent signatures: out of every count, list and
export, nothing of the signer kept, its links dead.

Signatures are made through the sign form, so their canonical addresses are
the ones signing stores.
"""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.campaigns.service import get_campaign
from app.database import transaction, utcnow
from app.extensions import db
from app.organizer.delivery import pack_contents, signatory_entries
from app.organizer.exports import signatures_csv_lines
from app.organizer.pack_jobs import DeliveryPackJob
from app.signatures import invalidation
from app.signatures.counts import campaign_tally, count_confirmed, count_pending
from app.signatures.invalidation import (
    InvalidationReport,
    NotAnAddress,
    addresses_in,
    invalidate_signatures,
)
from app.signatures.models import WITHDRAWN, Signature
from app.signatures.rollups import advance_rollups, check_rollups
from app.signatures.service import confirm, withdraw
from tests.signing import (
    OPEN_SLUG,
    add_signature,
    form_data,
    fresh_session,
    links_in,
    queued_mail,
    sign_and_confirm,
    text_anywhere_in_the_database,
)

# Details no seed holds, so finding them anywhere means they were left behind.
NAME, CITY, MESSAGE = "Qorvath Idrelle", "Vexmoor", "unmistakable plea 7731"
FAKE = "fake.signer@example.org"
REAL = "real.signer@example.org"


def sign(client, email: str, **changes) -> dict[str, str]:
    """Sign through the form; the links of the mail it queued, the latest."""
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email=email, **changes))
    assert response.status_code == 303
    return links_in(queued_mail()[-1].body)


def invalidate(*emails: str, dry_run: bool = False) -> InvalidationReport:
    """As the command does: in one transaction, which commits."""
    session = fresh_session()
    with transaction(session):
        campaign = get_campaign(session, OPEN_SLUG)
        return invalidate_signatures(session, campaign, emails, dry_run=dry_run)


def counts(client) -> dict:
    return client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()


def signature_of(email: str) -> Signature:
    return fresh_session().scalar(select(Signature).where(Signature.email == email))


def only_signature() -> Signature:
    return fresh_session().scalars(select(Signature)).one()


def campaign_id() -> int:
    return get_campaign(fresh_session(), OPEN_SLUG).id


def test_a_confirmed_signature_invalidated_leaves_every_count(seeded, client):
    sign_and_confirm(client, FAKE, country="GB")
    sign_and_confirm(client, REAL, country="KR")
    assert counts(client)["total"] == 2

    report = invalidate(FAKE)

    assert report == InvalidationReport(invalidated=1, were_confirmed=1)
    public = counts(client)
    assert public["total"] == 1
    assert "GB" not in str(public["by_country"])
    tally = campaign_tally(fresh_session(), campaign_id())
    assert (tally.confirmed, [code for code, _ in tally.by_country]) == (1, ["KR"])
    assert count_confirmed(fresh_session(), campaign_id()) == 1
    # Folded into the rollup, the count is the same; a full recount agrees.
    advance_rollups(fresh_session())
    assert counts(client) == public
    assert check_rollups(fresh_session()).repaired == []


def test_an_invalidated_signature_keeps_nothing_of_its_signer_and_says_when_it_left(
    seeded, client
):
    sign_and_confirm(client, FAKE, name=NAME, city=CITY, message=MESSAGE)
    assert text_anywhere_in_the_database(NAME, FAKE)  # the check can see them

    invalidate(FAKE)

    assert text_anywhere_in_the_database(NAME, CITY, MESSAGE, FAKE) == []
    signature = only_signature()
    assert signature.status == "invalidated"
    assert signature.invalidated_at is not None and signature.withdrawn_at is None
    assert (signature.email_canonical, signature.country) == (None, None)
    assert (signature.show_name, signature.include_in_delivery) == (False, False)


def test_an_invalidated_signers_name_leaves_the_campaign_page(seeded, client):
    sign_and_confirm(client, FAKE, name=NAME, show_name="y")
    assert NAME in client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)

    invalidate(FAKE)

    assert NAME not in client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)


def test_an_invalidated_signature_is_in_neither_signatures_csv_nor_the_delivery_pack(
    seeded, client
):
    sign_and_confirm(client, FAKE, name=NAME, include_in_delivery="y")
    sign_and_confirm(client, REAL, name="Kept Signer", include_in_delivery="y")
    recipient = signature_of(REAL).recipient
    assert signature_of(FAKE).recipient == recipient

    invalidate(FAKE)

    session = fresh_session()
    campaign = get_campaign(session, OPEN_SLUG)
    export = "".join(signatures_csv_lines(session, campaign))
    assert "Kept Signer" in export and NAME not in export
    entries = list(signatory_entries(session, campaign, recipient))
    assert len(entries) == 1 and "Kept Signer" in entries[0]
    contents = pack_contents(session, campaign, recipient, on=campaign.opens_on)
    assert (contents.campaign_total, sum(c.signatures for c in contents.by_country)) == (1, 1)


def test_after_invalidation_the_emailed_links_answer_404(seeded, client):
    links = sign_and_confirm(client, FAKE)

    invalidate(FAKE)

    for path in (links["confirm"], links["withdraw"], links["letter"]):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)


def test_mail_still_queued_about_an_invalidated_signature_is_dropped(seeded, client):
    sign(client, FAKE)
    sign(client, REAL)
    assert queued_mail(FAKE)

    invalidate(FAKE)

    assert queued_mail(FAKE) == []
    assert queued_mail(REAL)


def test_a_pending_signature_invalidated_never_counts_even_if_its_link_is_used(seeded, client):
    links = sign(client, FAKE)

    assert invalidate(FAKE) == InvalidationReport(invalidated=1, were_confirmed=0)

    assert client.post(links["confirm"]).status_code == 404
    assert only_signature().status == "invalidated"
    assert counts(client)["total"] == 0
    assert count_pending(fresh_session(), campaign_id()) == 0


def test_a_confirmation_made_after_the_look_up_is_taken_out_of_the_counts(
    seeded, client, monkeypatch
):
    sign(client, FAKE)
    look_up = invalidation._statuses_of

    def look_up_then_confirm(session, campaign_id, canonical):
        found = look_up(session, campaign_id, canonical)  # it was pending
        confirm(session, session.scalars(select(Signature)).one())
        return found

    monkeypatch.setattr(invalidation, "_statuses_of", look_up_then_confirm)

    report = invalidate(FAKE)

    # The status under the row's lock decides, not the one looked up.
    assert report == InvalidationReport(invalidated=1, were_confirmed=1)
    assert counts(client)["total"] == 0
    assert check_rollups(fresh_session()).repaired == []


def test_addresses_are_matched_as_signing_matches_them(seeded, client):
    sign_and_confirm(client, "Min.Ji+petition@Gmail.com")

    report = invalidate("minji@googlemail.com")

    assert report.invalidated == 1
    assert counts(client)["total"] == 0


def test_addresses_of_no_signature_are_counted_not_refused(seeded, client):
    sign_and_confirm(client, FAKE)
    withdrawn = sign_and_confirm(client, "withdrawn@example.org")
    client.post(withdrawn["withdraw"])

    report = invalidate(FAKE, "nobody@example.org", "withdrawn@example.org")

    # Withdrawal erased the address, so a withdrawn signature matches nothing.
    assert report == InvalidationReport(invalidated=1, were_confirmed=1, not_found=2)


def test_a_signature_already_out_that_still_has_its_address_is_counted_and_left_as_it_is(seeded):
    # Written straight to the database: withdrawal erases the address, so
    # only rows from elsewhere (an import) can be like this.
    add_signature(email="kept@example.org", status=WITHDRAWN)

    assert invalidate("kept@example.org") == InvalidationReport(already_out=1)

    assert only_signature().status == "withdrawn"


def test_an_address_named_twice_counts_once(seeded, client):
    sign_and_confirm(client, FAKE)

    report = invalidate(FAKE, FAKE.upper(), "fake.signer+again@example.org")

    assert report == InvalidationReport(invalidated=1, were_confirmed=1)


def test_the_same_address_on_another_campaign_is_left_alone(seeded, client):
    add_signature("shenyang-seven", email=FAKE)
    sign_and_confirm(client, FAKE)

    invalidate(FAKE)

    other = signature_of(FAKE)
    assert (other.campaign.slug, other.status) == ("shenyang-seven", "confirmed")


def test_the_same_address_may_sign_again_and_must_confirm_again(seeded, client):
    # Invalidation erases the address like withdrawal, so nothing remembers
    # it: its owner, whose address a fraudster may have used, can still sign,
    # and a bot signing again is pending until the address confirms by mail.
    # Keeping the address to refuse it would keep signer data the erasure
    # promises to drop.
    sign_and_confirm(client, FAKE)
    invalidate(FAKE)

    links = sign(client, FAKE)

    mail = queued_mail(FAKE)
    assert len(mail) == 1 and mail[0].subject.startswith("Confirm your signature")
    statuses = sorted(s.status for s in fresh_session().scalars(select(Signature)))
    assert statuses == ["invalidated", "pending"]
    assert counts(client)["total"] == 0
    client.post(links["confirm"])
    assert counts(client)["total"] == 1


def test_a_dry_run_reports_the_same_numbers_and_changes_nothing(seeded, client):
    sign_and_confirm(client, FAKE)
    sign(client, "pending@example.org")
    emails = (FAKE, "pending@example.org", "nobody@example.org")

    preview = invalidate(*emails, dry_run=True)

    assert preview == InvalidationReport(invalidated=2, were_confirmed=1, not_found=1)
    assert counts(client)["total"] == 1
    assert sorted(s.status for s in fresh_session().scalars(select(Signature))) == [
        "confirmed",
        "pending",
    ]
    assert queued_mail(FAKE)
    assert invalidate(*emails) == preview


def test_an_address_list_skips_blank_lines_and_comments():
    lines = ["# bots seen on 2 December\n", "\n", "  a@example.org \r\n", "B@Example.org"]
    assert addresses_in(lines) == ["a@example.org", "B@example.org"]


def test_an_address_list_names_the_first_line_that_is_no_address_and_not_its_text():
    with pytest.raises(NotAnAddress) as refused:
        addresses_in(["a@example.org", "# note", "Kim Min-ji <kim@example.org", "also bad"])
    assert refused.value.line_number == 3
    assert "Kim" not in str(refused.value)


def test_an_invalidated_signature_is_not_withdrawn_after(seeded, client):
    # Withdrawal and invalidation share their steps; a signature that has
    # left stays as it left.
    sign_and_confirm(client, FAKE)
    invalidate(FAKE)
    left_at = only_signature().invalidated_at

    with transaction(db.session):
        withdraw(db.session, only_signature())

    signature = only_signature()
    assert (signature.status, signature.invalidated_at) == ("invalidated", left_at)
    assert signature.withdrawn_at is None
    assert counts(client)["total"] == 0


def test_a_signer_withdrawing_during_an_invalidation_never_deadlocks_with_it(seeded, client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: nothing to deadlock")
    for email in (FAKE, REAL):
        sign_and_confirm(client, email, include_in_delivery="y")
    fake, real = signature_of(FAKE), signature_of(REAL)
    session = fresh_session()
    with transaction(session):
        pack = DeliveryPackJob(
            campaign_id=fake.campaign_id,
            recipient_id=fake.recipient_id,
            status="ready",
            expires_at=utcnow() + timedelta(hours=1),
        )
        session.add(pack)
    pack_id, engine = pack.id, db.engine
    reports = []

    def invalidate_both():
        with Session(engine) as other, transaction(other):
            campaign = get_campaign(other, OPEN_SLUG)
            reports.append(invalidate_signatures(other, campaign, [FAKE, REAL]))

    # The real signer's withdrawal has locked their row, as `take_out` does,
    # when the invalidation starts, and goes on to the campaign's packs.
    with engine.connect() as withdrawal:
        withdrawal.execute(
            select(Signature.id).where(Signature.id == real.id).with_for_update()
        ).all()
        invalidating = threading.Thread(target=invalidate_both)
        invalidating.start()
        time.sleep(0.5)  # the invalidation now waits for the real signer's row
        withdrawal.execute(text("SET LOCAL lock_timeout = '3s'"))
        # Waits for no one: the invalidation holds no pack yet.
        withdrawal.execute(
            update(DeliveryPackJob).where(DeliveryPackJob.id == pack_id).values(names_done=0)
        )
        withdrawal.commit()
    invalidating.join(timeout=30)

    assert [(r.invalidated, r.were_confirmed) for r in reports] == [(2, 2)]


def test_packs_built_or_being_built_stop_being_offered_when_confirmed_fakes_leave(seeded, client):
    # Not named in any pack, but counted in every one.
    sign_and_confirm(client, FAKE)
    fake = signature_of(FAKE)
    session = fresh_session()
    with transaction(session):
        for status in ("building", "ready"):
            session.add(
                DeliveryPackJob(
                    campaign_id=fake.campaign_id,
                    recipient_id=fake.recipient_id,
                    status=status,
                    expires_at=utcnow() + timedelta(hours=1) if status == "ready" else None,
                )
            )

    invalidate(FAKE)

    now = utcnow()
    packs = fresh_session().scalars(select(DeliveryPackJob)).all()
    assert [pack.expires_at is not None and pack.expires_at <= now for pack in packs] == [
        True,
        True,
    ]
