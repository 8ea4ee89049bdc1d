"""Sharing a campaign by plain links: the address to copy and a mail to send.

No share buttons of other sites: they would load third-party scripts and tell
those sites who reads the page. A mailto: link opens the visitor's own mail
program, and the address can be pasted anywhere.
"""

from dataclasses import dataclass
from urllib.parse import quote

from app.links import public_url


@dataclass(frozen=True)
class ShareLinks:
    page_url: str
    mailto: str


def share_links(campaign, title: str, invitation: str) -> ShareLinks:
    page_url = public_url("campaigns.show", slug=campaign.slug)
    body = f"{invitation}\n\n{title}\n{page_url}\n"
    mailto = f"mailto:?subject={quote(title, safe='')}&body={quote(body, safe='')}"
    return ShareLinks(page_url=page_url, mailto=mailto)
