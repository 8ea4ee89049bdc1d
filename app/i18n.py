"""The interface language: English or Korean, from a switcher or the browser."""

from flask import current_app, request, url_for

LANGUAGE_COOKIE = "lang"

# Pages that answer a POST with a page of their own (a form shown again with
# its errors) have no GET at their address: the switcher links to the page
# the form belongs to instead of to a 405.
PAGE_OF_FORM = {"campaigns.sign": "campaigns.show"}


def requested_language() -> str | None:
    """A language the visitor picked with the switcher (?lang=ko), if valid."""
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


def remember_language(response):
    """The switcher's choice is kept, but only from a page that opened: a
    refused request (a 405, a 404) changes no setting."""
    language = requested_language()
    if language and request.method == "GET" and 200 <= response.status_code < 400:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # HTTPS only, as the session
        )
    return response
