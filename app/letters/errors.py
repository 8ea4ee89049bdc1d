"""What can go wrong when building a letter; each says which piece is at fault."""


class LetterError(Exception):
    """A letter cannot be built as asked."""


class TemplateMissingError(LetterError):
    """No letter template, or no declared facts, for this kind, language or campaign."""


class MissingFactError(LetterError):
    """A fact a template declares is not among the campaign's facts in the database."""

    def __init__(self, fact_key: str, campaign_slug: str, kind: str):
        self.fact_key = fact_key
        super().__init__(
            f"The {kind} letter for campaign {campaign_slug!r} states fact {fact_key!r}, "
            "which is not among the campaign's facts in the database."
        )


class UnverifiedFactError(LetterError):
    """A fact a letter states fails verification: its quote is not found in its
    article, or a claim states a number or drops a hedge the quote does not."""

    def __init__(self, fact_key: str, reasons: list[str]):
        self.fact_key = fact_key
        super().__init__(
            f"Fact {fact_key!r} is unverified: {'; '.join(reasons)}. "
            "Fix the fact or the article before letters state it."
        )


class RenderTimeoutError(LetterError):
    """Rendering the PDF took longer than its time limit."""
