"""`{% link "name" %}`: the address of a view that takes no arguments, reversed once per process.

The menus of `base.html` and the portal name up to ten such addresses on every page, and
`{% url %}` reverses each one on every request (about 7 % of a dossier page's Python time,
`docs/scaling.md`). Such an address depends only on the URLconf and the script prefix, which
are the cache key; views with arguments keep `{% url %}`.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=256)
def _address(name: str, urlconf: str, prefix: str) -> str:
    """`prefix` is only part of the key: `reverse` reads the current one itself."""
    return reverse(name, urlconf=urlconf)


class LinkNode(template.Node):
    def __init__(self, name: str) -> None:
        self.name = name

    def render(self, context: template.Context) -> str:
        url = _address(
            self.name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
        return conditional_escape(url) if context.autoescape else url


@register.tag
def link(parser: Parser, token: Token) -> LinkNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][:1] not in "'\"" or bits[1][-1:] != bits[1][:1]:
        raise template.TemplateSyntaxError(
            "{% link %} takes one view name in quotes; use {% url %} for views with arguments."
        )
    return LinkNode(bits[1][1:-1])
