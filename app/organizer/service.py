"""Organizer rules: accounts, grants, who may see what, the audit trail.

Plain functions taking a session. None of them commits: the view or command
that calls them owns the transaction (`app.database.transaction`).
"""

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload
from zxcvbn import zxcvbn

from app.campaigns.models import Campaign
from app.campaigns.service import get_campaign
from app.database import rows_changed
from app.organizer.models import AuditEvent, CampaignGrant, Organizer
from app.signatures import rules

# Argon2id with the library's current defaults.
password_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as much
# time as a wrong password and the answer's timing tells nothing.
_DUMMY_HASH = password_hasher.hash("no account has this password")

MIN_PASSWORD_LENGTH = 12
# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses and more)
# against an online attack, which the login limits slow down further.
MIN_PASSWORD_SCORE = 3
# zxcvbn's time grows quickly with length; the first characters decide anyway.
_STRENGTH_CHECKED_CHARACTERS = 100


class OrganizerError(ValueError):
    """A request the rules refuse, with a message for the operator."""


@dataclass(frozen=True)
class GrantedCampaign:
    campaign: Campaign
    can_export_signatures: bool


def account_email(email: str) -> str:
    """The form an organizer's address is stored and looked up in: the whole
    address in lower case, so Alice@Example.org and alice@example.org are one
    account. No syntax check: a lookup of a mistyped address finds nothing."""
    return email.strip().lower()


def get_organizer_by_email(session: Session, email: str) -> Organizer | None:
    return session.scalar(select(Organizer).where(Organizer.email == account_email(email)))


def checked_email(email: str) -> str:
    """The address, checked as the sign form checks a signer's, in lower case."""
    try:
        return account_email(rules.validated_email(email.strip()))
    except ValueError as error:
        raise OrganizerError(f"{email!r} is not an email address: {error}") from None


