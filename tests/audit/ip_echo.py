"""A WSGI app for the nginx test: answers with the address `audit.middleware.client_ip`
finds in the request gunicorn hands to Django (the same function the log, sessions and
django-axes use)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecd.settings")
django.setup()

from django.core.handlers.wsgi import WSGIRequest  # noqa: E402

from audit.middleware import client_ip  # noqa: E402


def app(environ, start_response):  # type: ignore[no-untyped-def]
    body = (client_ip(WSGIRequest(environ)) or "-").encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
