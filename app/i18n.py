"""The interface language: English or Korean, from a switcher or the browser."""

from flask import current_app, request

LANGUAGE_COOKIE = "lang"


def requested_language() -> str | None:
    """A language the visitor picked with the switcher (?lang=ko), if valid."""
    language = request.args.get("lang")
    return language if language in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = requested_language() or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def remember_language(response):
    language = requested_language()
    if language:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],  # HTTPS only, as the session
        )
    return response
