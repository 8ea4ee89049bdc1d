import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.campaigns.models import Campaign
from app.database import transaction
from app.extensions import db
from app.facts.models import Article, Fact
from app.facts.service import verify_all_facts
from app.letters.models import Recipient
from app.letters.routing import default_recipient
from app.seeding.loader import SeedError
from app.seeding.service import seed
from tests.conftest import SEEDS_DIR

SHARED_ARTICLES = Path(__file__).resolve().parents[3] / "shared" / "articles"


@pytest.fixture
def seeds_copy(tmp_path):
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, copy)
    return copy


def row_counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Article, Fact, Recipient, Campaign)
    }


def test_the_seed_articles_are_the_source_files_byte_for_byte():
    files = sorted((SEEDS_DIR / "articles").glob("*.txt"))
    assert len(files) == 5
    if SHARED_ARTICLES.is_dir():
        for path in files:
            assert path.read_bytes() == (SHARED_ARTICLES / path.name).read_bytes()


def test_seeding_loads_all_five_articles_and_their_hashes(seeded):
    articles = db.session.scalars(select(Article)).all()
    assert len(articles) == 5
    for article in articles:
        data = (SEEDS_DIR / "articles" / article.file_name).read_bytes()
        assert article.text == data.decode("utf-8")
        assert article.sha256 == hashlib.sha256(data).hexdigest()


def test_the_seeds_hold_at_least_thirty_facts_from_every_article(seeded):
    facts = db.session.scalars(select(Fact)).all()
    assert len(facts) >= 30
    per_article = Counter(fact.article.key for fact in facts)
    assert len(per_article) == 5


def test_every_seeded_fact_is_verified(seeded):
    failed = [r.fact_key for r in verify_all_facts(db.session) if not r.verified]
    assert failed == []


def test_the_seeds_hold_the_required_recipients(seeded):
    recipients = {r.key: r for r in db.session.scalars(select(Recipient))}
    assert {"cn-embassy-kr", "cn-embassy-gb", "cn-embassy-us", "unhcr", "ohchr", "kr-mofa"} <= set(
        recipients
    )


def test_a_seeded_signer_writes_to_the_embassy_of_their_country_or_else_the_unhcr(seeded):
    offered = list(db.session.scalars(select(Recipient)))
    assert default_recipient(offered, "GB").key == "cn-embassy-gb"
    assert default_recipient(offered, "FR").key == "unhcr"


def test_seeding_twice_changes_nothing(seeded):
    before = {f.key: f.updated_at for f in db.session.scalars(select(Fact))}
    report = seed(db.session, SEEDS_DIR)
    assert report.changed == 0
    db.session.expire_all()
    after = {f.key: f.updated_at for f in db.session.scalars(select(Fact))}
    assert after == before


def test_an_edited_seed_file_updates_its_row(app, seeds_copy):
    seed(db.session, seeds_copy)
    facts_file = seeds_copy / "facts.yaml"
    text = facts_file.read_text(encoding="utf-8")
    first_claim = db.session.scalars(select(Fact).order_by(Fact.id)).first().claim
    edited = first_claim + " (edited)"
    facts_file.write_text(text.replace(first_claim, edited, 1), encoding="utf-8")

    report = seed(db.session, seeds_copy)

    assert report.counts["facts"]["updated"] == 1
    assert report.changed == 1
    db.session.expire_all()
    assert db.session.scalar(select(Fact).where(Fact.claim == edited)) is not None


def test_a_fact_removed_from_the_seeds_is_removed_from_the_database(app, seeds_copy):
    seed(db.session, seeds_copy)
    facts_file = seeds_copy / "facts.yaml"
    entries = facts_file.read_text(encoding="utf-8").split("\n- key: ")
    campaigns_text = (seeds_copy / "campaigns.yaml").read_text(encoding="utf-8")
    # Drop the last fact that no campaign uses.
    for index in range(len(entries) - 1, 0, -1):
        key = entries[index].split("\n", 1)[0].strip()
        if key not in campaigns_text:
            del entries[index]
            break
    else:
        pytest.skip("every fact is used by a campaign")
    facts_file.write_text("\n- key: ".join(entries), encoding="utf-8")

    report = seed(db.session, seeds_copy)

    assert report.counts["facts"]["deleted"] == 1
    assert db.session.scalar(select(Fact).where(Fact.key == key)) is None


