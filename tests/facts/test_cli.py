import shutil
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.facts.models import Article, Fact
from tests.conftest import SEEDS_DIR


def test_facts_verify_passes_on_the_seeds(seeded, runner):
    result = runner.invoke(args=["facts", "verify"])
    assert result.exit_code == 0, result.output
    assert "facts verified." in result.output
    assert "FAILED" not in result.output


def test_facts_verify_fails_naming_a_fact_whose_quote_was_altered(seeded, runner):
    fact = db.session.scalars(select(Fact).order_by(Fact.key)).first()
    words = fact.quote.split()
    words[len(words) // 2] = "altered"
    fact.quote = " ".join(words)
    db.session.commit()

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert f"FAILED    {fact.key}" in result.output
    assert f"{fact.key}: quote not found in article" in result.output
    assert f"failed verification: {fact.key}" in result.output


def alter(key: str, **fields) -> None:
    fact = db.session.scalar(select(Fact).where(Fact.key == key))
    for name, value in fields.items():
        if name in ("ko", "zh"):
            fact.claim_translations = {**fact.claim_translations, name: value}
        else:
            setattr(fact, name, value)
    db.session.commit()


def test_facts_verify_fails_naming_a_korean_claim_whose_number_its_quote_lacks(seeded, runner):
    alter(
        "telegraph-600-returned",
        ko="인권 단체들은 중국이 탈북민 약 6,000명을 송환했다고 보고했습니다.",
    )

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert "FAILED    telegraph-600-returned" in result.output
    assert "telegraph-600-returned: claim_ko states '6,000'" in result.output


def test_facts_verify_reads_chinese_wan_and_korean_man_as_numbers(seeded, runner):
    alter("rfa-30000-reached-south", zh="自由亚洲电台报道称，已有4万多名朝鲜人来到韩国。")
    alter("globalpost-savemyfriend-130000", ko="캠페인은 3만 명 이상의 서명을 모았습니다.")

    result = runner.invoke(args=["facts", "verify"])

    assert "rfa-30000-reached-south: claim_zh states '4万'" in result.output
    assert "globalpost-savemyfriend-130000: claim_ko states '3만'" in result.output


def test_facts_verify_fails_an_english_claim_with_a_year_its_quote_and_period_lack(seeded, runner):
    alter(
        "globalpost-resolution-feb-28",
        claim="On Feb. 28, 2013, South Korea's parliament passed a resolution.",
    )

    result = runner.invoke(args=["facts", "verify"])

    assert "globalpost-resolution-feb-28: claim states '2013'" in result.output


def test_facts_verify_fails_a_claim_that_drops_the_quotes_hedge(seeded, runner):
    alter(
        "asiatimes-seven-captured",
        claim="Asia Times reported that seven North Korean defectors escaped from North Korea "
        "and were captured by Chinese police in Liaoning province.",
    )
    alter("telegraph-2000-detained", zh="研究表明，有2000名朝鲜脱北者被关押在中国的拘留中心。")
    alter("asiatimes-sent-back-punishment", ko="이들은 북한으로 송환되면 강제노동에 처해집니다.")

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert "asiatimes-seven-captured: claim drops the quote's hedge 'reportedly'" in result.output
    assert "telegraph-2000-detained: claim_zh drops the quote's hedge 'approximately'" in (
        result.output
    )
    assert "asiatimes-sent-back-punishment: claim_ko drops the quote's hedge 'activists say'" in (
        result.output
    )


def test_facts_verify_on_an_empty_database_says_to_seed_first(app, runner):
    result = runner.invoke(args=["facts", "verify"])
    assert result.exit_code != 0
    assert "Run `flask seed` first." in result.output


def test_facts_verify_fails_naming_an_article_whose_file_was_edited_after_seeding(
    seeded, app, runner, tmp_path
):
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    app.config["SEEDS_DIR"] = tmp_path / "seeds"
    article = db.session.scalars(select(Article).order_by(Article.key)).first()
    edited = tmp_path / "seeds" / "articles" / article.file_name
    edited.write_bytes(edited.read_bytes().replace(b"the", b"a", 1))

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert f"CHANGED   article {article.key!r}" in result.output
    assert "the file was edited after seeding" in result.output
    assert f"1 article(s) changed since seeding: {article.key}" in result.output


def test_facts_verify_fails_naming_an_article_whose_stored_text_was_altered(seeded, runner):
    article = db.session.scalars(select(Article).order_by(Article.key)).first()
    article.text = article.text + "\nA sentence no reporter wrote."
    db.session.commit()

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert f"CHANGED   article {article.key!r}" in result.output
    assert "the stored text differs from the file that was seeded" in result.output


def test_facts_verify_fails_a_fact_whose_value_its_translation_drops(seeded, runner):
    alter("telegraph-600-returned", zh="人权团体报告称，中国已将数百名脱北者强制遣返回朝鲜。")

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert "telegraph-600-returned: claim_zh does not state the fact's value 600\n" in result.output


def test_facts_verify_checks_a_value_of_zero_too(seeded, runner):
    alter("telegraph-600-returned", value_number=Decimal("0.00"))

    result = runner.invoke(args=["facts", "verify"])

    assert "telegraph-600-returned: quote does not state the fact's value 0\n" in result.output
