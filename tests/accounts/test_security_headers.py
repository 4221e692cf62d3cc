"""Security headers on every response, and no caching of anything that may hold client data."""

import pytest
from django.test import Client as HttpClient

from tests.personas import verified_login
from tests.routes import all_routes
from tests.world import make_world


def check_headers(response, where: str) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        if directive not in csp:
            problems.append(f"{where}: CSP lacks {directive}")
    html_page = (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and b"<script" in response.content  # a page without scripts needs no nonce
    )
    if "unsafe-inline" in csp or (html_page and "script-src 'self' 'nonce-" not in csp):
        problems.append(f"{where}: script-src is not nonce-based")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        if response.get(name) != value:
            problems.append(f"{where}: {name} = {response.get(name)!r}")
    if "max-age=31536000; includeSubDomains" not in response.get(
        "Strict-Transport-Security", ""
    ):
        problems.append(f"{where}: HSTS missing")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append(f"{where}: Permissions-Policy missing")
    cache = response.get("Cache-Control", "")
    if "no-store" not in cache or "public" in cache:
        problems.append(f"{where}: Cache-Control {cache!r}")
    if "Cookie" not in response.get("Vary", ""):
        problems.append(f"{where}: no Vary: Cookie")
    if response.get("Access-Control-Allow-Origin") == "*":
        problems.append(f"{where}: ACAO *")
    return problems


def test_every_url_carries_the_headers() -> None:
    world = make_world()
    http = verified_login(HttpClient(), world.cast.anna)
    problems = []
    routes = all_routes()
    for route in routes:
        response = http.get(route.url(world.samples), secure=True)
        problems += check_headers(response, route.name)
    assert len(routes) >= 25
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    ["/inloggen/", "/bestaat-niet/", "/dossiers/00000000-0000-0000-0000-000000000000/"],
)
def test_anonymous_and_error_pages_carry_them_too(path: str) -> None:
    response = HttpClient().get(path, secure=True)
    assert not check_headers(response, path)


def test_scripts_carry_the_nonce_of_the_policy() -> None:
    world = make_world()
    http = verified_login(HttpClient(), world.cast.anna)
    response = http.get("/clienten/", secure=True)
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "<script>" not in response.content.decode()  # no inline script


def test_trace_is_not_allowed() -> None:
    world = make_world()
    http = verified_login(HttpClient(), world.cast.anna)
    assert http.generic("TRACE", "/clienten/").status_code == 405