def check_password(password: str, email: str) -> None:
    """Refuse a password that is short or easy to guess, saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OrganizerError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    local_part = email.partition("@")[0]
    estimate = zxcvbn(password[:_STRENGTH_CHECKED_CHARACTERS], user_inputs=[email, local_part])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        feedback = estimate["feedback"]
        advice = " ".join(filter(None, [feedback["warning"], *feedback["suggestions"]]))
        raise OrganizerError(
            "This password is too easy to guess. "
            + (advice or "Use a longer phrase of several uncommon words.")
        )


def create_organizer(session: Session, email: str, password: str) -> Organizer:
    email = checked_email(email)
    check_password(password, email)
    if get_organizer_by_email(session, email) is not None:
        raise OrganizerError(f"An organizer {email} already exists.")
    organizer = Organizer(email=email, password_hash=password_hasher.hash(password), active=True)
    session.add(organizer)
    session.flush()
    return organizer


def set_password(session: Session, email: str, password: str) -> Organizer:
    """Give an organizer a new password; every session opened before ends."""
    organizer = get_organizer_by_email(session, email)
    if organizer is None:
        raise OrganizerError(f"No organizer {account_email(email)}.")
    check_password(password, organizer.email)
    organizer.password_hash = password_hasher.hash(password)
    end_sessions(session, organizer)
    return organizer


def end_sessions(session: Session, organizer: Organizer) -> None:
    """End every session the organizer has open, in every browser.

    Sessions live in signed cookies that a copy keeps alive; raising the
    version they carry makes load_organizer refuse all of them.
    """
    session.execute(
        update(Organizer)
        .where(Organizer.id == organizer.id)
        .values(session_version=Organizer.session_version + 1)
        .execution_options(synchronize_session="fetch")
    )


def grant(
    session: Session, email: str, slug: str, *, can_export_signatures: bool = False
) -> CampaignGrant:
    """Give an organizer a campaign; granting again sets the signatures right anew."""
    organizer, campaign = _organizer_and_campaign(session, email, slug)
    existing = session.scalar(
        select(CampaignGrant).where(
            CampaignGrant.organizer_id == organizer.id, CampaignGrant.campaign_id == campaign.id
        )
    )
    if existing is None:
        existing = CampaignGrant(organizer=organizer, campaign=campaign)
        session.add(existing)
    existing.can_export_signatures = can_export_signatures
    session.flush()
    return existing


def authenticate(session: Session, email: str, password: str) -> Organizer | None:
    """The active organizer with this email and password, or None."""
    organizer = get_organizer_by_email(session, email)
    password_hash = organizer.password_hash if organizer is not None else _DUMMY_HASH
    try:
        password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if organizer is None or not organizer.active:
        return None
    if password_hasher.check_needs_rehash(organizer.password_hash):
        organizer.password_hash = password_hasher.hash(password)
    return organizer


def revoke(session: Session, email: str, slug: str) -> bool:
    """Take a campaign away from an organizer; False if it was not granted."""
    organizer, campaign = _organizer_and_campaign(session, email, slug)
    return bool(
        rows_changed(session.execute(
            delete(CampaignGrant).where(
                CampaignGrant.organizer_id == organizer.id,
                CampaignGrant.campaign_id == campaign.id,
            )
        ))
    )


def deactivate(session: Session, email: str) -> Organizer:
    """Lock an organizer out: no login, and any open session is dropped."""
    organizer = get_organizer_by_email(session, email)
    if organizer is None:
        raise OrganizerError(f"No organizer {account_email(email)}.")
    organizer.active = False
    end_sessions(session, organizer)
    return organizer


def _organizer_and_campaign(session: Session, email: str, slug: str):
    organizer = get_organizer_by_email(session, email)
    if organizer is None:
        raise OrganizerError(f"No organizer {account_email(email)}.")
    campaign = get_campaign(session, slug)
    if campaign is None:
        raise OrganizerError(f"No campaign {slug!r}.")
    return organizer, campaign


def load_organizer(session: Session, organizer_id: int, session_version: int) -> Organizer | None:
    """The organizer, if active and the session is of their current version."""
    organizer = session.get(Organizer, organizer_id)
    if organizer is None or not organizer.active:
        return None
    return organizer if organizer.session_version == session_version else None


def granted_campaigns(session: Session, organizer: Organizer) -> list[Campaign]:
    return list(
        session.scalars(
            select(Campaign)
            .join(CampaignGrant, CampaignGrant.campaign_id == Campaign.id)
            .where(CampaignGrant.organizer_id == organizer.id)
            .order_by(Campaign.opens_on.desc(), Campaign.slug)
        )
    )


def granted_campaign(session: Session, organizer: Organizer, slug: str) -> GrantedCampaign | None:
    """The campaign with this slug if it is granted to the organizer, else None.

    The caller answers None with a 404: a campaign not granted is one that,
    for this organizer, does not exist.
    """
    row = session.execute(
        select(Campaign, CampaignGrant.can_export_signatures)
        .join(CampaignGrant, CampaignGrant.campaign_id == Campaign.id)
        .where(CampaignGrant.organizer_id == organizer.id, Campaign.slug == slug)
    ).first()
    if row is None:
        return None
    campaign, can_export_signatures = row
    return GrantedCampaign(campaign=campaign, can_export_signatures=can_export_signatures)


def record_audit_event(
    session: Session,
    *,
    organizer: Organizer | None,
    action: str,
    campaign: Campaign,
    detail: str = "",
) -> AuditEvent:
    """Note an export or a change to signatures. `detail` names formats,
    recipients or numbers, never a signer."""
    event = AuditEvent(
        organizer_id=organizer.id if organizer is not None else None,
        action=action,
        campaign_id=campaign.id,
        detail=detail,
    )
    session.add(event)
    session.flush()
    return event


def recent_audit_events(session: Session, campaign: Campaign, limit: int = 20) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.campaign_id == campaign.id)
            .options(selectinload(AuditEvent.organizer))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