BAD_SEEDS = [
    ("facts.yaml", lambda t: t + "\n- key: [unclosed\n", "seeds/facts.yaml", "not valid YAML"),
    (
        "facts.yaml",
        lambda t: t.replace("article: telegraph-2023", "article: no-such-article", 1),
        "seeds/facts.yaml, entry #",
        "unknown article 'no-such-article'",
    ),
    (
        "recipients.yaml",
        lambda t: t.replace(
            "  organization: Embassy of the People's Republic of China in the United Kingdom\n",
            "",
            1,
        ),
        "seeds/recipients.yaml, entry #2 (cn-embassy-gb)",
        "missing field 'organization'",
    ),
    (
        "recipients.yaml",
        lambda t: t.replace("- key: cn-embassy-gb", "- key: cn-embassy-kr", 1),
        "seeds/recipients.yaml, entry #2 (cn-embassy-kr)",
        "duplicate key 'cn-embassy-kr'",
    ),
    (
        "campaigns.yaml",
        lambda t: t.replace("goal: ", "goal: -", 1),
        "seeds/campaigns.yaml, entry #1",
        "'goal' must be a whole number above zero",
    ),
    (
        "recipients.yaml",
        lambda t: t.replace("countries: [GB]", "countries: [XX]", 1),
        "seeds/recipients.yaml, entry #2 (cn-embassy-gb)",
        "field 'countries' has 'XX'",
    ),
    (
        "campaigns.yaml",
        lambda t: t.replace(
            "    embassy: [telegraph-600-returned,",
            "    embassy: [telegraph-458-since-2020, telegraph-600-returned,",
            1,
        ),
        "seeds/campaigns.yaml, entry #1 (stop-forced-returns)",
        "the embassy letter states fact 'telegraph-458-since-2020', which is not among the "
        "campaign's facts",
    ),
    (
        "campaigns.yaml",
        lambda t: t.replace("    ministry: [telegraph-600-returned", "    x: [", 1).replace(
            "    x: [", "    # ", 1
        ),
        "seeds/campaigns.yaml, entry #1 (stop-forced-returns)",
        "it offers a recipient of kind 'ministry' but field 'letters' has no ministry",
    ),
    (
        "campaigns.yaml",
        lambda t: t.replace("contact: stop-forced-returns@", "contact: stop-forced-returns-at-", 1),
        "seeds/campaigns.yaml, entry #1 (stop-forced-returns)",
        "field 'organizer.contact' must be an email address",
    ),
    (
        "facts.yaml",
        lambda t: t.replace('as_of: "2016"', 'as_of: "sometime in 2016"', 1),
        "seeds/facts.yaml, entry #",
        "which seeds/periods.yaml does not translate",
    ),
    (
        # Valid on its own, but the letters that state this fact would not build.
        "facts.yaml",
        lambda t: t.replace("탈북민 약 600명을", "탈북민 약 6,000명을", 1),
        "seeds/campaigns.yaml, entry stop-forced-returns",
        "its embassy letter to cn-embassy-kr in 'en' would not build: Fact "
        "'telegraph-600-returned' is unverified: claim_ko states '6,000'",
    ),
]


@pytest.mark.parametrize(("file_name", "edit", "where", "problem"), BAD_SEEDS)
def test_bad_seed_data_stops_naming_the_file_and_entry_and_writes_nothing(
    app, seeds_copy, file_name, edit, where, problem
):
    with transaction(db.session):
        seed(db.session, SEEDS_DIR)
    before = row_counts()
    claims_before = {f.key: f.claim for f in db.session.scalars(select(Fact))}
    path = seeds_copy / file_name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    # A second, valid edit that must not land either.
    facts_file = seeds_copy / "facts.yaml"
    if file_name != "facts.yaml":
        facts_file.write_text(
            facts_file.read_text(encoding="utf-8").replace(
                "Human rights groups reported", "Rights groups reported", 1
            ),
            encoding="utf-8",
        )

    # As `flask seed` runs it: in one transaction, rolled back on the error.
    with pytest.raises(SeedError) as raised, transaction(db.session):
        seed(db.session, seeds_copy)

    assert where in str(raised.value)
    assert problem in str(raised.value)
    db.session.expire_all()
    assert row_counts() == before
    assert {f.key: f.claim for f in db.session.scalars(select(Fact))} == claims_before


def test_the_seed_command_reports_a_bad_seed_without_a_traceback(app, runner, seeds_copy):
    (seeds_copy / "campaigns.yaml").write_text("- slug: x\n  title: [", encoding="utf-8")
    app.config["SEEDS_DIR"] = seeds_copy
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "Seed refused, nothing written. seeds/campaigns.yaml: not valid YAML" in result.output
    assert "Traceback" not in result.output


def test_the_seed_command_says_when_nothing_changed(seeded, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0
    assert "Seed data is up to date." in result.output
