"""Imports every area's models, so the metadata knows every table.

Alembic's autogenerate and the schema tests read Base.metadata; this module is
where a new area registers its models.
"""

from app.campaigns.models import Campaign, campaign_facts, campaign_recipients
from app.database import Base
from app.facts.models import Article, Fact
from app.letters.models import Recipient
from app.organizer.models import AuditEvent, CampaignGrant, Organizer
from app.organizer.pack_jobs import DeliveryPackJob
from app.outbox.models import OutboxMessage
from app.signatures.models import CountChange, CountRollup, Signature, SignatureToken

__all__ = [
    "Base",
    "Article",
    "Fact",
    "Recipient",
    "Campaign",
    "campaign_facts",
    "campaign_recipients",
    "OutboxMessage",
    "Signature",
    "SignatureToken",
    "CountChange",
    "CountRollup",
    "Organizer",
    "CampaignGrant",
    "AuditEvent",
    "DeliveryPackJob",
]
