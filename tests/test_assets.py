"""Static files: fingerprinted addresses, long caching, the favicon, and pages
that stay light (HTML, CSS and JS of every public page under 50 KB)."""

import re

from app.assets import fingerprint
from tests.signing import OPEN_SLUG, form_data

BUDGET = 50 * 1024
CLOSED_SLUG = "save-my-friend-2012"


def asset_paths(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_a_fingerprint_of_their_content(app, client):
    html = client.get("/").get_data(as_text=True)
    css = next(path for path in asset_paths(html) if "site.css" in path)
    version = fingerprint(app.static_folder, "css/site.css")
    assert css == f"/static/css/site.css?v={version}"
    assert len(version) == 12


def test_a_changed_file_gets_a_new_fingerprint(app, tmp_path):
    (tmp_path / "a.css").write_text("a { color: red }")
    first = fingerprint(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("a { color: blue }")
    assert fingerprint(str(tmp_path), "a.css") != first
    assert fingerprint(str(tmp_path), "missing.css") is None


def test_a_fingerprinted_file_is_cached_for_a_year_and_others_are_revalidated(app, client):
    version = fingerprint(app.static_folder, "css/site.css")
    current = client.get(f"/static/css/site.css?v={version}")
    assert current.status_code == 200
    assert current.cache_control.max_age == 365 * 24 * 3600
    assert current.cache_control.public and current.cache_control.immutable
    for path in ("/static/css/site.css", "/static/css/site.css?v=old"):
        response = client.get(path)
        assert response.cache_control.no_cache and not response.cache_control.max_age


def test_the_app_serves_a_favicon(app, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def page_weight(client, response) -> int:
    html = response.get_data()
    assets = {path for path in asset_paths(html.decode()) if path.endswith((".css", ".js"))}
    assets |= {path for path in asset_paths(html.decode()) if ".css?" in path or ".js?" in path}
    return len(html) + sum(len(client.get(path).get_data()) for path in assets)


def test_every_public_page_weighs_under_50_kb_of_html_css_and_js(seeded, client):
    pages = {
        "home": client.get("/"),
        "korean campaign": client.get(f"/c/{OPEN_SLUG}?lang=ko"),
        "campaign": client.get(f"/c/{OPEN_SLUG}?lang=en"),
        "closed campaign": client.get(f"/c/{CLOSED_SLUG}"),
        "failed submit": client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="", email="x")),
        "failed submit in korean": client.post(
            f"/c/{OPEN_SLUG}/sign/language", data=form_data(name="", email="x", lang="ko")
        ),
        "404": client.get("/nowhere"),
    }
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    pages["thank-you"] = client.get(f"/c/{OPEN_SLUG}/thanks")
    pages["letter page"] = client.get(f"/c/{OPEN_SLUG}/letter")
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(language="ko", message="가" * 600))
    pages["korean letter page"] = client.get(f"/c/{OPEN_SLUG}/letter?lang=ko")
    weights = {name: page_weight(client, response) for name, response in pages.items()}
    assert all(weight > 5_000 for weight in weights.values()), weights
    assert all(page.status_code in (200, 404, 422) for page in pages.values())
    assert {name: weight for name, weight in weights.items() if weight >= BUDGET} == {}, weights
