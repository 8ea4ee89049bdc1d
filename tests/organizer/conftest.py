"""Two organizers, each granted one seeded campaign, and a way to add signatures.

Signatures are written directly with the model: these tests are about what
organizers see of them, not about how they are made.
"""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.letters.models import Recipient
from app.organizer import service

CAMPAIGN_X = "stop-forced-returns"
CAMPAIGN_Y = "shenyang-seven"
ALICE = "alice@example.org"
BOB = "bob@example.org"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Argon2id still, with the smallest cost: the tests hash and verify often."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(service, "password_hasher", hasher)
    monkeypatch.setattr(service, "_DUMMY_HASH", hasher.hash("no account has this password"))


def campaign(slug: str) -> Campaign:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def recipient(key: str) -> Recipient:
    return db.session.scalar(select(Recipient).where(Recipient.key == key))


@pytest.fixture
def organizers(seeded):
    """Alice has campaign X with the signatures right; Bob has campaign Y, counts only."""
    service.create_organizer(db.session, ALICE, PASSWORD)
    service.create_organizer(db.session, BOB, PASSWORD)
    service.grant(db.session, ALICE, CAMPAIGN_X, can_export_signatures=True)
    service.grant(db.session, BOB, CAMPAIGN_Y)
    db.session.commit()
    return seeded


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/organizer/login", data={"email": email, "password": password})


@pytest.fixture
def alice(organizers, client):
    """A client logged in as Alice."""
    response = log_in(client, ALICE)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def bob(organizers, client):
    """A client logged in as Bob."""
    response = log_in(client, BOB)
    assert response.status_code == 302
    return client
