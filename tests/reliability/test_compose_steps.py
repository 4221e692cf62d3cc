"""docker-compose.yml's services, run step by step as compose would, without a Docker engine.

Against a fresh PostgreSQL cluster (initdb, the db service's init script), as the roles the
file names: the migrate job's command as the owner role, the web command (gunicorn, production
settings) and the export worker as the app role from `.env` (.env.example), behind the shipped
deploy/nginx.conf. A person signs in through nginx with both factors. Any step that exits
non-zero fails the test.

Why a fresh cluster and not fresh databases on the shared server: the init script creates
cluster-wide roles (ecd_owner, ecd_app) and fixed database names, and the db service is a new
cluster with password authentication over TCP; a cluster of its own is that, and leaves the
shared server alone.

What is adapted, and only that: host `db` becomes 127.0.0.1 and a free port; nginx.conf's
listen lines, upstream server (Docker's DNS and `resolve`) and certificate paths are templated
to free ports and a throw-away certificate, and `http2 on;` is dropped on an nginx older than
1.25.1 (Debian 12 ships 1.22; the compose file uses nginx:1.27). Everything else is the
file as shipped.
"""

from __future__ import annotations

import datetime
import http.client
import os
import pwd
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.accounts.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from common import wait_port  # noqa: E402
from soak import free_port  # noqa: E402

pytestmark = pytest.mark.postgres
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
HOST = "ecd.example.nl"
PASSWORD = "een lange zin als wachtwoord voor compose"
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex, as django-otp stores it
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
)


def run(step: str, command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    """One step; its exit code must be 0."""
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, **kwargs
    )
    assert done.returncode == 0, (
        f"{step} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done


def unavailable(reason: str) -> None:
    """Skip where the tools are missing, but never in CI (.ci/run sets the variable)."""
    if os.environ.get("ECD_REQUIRE_COMPOSE_TEST"):
        pytest.fail(reason)
    pytest.skip(reason)


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A directory the postgres user (cluster) and nginx's workers can use."""
    path = Path(tempfile.mkdtemp(prefix="ecd-compose-"))
    path.chmod(0o755)
    yield path
    if not os.environ.get("ECD_KEEP_COMPOSE_DIR"):  # to read the services' logs
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def cluster(workdir: Path) -> Iterator[int]:
    """The db service: a new cluster, scram passwords over TCP, the init script run once."""
    if PG_BIN is None or os.geteuid() != 0:
        unavailable("needs PostgreSQL's server binaries and root (runuser)")
    postgres = pwd.getpwnam("postgres")
    data, sockets = workdir / "pgdata", workdir / "pgsock"
    for folder in (data, sockets):
        folder.mkdir()
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    port = free_port()
    run(
        "initdb",
        as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        ),
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        "pg_ctl start",
        as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(sockets / "postgres.log"),
                "-w",
                "start",
            ]
        ),
    )
    try:
        # As docker-entrypoint-initdb.d runs it: psql, stop at the first error.
        run(
            "db init script",
            as_postgres(
                [
                    str(PG_BIN / "psql"),
                    "-h",
                    str(sockets),
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-f",
                    str(ROOT / "deploy" / "postgres-init.sql"),
                ]
            ),
        )
        yield port
    finally:
        subprocess.run(
            as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )


def to_local(url: str, port: int) -> str:
    return url.replace("@db:5432/", f"@127.0.0.1:{port}/")


def dot_env(workdir: Path, db_port: int) -> dict[str, str]:
    """`.env` as an operator makes it from .env.example: its values, the empty secrets
    filled in; the process environment of every service with `env_file: .env`."""
    env = production_env(workdir)
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z_]+)=(.*)$", line)
        if match and match.group(2):
            env[match.group(1)] = to_local(match.group(2), db_port)
    env["ECD_AUDIT_CHECKPOINT_DIR"] = str(workdir / "checkpoints")
    env["ECD_VAR_DIR"] = str(workdir / "var")
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"  # the image's python
    return env


def nginx_conf(workdir: Path, web_port: int, https_port: int, http_port: int) -> Path:
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    version = subprocess.run(
        [NGINX, "-v"], capture_output=True, text=True, check=False
    ).stderr
    found = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", version)
    assert found is not None, version
    replacements = [
        (r"^\s*resolver [^;]+;\s*$", ""),
        (r"server web:8000 resolve;", f"server 127.0.0.1:{web_port};"),
        (r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"/etc/nginx/certs/", f"{workdir}/certs/"),
        (r"access_log /dev/stdout", f"access_log {workdir}/nginx-access.log"),
    ]
    if tuple(int(n) for n in found.groups()) < (1, 25, 1):
        replacements.append((r"^\s*http2 on;\s*$", ""))
    conf = shipped
    for pattern, replacement in replacements:
        conf, count = re.subn(pattern, replacement, conf, flags=re.M)
        assert count >= 1, f"deploy/nginx.conf no longer has {pattern!r}"
    temp = workdir / "nginx-temp"
    temp.mkdir(mode=0o777)
    temp.chmod(0o777)
    wrapped = f"""daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{}}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{conf}
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(wrapped)
    return path


def self_signed(workdir: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), False)
        .sign(key, hashes.SHA256())
    )
    certs = workdir / "certs"
    certs.mkdir()
    (certs / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (certs / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certs / "fullchain.pem"


class Browser:
    """Just enough of a browser over TLS to nginx: cookies, forms with CSRF, Host header."""

    def __init__(self, port: int, ca: Path) -> None:
        self.port = port
        self.context = ssl.create_default_context(cafile=str(ca))
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, timeout=30
        )
        conn.sock = self.context.wrap_socket(  # SNI and certificate name: the real host
            socket.create_connection(("127.0.0.1", self.port), 30),
            server_hostname=HOST,
        )
        headers = {"Host": HOST, "Referer": f"https://{HOST}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, dict(response.getheaders()), text

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status, page[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None, page[:1000]
        status, headers, page = self.request(
            "POST", path, {"csrfmiddlewaretoken": token.group(1), **fields}
        )
        return status, headers


def location(headers: dict[str, str]) -> str:
    target = headers.get("Location", "")
    parsed = urllib.parse.urlsplit(target)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


CREATE_USER = f"""
from accounts.models import Practice, Role, User
from django_otp.plugins.otp_totp.models import TOTPDevice
practice = Practice.objects.create(name="Praktijk Compose")
user = User(username="anna", role=Role.CAREGIVER, practice=practice,
            first_name="Anna", last_name="Compose")
