"""In docker-compose.yml the app trusts exactly the nginx in front of it (#27): nginx has a
fixed address on the stack's network, and the web service's ECD_TRUSTED_PROXIES (and
gunicorn's FORWARDED_ALLOW_IPS) name that address, so the client address nginx saw reaches
the access log, the session list and django-axes. Checked on the file itself (no Docker
engine here): the YAML as compose reads it, the environment the web service gets as
compose builds it (env_file .env, from .env.example, under its own `environment`), and that
environment read by the app's own settings code."""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.accounts.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def proxy_address() -> str:
    networks = SERVICES["proxy"]["networks"]
    assert list(networks) == ["default"], networks  # the network every service is on
    return str(networks["default"]["ipv4_address"])


def dot_env_example() -> dict[str, str]:
    found = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z_]+)=(.*)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def web_environment() -> dict[str, str]:
    """What the web containers get: .env (as made from .env.example), then the service's
    own `environment`, which wins (compose's order)."""
    return dot_env_example() | {
        k: str(v) for k, v in SERVICES["web"].get("environment", {}).items()
    }


def test_nginx_has_a_fixed_address_inside_the_stacks_subnet() -> None:
    (subnet,) = [
        ipaddress.ip_network(pool["subnet"])
        for pool in COMPOSE["networks"]["default"]["ipam"]["config"]
    ]
    address = ipaddress.ip_address(proxy_address())
    assert address in subnet and address not in (
        subnet.network_address,
        subnet.broadcast_address,
        next(subnet.hosts()),  # Docker's gateway
    )
    others = [
        name
        for name, service in SERVICES.items()
        if name != "proxy"
        and "ipv4_address" in str(service.get("networks", ""))
        and proxy_address() in str(service["networks"])
    ]
    assert not others


def test_the_web_service_trusts_exactly_the_address_nginx_gets() -> None:
    env = web_environment()
    assert env["ECD_TRUSTED_PROXIES"] == proxy_address()
    assert env["FORWARDED_ALLOW_IPS"] == proxy_address()  # gunicorn, not "*"
    assert "--forwarded-allow-ips" not in SERVICES["web"]["command"]
    # An operator who copies .env.example for this stack trusts the same address.
    assert dot_env_example()["ECD_TRUSTED_PROXIES"] == proxy_address()


def test_the_app_reads_that_address_as_its_only_trusted_proxy(tmp_path: Path) -> None:
    """The web service's environment through the app's own settings: the set of trusted
    proxies is nginx's address and nothing else (not the 127.0.0.1 default)."""
    env = production_env(tmp_path) | {
        "ECD_TRUSTED_PROXIES": web_environment()["ECD_TRUSTED_PROXIES"]
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(','.join(sorted(settings.ECD_TRUSTED_PROXIES)))",
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT), "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert shown.stdout.strip() == proxy_address()
