"""The menus' `{% link %}` gives the same address as `{% url %}`, under any script prefix."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse, set_script_prefix
from django.urls.base import clear_script_prefix

from tests.personas import Cast

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
MENU_TEMPLATES = (TEMPLATES / "base.html", TEMPLATES / "portal" / "_nav.html")


def menu_names() -> set[str]:
    names: set[str] = set()
    for path in MENU_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\{% link '([a-z_:]+)' %\}", text))
    return names


def render(source: str) -> str:
    return Template("{% load menu %}" + source).render(Context())


def test_every_menu_link_is_the_address_of_its_view() -> None:
    names = menu_names()
    assert {"home", "accounts:logout", "portal:who_saw"} <= names
    for name in names:
        assert render(f"{{% link '{name}' %}}") == reverse(name)


def test_a_link_follows_the_script_prefix_the_app_is_served_under() -> None:
    plain = render("{% link 'accounts:session_list' %}")
    set_script_prefix("/ecd/")
    try:
        prefixed = render("{% link 'accounts:session_list' %}")
    finally:
        clear_script_prefix()
    assert prefixed == "/ecd" + plain
    assert render("{% link 'accounts:session_list' %}") == plain


@pytest.mark.parametrize(
    "source",
    ["{% link %}", "{% link home %}", "{% link 'home' 'x' %}", "{% link 'home\" %}"],
)
def test_a_link_without_one_quoted_name_does_not_compile(source: str) -> None:
    with pytest.raises(TemplateSyntaxError, match="one view name in quotes"):
        render(source)


def test_the_rendered_menus_carry_the_links(cast: Cast, as_user) -> None:
    carer_page = (
        as_user(cast.anna).get(reverse("dossiers:client_list")).content.decode()
    )
    for name in ("home", "dossiers:client_list", "accounts:logout"):
        assert f'"{reverse(name)}"' in carer_page