user.set_password({PASSWORD!r})
user.save()
TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True, key={TOTP_KEY!r})
"""


def test_the_compose_services_start_in_order_and_a_person_signs_in_through_nginx(
    workdir: Path, cluster: int
) -> None:
    if NGINX is None:
        unavailable("nginx is not installed (scripts/system-packages.sh installs it)")
    from django_otp.oath import totp

    env = dot_env(workdir, cluster)
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, command: list[str], service_env: dict[str, str]):
        log = (workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env=service_env, stdout=log, stderr=log
        )
        processes.append(process)
        return process

    def log_of(name: str) -> str:
        return (workdir / f"{name}.log").read_text(errors="replace")[-3000:]

    try:
        # The image build's step that runs the app (Dockerfile: collectstatic), as written,
        # with the image's ENV; only its /var/lib/ecd becomes the test's folder.
        dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
        build = next(
            line.removeprefix("RUN ")
            for line in dockerfile.splitlines()
            if line.startswith("RUN ") and "collectstatic" in line
        )
        image_env = dict(
            re.findall(
                r"(\w+)=(\S+)",
                next(
                    line for line in dockerfile.splitlines() if line.startswith("ENV ")
                ),
            )
        )
        var = str(workdir / "var")
        run(
            "image build: collectstatic",
            ["sh", "-c", build.replace("/var/lib/ecd", var)],
            cwd=ROOT,
            env={"PATH": env["PATH"], **image_env, "ECD_VAR_DIR": var},
        )

        # migrate: its own environment (the owner role) over .env, its command as written.
        migrate = SERVICES["migrate"]
        migrate_env = env | {
            k: to_local(v, cluster) for k, v in migrate["environment"].items()
        }
        assert "ecd_owner" in migrate_env["DATABASE_URL"]
        run("migrate job", shlex.split(migrate["command"]), cwd=ROOT, env=migrate_env)

        # A person to sign in, made as the app role (what web will run as).
        assert (
            "ecd_app" in env["DATABASE_URL"]
            and "ecd_app" in env["KEYSTORE_DATABASE_URL"]
        )
        run(
            "create user",
            [sys.executable, "manage.py", "shell", "-c", CREATE_USER],
            cwd=ROOT,
            env=env,
        )

        # web: gunicorn with production settings as the app role, on a free port.
        web_port = free_port()
        command = shlex.split(SERVICES["web"]["command"])
        command[command.index("--bind") + 1] = f"127.0.0.1:{web_port}"
        web = start("web", command, env)
        wait_port(web_port, seconds=60)

        # worker: the export worker, as the app role.
        worker = start("worker", shlex.split(SERVICES["worker"]["command"]), env)

        # proxy: the shipped nginx.conf, templated to free ports and a test certificate.
        ca = self_signed(workdir)
        https_port, http_port = free_port(), free_port()
        conf = nginx_conf(workdir, web_port, https_port, http_port)
        run("nginx -t", [NGINX, "-t", "-c", str(conf), "-e", str(workdir / "e.log")])
        proxy = start(
            "proxy", [NGINX, "-c", str(conf), "-e", str(workdir / "e.log")], env
        )
        wait_port(https_port)

        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/inloggen/", headers={"Host": HOST})
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location") == f"https://{HOST}/inloggen/"

        browser = Browser(https_port, ca)
        status, headers = browser.form(
            "/inloggen/", {"username": "anna", "password": PASSWORD}
        )
        assert status == 302, log_of("web")
        second_step = location(headers)
        for _ in range(5):  # the first factor alone is sent on to the second
            status, headers, _page = browser.request("GET", second_step)
            if status != 302:
                break
            second_step = location(headers)
        assert second_step.startswith("/inloggen/code/"), second_step
        code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
        status, headers = browser.form(second_step, {"token": code})
        assert status == 302, log_of("web")
        status, _, page = browser.request("GET", "/clienten/")
        assert status == 200, page[:500]
        assert "Anna" in page and "Uitloggen" in page

        # Every long-running service is still up: none exited (non-zero or otherwise).
        time.sleep(3)  # the worker has polled the job queue a few times as the app role
        for name, process in (("web", web), ("worker", worker), ("proxy", proxy)):
            assert process.poll() is None, f"{name} exited:\n{log_of(name)}"
        assert "POST /inloggen/code/" in (workdir / "nginx-access.log").read_text()

        # The role web runs as may append to the access log but not rewrite it.
        app_url = env["DATABASE_URL"]
        psql = [str(PG_BIN / "psql"), app_url, "-v", "ON_ERROR_STOP=1", "-Atc"]
        counted = run("count log", [*psql, "SELECT count(*) FROM audit_accessevent"])
        assert int(counted.stdout.strip()) > 0  # the sign-in was logged, as ecd_app
        rewrite = subprocess.run(
            [*psql, "UPDATE audit_accessevent SET detail = 'x'"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert rewrite.returncode != 0 and "permission denied" in rewrite.stderr
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
