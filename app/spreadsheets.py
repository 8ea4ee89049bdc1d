"""What a spreadsheet would run as a formula (OWASP, CSV injection).

One list for both uses: the sign form refuses a name that starts like a
formula, and the exports neutralize any cell that does.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)
