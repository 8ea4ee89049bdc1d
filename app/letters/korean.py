"""Korean breaks lines between words, never inside one.

CSS says this with `word-break: keep-all`, but WeasyPrint (70) does not support
that value and breaks Hangul between any two syllables, as if it were Chinese.
So before a Korean document is laid out, each word (a run of non-space
characters holding Hangul) is wrapped in a span the stylesheets keep on one line
(`.kw { white-space: nowrap }`); lines then break only at the spaces between words.
"""

import re

_HANGUL_WORD = re.compile(r"[^\s<>]*[\uac00-\ud7a3\u3131-\u318e][^\s<>]*")
_TEXT = re.compile(r">([^<]+)<")
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
# Text inside these is not laid out as words (or is not HTML text at all).
_SKIPPED = re.compile(r"<(style|script|title)\b.*?</\1>", re.IGNORECASE | re.DOTALL)


def keep_korean_words_whole(html: str) -> str:
    """The HTML with each Korean word of its body in a `<span class="kw">`."""
    body = _BODY.search(html)
    if body is None:
        return html
    head, rest = html[: body.end()], html[body.end() :]

    def wrap_words(match: re.Match) -> str:
        text = _HANGUL_WORD.sub(lambda word: f'<span class="kw">{word.group(0)}</span>', match[1])
        return f">{text}<"

    pieces, last = [], 0
    for skipped in _SKIPPED.finditer(rest):
        pieces.append(_TEXT.sub(wrap_words, rest[last : skipped.start()]))
        pieces.append(skipped.group(0))
        last = skipped.end()
    pieces.append(_TEXT.sub(wrap_words, rest[last:]))
    return head + "".join(pieces)


def is_korean_document(html: str) -> bool:
    return re.search(r'<html[^>]*\blang="ko"', html[:500]) is not None
