"""`{% explain "beperking" "bezwaar" %}`: the one-line explanation of each word, shown
right where the page uses it (a small fold the client opens with one tap)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.terms import TERMS

register = template.Library()


@register.inclusion_tag("portal/_terms.html")
def explain(*terms: str) -> dict[str, Any]:
    return {"terms": [(term, TERMS[term]) for term in terms]}
