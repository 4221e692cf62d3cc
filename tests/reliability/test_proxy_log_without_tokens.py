"""The shipped nginx writes invitation and reset links to its access log without their
token: its map turns those paths into /…/[token]/ and leaves every other path alone.
Checked against Django's own URLs, and the configuration is one nginx accepts."""

import http.client
import re
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.reliability.test_compose_steps import NGINX, nginx_conf, self_signed

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "VQ3-wCBzYRYGKY3VPRyYmSlm70TZh0ZkNhykhUjrrQU"


def logged(path: str) -> str:
    """What the map makes of a request URI (nginx's `~` is a case-sensitive PCRE)."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"map \$request_uri \$loggable_uri \{(.*?)\}", conf, re.S)
    assert block, "deploy/nginx.conf has no map for the logged path"
    for line in block.group(1).strip().splitlines():
        key, value = line.split()[0], line.split()[1].rstrip(";")
        if key == "default":
            return path
        if re.match(key.lstrip("~"), path):
            return value
    return path


def test_token_paths_are_logged_without_the_token() -> None:
    invitation = reverse("portal:invitation_open", args=[TOKEN])
    reset = reverse("accounts:password_reset_confirm", args=["MTI", "dj1win-7380d13f"])
    assert logged(invitation) == "/uitnodiging/[token]/"
    assert logged(invitation + "?utm=x") == "/uitnodiging/[token]/"
    assert logged(reset) == "/wachtwoord-vergeten/[token]/"
    for path in (invitation, reset):
        assert TOKEN not in logged(path) and "dj1win" not in logged(path)


def test_other_paths_are_logged_as_they_are() -> None:
    for name in (
        "portal:invitation_accept",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_new",
        "accounts:login",
    ):
        assert logged(reverse(name)) == reverse(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_the_running_proxy_logs_no_token(tmp_path: Path) -> None:
    """The shipped configuration in a real nginx (no app behind it: a 502 is logged too)."""
    cert = self_signed(tmp_path)
    https_port = free_port()
    conf = nginx_conf(tmp_path, free_port(), https_port, free_port())
    checked = subprocess.run(
        [NGINX, "-t", "-c", str(conf)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen([NGINX, "-c", str(conf)], stderr=subprocess.DEVNULL)
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False  # the test certificate names ecd.example.nl
        for _attempt in range(50):
            try:
                connection = http.client.HTTPSConnection(
                    "127.0.0.1", https_port, timeout=5, context=context
                )
                connection.request("GET", f"/uitnodiging/{TOKEN}/")
                connection.getresponse().read()
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        log = tmp_path / "nginx-access.log"
        for _attempt in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
        written = log.read_text()
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
    assert "GET /uitnodiging/[token]/ HTTP/1.1" in written
    assert TOKEN not in written
