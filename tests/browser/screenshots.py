"""The screenshots the browser run saves, and the report CI prints at its end.

Every public and organizer page the site has, at 1280 and 320 px, in English
and Korean, as artifacts/screenshots/<page>-<language>-<width>.png (kept by
CI, ignored by git).

    python -m tests.browser.screenshots [--since EPOCH_SECONDS]

prints where they are and how many were saved (since the run started, with
--since) and fails naming every page, language and width missing.
"""

import argparse
import sys
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = (1280, 320)
LANGUAGES = ("en", "ko")

PUBLIC_PAGES = (
    "home",
    "campaign",
    "campaign-errors",
    "campaign-errors-switched",  # the refused form after switching language
    "closed-campaign",
    "thanks",
    "letter",
    "confirm",
    "confirmed",
    "withdraw",
    "expired-link",
    "not-found",
)
ORGANIZER_PAGES = (
    "organizer-login",
    "organizer-login-failed",
    "organizer-campaigns",
    "organizer-dashboard",
    "organizer-delivery-pack",
)
PAGES = PUBLIC_PAGES + ORGANIZER_PAGES


def file_name(page: str, language: str, width: int) -> str:
    return f"{page}-{language}-{width}.png"


def expected_files() -> list[str]:
    return [
        file_name(page, language, width)
        for page in PAGES
        for language in LANGUAGES
        for width in WIDTHS
    ]


def saved_files(since: float = 0.0) -> set[str]:
    if not SCREENSHOTS.is_dir():
        return set()
    return {path.name for path in SCREENSHOTS.glob("*.png") if path.stat().st_mtime >= since}


def report(since: float = 0.0) -> int:
    saved = saved_files(since)
    missing = [name for name in expected_files() if name not in saved]
    print(f"Screenshots: {len(saved)} saved in {SCREENSHOTS}")
    if missing:
        print(f"Screenshots missing ({len(missing)}): {', '.join(missing)}")
        return 1
    widths, languages = " and ".join(map(str, WIDTHS)), ", ".join(LANGUAGES)
    print(f"Screenshots: every one of the {len(PAGES)} pages, at {widths} px, in {languages}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", type=float, default=0.0, help="count files from this time on")
    return report(parser.parse_args(argv).since)


if __name__ == "__main__":
    sys.exit(main())
