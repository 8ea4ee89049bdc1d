from app.letters.models import Recipient
from app.letters.routing import choose_recipient, default_recipient

SEOUL = Recipient(key="cn-embassy-kr", kind="embassy", countries=["KR"])
LONDON = Recipient(key="cn-embassy-gb", kind="embassy", countries=["GB"])
UNHCR = Recipient(key="unhcr", kind="unhcr", countries=["all"])
OHCHR = Recipient(key="ohchr", kind="un_office", countries=["all"])
OFFERED = [SEOUL, LONDON, UNHCR, OHCHR]


def test_a_signer_in_britain_writes_to_the_chinese_embassy_in_london_by_default():
    assert default_recipient(OFFERED, "GB") is LONDON


def test_a_signer_without_an_embassy_on_offer_writes_to_the_unhcr():
    assert default_recipient(OFFERED, "FR") is UNHCR


def test_a_campaign_without_the_unhcr_or_an_embassy_has_no_default():
    assert default_recipient([OHCHR], "FR") is None


def test_a_signer_may_choose_another_offered_recipient():
    assert choose_recipient(OFFERED, "GB", "ohchr") is OHCHR


def test_a_recipient_the_campaign_does_not_offer_falls_back_to_the_default():
    assert choose_recipient([SEOUL, UNHCR], "KR", "ohchr") is SEOUL
