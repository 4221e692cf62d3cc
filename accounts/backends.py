from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone


class AccountBackend(ModelBackend):
    """Password login with two extra refusals:

    - an inspector logs in, and keeps a session, only inside the mandate's window;
    - an account with ACCOUNT_FAILURES_PER_HOUR failed logins in the last hour (from any
      address) is refused even with the right password, until the hour has passed.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        if user is None and username:
            return None
        if (
            user is not None
            and _recent_failures(user) >= settings.ACCOUNT_FAILURES_PER_HOUR
        ):
            return None
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if getattr(user, "is_inspector", False):
            from consent.access import active_mandate

            return active_mandate(user) is not None
        return True


def _recent_failures(user: Any) -> int:
    from audit.models import AccessEvent

    since = timezone.now() - datetime.timedelta(hours=1)
    return AccessEvent.objects.filter(
        event_type="login.failed", object_id=str(user.public_id), occurred_at__gte=since
    ).count()
