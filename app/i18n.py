"""The interface language: English or Korean, from a switcher or the browser."""

from flask import current_app, request, url_for

LANGUAGE_COOKIE = "lang"

# Pages that answer a POST with a page of their own (a form shown again with
# its errors) have no GET at their address: the switcher links to the page
# the form belongs to instead of to a 405.
PAGE_OF_FORM = {
    "campaigns.sign": "campaigns.show",
    "campaigns.sign_form_in_language": "campaigns.show",
}

# Where a form shown again with what the visitor typed is sent to change its
# language: the switcher is then a button of that form carrying `lang`, so
# the typed values travel in the POST body, never in a URL.
FORM_LANGUAGE_ENDPOINTS = frozenset({"campaigns.sign_form_in_language"})


def requested_language() -> str | None:
    """A language the visitor picked with the switcher, if valid: `?lang=ko`,
    or the `lang` field of a form sent to change its language."""
    if request.endpoint in FORM_LANGUAGE_ENDPOINTS and request.method == "POST":
        language = request.form.get("lang")
    else:
        language = request.args.get("lang")
    return language if language in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = requested_language() or request.cookies.get(LANGUAGE_COOKIE)
    if chosen is not None and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def language_switch_url(language: str) -> str:
    """The address of the current page in `language`, always one a GET can open."""
    rule = request.url_rule
    if rule is None or "GET" in (rule.methods or ()):
        path = request.path
    elif request.endpoint in PAGE_OF_FORM:
        path = url_for(PAGE_OF_FORM[request.endpoint], **(request.view_args or {}))
    else:
        path = url_for("campaigns.index")
    return f"{path}?lang={language}"


def changes_language_here() -> bool:
    """Whether this request may keep the language it asks for: a page opened
    with GET, or a form sent to change its language (past its CSRF check)."""
    return request.method == "GET" or request.endpoint in FORM_LANGUAGE_ENDPOINTS


def remember_language(response):
    """The switcher's choice is kept, but only from a page that opened: a
    refused request (a 405, a 404, a form with a bad CSRF token) changes no
    setting."""
    language = requested_language()
    if language and changes_language_here() and 200 <= response.status_code < 400:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # HTTPS only, as the session
        )
    return response
