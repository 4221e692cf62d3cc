"""Through a real nginx (deploy/nginx.conf's proxy headers) in front of gunicorn: the
address Django logs is the one nginx saw, a spoofed header sent to nginx is overwritten,
and one sent straight to gunicorn is ignored."""

import http.client
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, source: str, headers: dict[str, str]) -> str:
    """GET / from a chosen loopback address (Linux answers on all of 127.0.0.0/8)."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    conn.request("GET", "/", headers=headers)
    return conn.getresponse().read().decode()


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def proxy_headers() -> str:
    """The proxy_set_header lines of the shipped config, not a copy of them."""
    lines = (ROOT / "deploy" / "nginx.conf").read_text().splitlines()
    return "\n".join(line for line in lines if "proxy_set_header" in line)


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx: scripts/system-packages.sh"
)
def test_the_address_behind_a_real_nginx_is_the_clients() -> None:
    web, front = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(
            f"daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
            f"events {{}}\nhttp {{ access_log off; client_body_temp_path {tmp};\n"
            f"proxy_temp_path {tmp}; server {{ listen 127.0.0.1:{front};\n"
            f"location / {{ proxy_pass http://127.0.0.1:{web};\n{proxy_headers()}\n}} }} }}\n"
        )
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{web}", "-w", "1",
             "tests.audit.ip_echo:app"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        nginx = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", tmp], stderr=subprocess.DEVNULL
        )
        try:
            wait_for(web)
            wait_for(front)
            assert get(front, "127.0.0.5", {}) == "127.0.0.5"
            spoofed = {"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.7"}
            assert get(front, "127.0.0.6", spoofed) == "127.0.0.6"
            assert get(web, "127.0.0.7", spoofed) == "127.0.0.7"
        finally:
            nginx.terminate()
            gunicorn.terminate()
            nginx.wait(10)
            gunicorn.wait(10)
