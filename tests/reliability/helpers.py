"""Shared by the reliability tests that start processes of their own."""

from django.db import connections


def database_url(alias: str = "default") -> str:
    """The test database behind `alias` as a URL, for a gunicorn or a script in another
    process (PostgreSQL only: SQLite's test database lives in this process's memory)."""
    db = connections[alias].settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
