"""The letter templates in letter_templates/ and where they are.

Each recipient kind has a folder with one template per language (`en.html`,
`ko.html`, `zh.html`). The shared layout, per-language wording and CSS live in
`_layout/`. Which facts a letter states is the campaign's to say
(`letters` in seeds/campaigns.yaml), not the template's.
"""

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.letters.errors import TemplateMissingError
from app.letters.models import RECIPIENT_KINDS
from app.letters.signer import LETTER_LANGUAGES

# The one place that says where the letter and delivery pack templates live:
# beside the code, not a setting, since the code and its templates change together.
LETTER_TEMPLATES_DIR = (Path(__file__).resolve().parents[2] / "letter_templates").resolve()


def template_name(kind: str, language: str) -> str:
    """The Jinja name of the template for (kind, language); refuses unknown ones."""
    if kind not in RECIPIENT_KINDS:
        raise TemplateMissingError(f"There is no letter template for recipient kind {kind!r}.")
    if language not in LETTER_LANGUAGES:
        raise TemplateMissingError(f"There is no letter template in language {language!r}.")
    name = f"{kind}/{language}.html"
    if not (LETTER_TEMPLATES_DIR / name).is_file():
        raise TemplateMissingError(f"The letter template {name} does not exist.")
    return name


def template_environment(folder: Path) -> Environment:
    """The Jinja environment of the templates in `folder`: letter_templates/ for
    letters, its delivery/ folder for the delivery pack."""
    # Autoescape everything: signer text and fact texts reach the HTML only escaped.
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@lru_cache(maxsize=1)
def letter_environment() -> Environment:
    return template_environment(LETTER_TEMPLATES_DIR)


def render_template(kind: str, language: str, context: dict) -> str:
    return letter_environment().get_template(template_name(kind, language)).render(context)
