"""Typed requests for views behind the sign-in (as healthchecks does)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed the sign-in and second-factor middleware: `user` is a User,
    never AnonymousUser. Annotate a view's request with it instead of casting."""

    user: User
