from app.facts.verification import normalize, quote_is_in

ARTICLE = """Headline

Share on WhatsApp
The group, which reportedly escaped  from North Korea,
was captured by “Chinese police” – including a nine-year-old girl.

China’s position is unchanged.
Join the Conversation
  1. Wow, superb blog!
"""
FURNITURE = {"prefixes": ["Share on WhatsApp"], "ends_at": "Join the Conversation"}


def test_whitespace_and_line_breaks_are_collapsed():
    assert normalize("  a \n\n b\tc ") == "a b c"


def test_typographic_quotes_are_made_straight():
    assert normalize("“China’s” ‘own’") == "\"China's\" 'own'"


def test_a_verbatim_quote_is_found():
    assert quote_is_in(
        'escaped from North Korea, was captured by "Chinese police"', ARTICLE, FURNITURE
    )


def test_a_quote_with_typographic_apostrophe_matches_a_straight_one():
    assert quote_is_in("China's position is unchanged.", ARTICLE, FURNITURE)


def test_a_quote_with_one_word_changed_is_not_found():
    assert not quote_is_in("escaped from South Korea", ARTICLE, FURNITURE)


def test_case_and_dashes_are_not_normalized():
    assert not quote_is_in("ESCAPED from North Korea", ARTICLE, FURNITURE)
    assert not quote_is_in('"Chinese police" - including', ARTICLE, FURNITURE)


def test_a_reader_comment_after_the_end_marker_is_never_a_source():
    assert "superb blog" in ARTICLE
    assert not quote_is_in("superb blog", ARTICLE, FURNITURE)


def test_a_furniture_line_is_never_a_source():
    assert not quote_is_in("Share on WhatsApp", ARTICLE, FURNITURE)


def test_a_quote_cannot_run_across_a_removed_furniture_line():
    assert not quote_is_in("Headline The group", ARTICLE, FURNITURE)
    assert quote_is_in("Headline", ARTICLE, FURNITURE)


def test_an_empty_quote_verifies_nothing():
    assert not quote_is_in("   ", ARTICLE, FURNITURE)


def test_the_real_articles_page_furniture_can_back_no_fact(seeded):
    from sqlalchemy import select

    from app.extensions import db
    from app.facts.models import Article

    articles = {a.key: a for a in db.session.scalars(select(Article))}
    furniture = [
        ("globalpost-2012", "NOW WATCH: Briefing videos"),
        ("globalpost-2012", "More from GlobalPost: Old problems plague new India"),
        ("asiatimes-shenyang", "I just wrote an extremely long comment"),
        ("rfa-shenyang", "Share on WhatsApp"),
        ("rfa-shenyang", "Comments are approved by a moderator"),
        ("telegraph-2023", "Protect yourself and your family"),
    ]
    for key, line in furniture:
        article = articles[key]
        assert normalize(line) in normalize(article.text)  # the line is really there
        assert not quote_is_in(line, article.text, article.furniture), (key, line)
