"""Words a client may not know (portal/terms.py) are explained in one plain line on every
page a client opens that uses them; the explanation is in the one table only."""

from __future__ import annotations

import html
import re

from django.test import Client as HttpClient
from django.utils import translation

from portal.terms import TERMS
from tests.consent.test_authorization_matrix import ACTORS, MATRIX
from tests.personas import verified_login
from tests.routes import all_routes
from tests.world import fill_every_field, make_world

EXPLAINED = re.compile(r'<details class="terms">.*?</details>', re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def client_pages(samples: dict, http: HttpClient) -> dict[str, str]:
    """Every HTML page the matrix lets the client open, by route name: the whole page."""
    column = ACTORS.index("client_self")
    pages = {}
    for route in all_routes():
        if MATRIX[route.name][0][column] != "A" or route.name == "accounts:logout":
            continue
        response = http.get(route.url(samples))
        body = response.content.decode()
        # HTML with a <main> is a page of the site; the bare status answer is not.
        if response["Content-Type"].startswith("text/html") and "<main" in body:
            pages[route.name] = body
    return pages


def test_every_term_a_client_page_uses_is_explained_there() -> None:
    world = make_world()
    fill_every_field(world)
    http = verified_login(HttpClient(), world.cast.bram)
    pages = client_pages(world.samples, http)
    assert {"portal:home", "portal:requests", "portal:who_saw"} <= set(pages)
    unexplained, used = [], set()
    with translation.override("nl"):
        for name, body in pages.items():
            main = body[body.index("<main") : body.index("</main>")]
            words = _text(EXPLAINED.sub(" ", main)).lower()
            for term, line in TERMS.items():
                if re.search(rf"\b{term}\b", words):
                    used.add(term)
                    if _text(html.escape(str(line))) not in _text(main):
                        unexplained.append(f"{name}: {term}")
    assert unexplained == [], unexplained
    # The words the issue names are all in use somewhere, so all are explained somewhere.
    assert {"beperking", "bezwaar", "afschrift", "inzage", "machtiging"} <= used


def test_each_explanation_is_one_short_line() -> None:
    for term, line in TERMS.items():
        text = str(line)
        assert "\n" not in text and len(text) <= 140, term
