from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def session_limits(request: HttpRequest) -> dict[str, Any]:
    return {"session_idle_seconds": settings.SESSION_IDLE_SECONDS}
