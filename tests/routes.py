"""Every named URL of the project, walked from the resolver (the 18F/Zulip pattern)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]

    def url(self, samples: dict[str, Any]) -> str:
        missing = [k for k in self.kwargs if k not in samples]
        if missing:
            raise AssertionError(f"No sample value for {missing} in URL {self.name}")
        return reverse(self.name, kwargs={k: samples[k] for k in self.kwargs})


def all_routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + (f"{pattern.namespace}:" if pattern.namespace else ""),
                )
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise AssertionError(f"URL pattern {pattern.pattern} has no name")
                found.append(
                    Route(
                        prefix + pattern.name, tuple(sorted(pattern.pattern.converters))
                    )
                )

    walk(get_resolver().url_patterns, "")
    return found
