import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select

from app.extensions import db
from app.organizer import service
from app.organizer.models import CampaignGrant, Organizer
from tests.organizer.conftest import ALICE, BOB, CAMPAIGN_X, CAMPAIGN_Y, PASSWORD, campaign

# Taken before the fixtures swap in a cheaper hasher for speed.
APP_HASHER = service.password_hasher


def test_the_app_hashes_passwords_with_argon2id_at_the_library_defaults():
    assert APP_HASHER.type is Type.ID
    assert APP_HASHER.memory_cost == PasswordHasher().memory_cost


def test_a_password_is_stored_as_an_argon2id_hash(organizers):
    organizer = db.session.scalar(select(Organizer).where(Organizer.email == ALICE))
    assert organizer.password_hash.startswith("$argon2id$")
    assert PASSWORD not in organizer.password_hash


def test_authenticate_accepts_the_right_password_only(organizers):
    assert service.authenticate(db.session, ALICE, PASSWORD).email == ALICE
    assert service.authenticate(db.session, " Alice@Example.org ", PASSWORD).email == ALICE
    assert service.authenticate(db.session, ALICE, "wrong password here") is None
    assert service.authenticate(db.session, "nobody@example.org", PASSWORD) is None


def test_an_inactive_organizer_cannot_authenticate(organizers):
    db.session.scalar(select(Organizer).where(Organizer.email == ALICE)).active = False
    db.session.commit()
    assert service.authenticate(db.session, ALICE, PASSWORD) is None


def test_an_unknown_email_costs_a_password_check_as_dear_as_a_known_one(
    organizers, monkeypatch
):
    checked = []

    class RecordingHasher(PasswordHasher):
        def verify(self, hash, password):
            checked.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(service, "password_hasher", RecordingHasher(memory_cost=8, time_cost=1))
    service.authenticate(db.session, "nobody@example.org", PASSWORD)
    alice = db.session.scalar(select(Organizer).where(Organizer.email == ALICE))
    # One verification, of a hash made with the same cost as a real account's,
    # so the answer's timing does not tell whether the address has an account.
    assert len(checked) == 1
    assert extract_parameters(checked[0]) == extract_parameters(alice.password_hash)


def test_creating_an_organizer_twice_or_with_a_short_password_is_refused(organizers):
    with pytest.raises(service.OrganizerError, match="already exists"):
        service.create_organizer(db.session, ALICE.upper(), PASSWORD)
    with pytest.raises(service.OrganizerError, match="at least"):
        service.create_organizer(db.session, "carol@example.org", "short")


def test_an_organizer_sees_only_the_campaigns_granted_to_them(organizers):
    alice = service.get_organizer_by_email(db.session, ALICE)
    bob = service.get_organizer_by_email(db.session, BOB)
    assert [c.slug for c in service.granted_campaigns(db.session, alice)] == [CAMPAIGN_X]
    assert service.granted_campaign(db.session, alice, CAMPAIGN_Y) is None
    assert service.granted_campaign(db.session, bob, CAMPAIGN_X) is None
    granted = service.granted_campaign(db.session, bob, CAMPAIGN_Y)
    assert granted.campaign.slug == CAMPAIGN_Y
    assert granted.can_export_signatures is False


def test_granting_again_updates_the_signatures_right_without_a_second_grant(organizers):
    service.grant(db.session, BOB, CAMPAIGN_Y, can_export_signatures=True)
    db.session.commit()
    grants = db.session.scalars(
        select(CampaignGrant).where(CampaignGrant.campaign_id == campaign(CAMPAIGN_Y).id)
    ).all()
    assert [g.can_export_signatures for g in grants] == [True]


def test_granting_an_unknown_campaign_or_organizer_is_refused(organizers):
    with pytest.raises(service.OrganizerError, match="No campaign"):
        service.grant(db.session, ALICE, "no-such-campaign")
    with pytest.raises(service.OrganizerError, match="No organizer"):
        service.grant(db.session, "nobody@example.org", CAMPAIGN_X)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "password1234", "qwertyuiop123", "alice@example.org1"]
)
def test_a_password_that_is_easy_to_guess_is_refused_with_advice(seeded, password):
    with pytest.raises(service.OrganizerError, match="too easy to guess") as refused:
        service.create_organizer(db.session, "alice@example.org", password)
    assert len(str(refused.value)) > len("This password is too easy to guess. ")


@pytest.mark.parametrize(
    "email", ["@", "alice@", "@example.org", "alice example.org", "a\x00@b.org"]
)
def test_an_organizer_email_is_checked_as_the_sign_form_checks_a_signers(seeded, email):
    with pytest.raises(service.OrganizerError, match="is not an email address"):
        service.create_organizer(db.session, email, PASSWORD)


def test_an_organizer_email_is_kept_in_lower_case(seeded):
    organizer = service.create_organizer(db.session, " Carol@Example.ORG ", PASSWORD)
    assert organizer.email == "carol@example.org"
