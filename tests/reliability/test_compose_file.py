"""docker-compose.yml holds together without a Docker engine: the proxy balances over the
three web replicas on the port they listen on, every file the stack mounts is in the
repository, every role it connects as is created, and the web service's own command, started as compose starts it with production
settings, passes the health check the proxy waits for."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.accounts.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from common import wait_port  # noqa: E402
from soak import free_port  # noqa: E402

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def _web_command() -> list[str]:
    return shlex.split(SERVICES["web"]["command"])


def test_the_proxy_balances_over_three_web_replicas_on_their_port() -> None:
    web = SERVICES["web"]
    assert web["deploy"]["replicas"] == 3
    command = _web_command()
    bind = command[command.index("--bind") + 1]
    assert bind == "0.0.0.0:8000" and "8000" in web["expose"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", nginx, re.S)
    assert upstream is not None
    assert re.search(r"^\s*server web:8000 resolve;", upstream.group(2), re.M)
    assert f"proxy_pass http://{upstream.group(1)};" in nginx
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_mounted_file_is_in_the_repository() -> None:
    mounts = [
        volume.split(":")[0]
        for service in SERVICES.values()
        for volume in service.get("volumes", [])
        if volume.startswith("./")
    ]
    assert "./deploy/nginx.conf" in mounts and "./deploy/postgres-init.sql" in mounts
    assert all((ROOT / path).exists() for path in mounts), mounts


def test_every_role_the_stack_connects_as_is_created() -> None:
    """The migrate job's owner role (compose) and the web and worker role (`.env`, from
    .env.example) exist in the database the db service initialises."""
    created = set(
        re.findall(
            r"^CREATE ROLE (\w+) LOGIN",
            (ROOT / "deploy" / "postgres-init.sql").read_text(),
            re.M,
        )
    )
    urls = list(SERVICES["migrate"]["environment"].values())
    urls += re.findall(
        r"^\w*DATABASE_URL=(\S+)", (ROOT / ".env.example").read_text(), re.M
    )
    roles = {re.match(r"postgres://(\w+):", url).group(1) for url in urls}
    assert roles == {"ecd_owner", "ecd_app"} and roles <= created


def test_the_web_command_passes_the_health_check_with_production_settings(
    tmp_path: Path,
) -> None:
    port = free_port()
    command = _web_command()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    env = production_env(tmp_path)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_port(port)
        kind, *check = SERVICES["web"]["healthcheck"]["test"]
        assert kind == "CMD" and check[0] == "python"
        check = [sys.executable, *check[1:]]
        check[-1] = check[-1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run(
            check, env=env, capture_output=True, text=True, timeout=30, check=False
        )
        log.flush()
        served = (tmp_path / "gunicorn.log").read_text()[-2000:]
        assert result.returncode == 0, result.stderr[-2000:] + served
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
