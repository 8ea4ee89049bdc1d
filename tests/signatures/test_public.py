from app.campaigns.service import get_campaign
from app.database import utcnow
from app.extensions import db
from app.signatures.models import Signature
from tests.signing import OPEN_SLUG


def add(campaign, name, *, show_name, status="confirmed"):
    db.session.add(
        Signature(
            campaign_id=campaign.id,
            name=name,
            email=f"{name}@x.org",
            email_canonical=f"{name}@x.org",
            city="Hidden Town",
            country="KR",
            language="en",
            locale="en",
            status=status,
            show_name=show_name,
            confirmed_at=utcnow() if status == "confirmed" else None,
        )
    )


def test_the_campaign_page_names_only_confirmed_signers_who_chose_to_be_shown(seeded, client):
    campaign = get_campaign(db.session, OPEN_SLUG)
    add(campaign, "Shown Signer", show_name=True)
    add(campaign, "Private Signer", show_name=False)
    add(campaign, "Pending Signer", show_name=True, status="pending")
    db.session.commit()

    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)

    assert "Shown Signer" in html
    assert "Private Signer" not in html
    assert "Pending Signer" not in html
    assert "Hidden Town" not in html


def test_with_no_one_shown_there_is_no_list(seeded, client):
    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    assert "Recent signers" not in html
