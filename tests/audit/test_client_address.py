"""The client's address comes from the trusted proxy only: behind nginx the access log,
the session list and django-axes see the real address; a spoofed header from anywhere
else is ignored."""

from django.conf import settings
from django.test import RequestFactory, override_settings
from django.utils.module_loading import import_string

from audit.middleware import client_ip

factory = RequestFactory()


def test_behind_the_trusted_proxy_the_real_address_is_used() -> None:
    """nginx (127.0.0.1) passes the address it saw in X-Real-IP."""
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "203.0.113.7"


def test_a_spoofed_header_from_an_untrusted_address_is_ignored() -> None:
    """A client that talks to gunicorn directly cannot choose its logged address."""
    request = factory.get(
        "/",
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_REAL_IP="203.0.113.7",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert client_ip(request) == "198.51.100.9"


def test_garbage_in_the_header_falls_back_to_the_proxy() -> None:
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")
    assert client_ip(request) == "127.0.0.1"


@override_settings(ECD_TRUSTED_PROXIES=frozenset({"10.0.0.2"}))
def test_the_trusted_proxies_are_configured() -> None:
    """Only the configured proxy is trusted (compose: the nginx container's address)."""
    via_proxy = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.7")
    via_localhost = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7"
    )
    assert client_ip(via_proxy) == "203.0.113.7"
    assert client_ip(via_localhost) == "127.0.0.1"


def test_axes_uses_the_same_address() -> None:
    """django-axes locks out "user + address" on the real address, not the proxy's."""
    from axes.helpers import get_client_ip_address

    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is client_ip
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"
