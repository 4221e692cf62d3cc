"""The production settings pass `manage.py check --deploy` and set the cookies right."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ECD_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env |= {
        "ECD_ENV": "production",
        "SECRET_KEY": "prod-" + "k" * 60,
        "ALLOWED_HOSTS": "ecd.example.nl",
        "ECD_MASTER_KEYS": "k1:" + "A" * 43,
        "ECD_BLIND_INDEX_KEY": "b" * 40,
        "ECD_AUDIT_CHECKPOINT_KEY": "c" * 40,
        "ECD_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ecd.settings",
    }
    return env


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_and_debug(tmp_path: Path) -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'session': s.SESSION_COOKIE_NAME, 'csrf': s.CSRF_COOKIE_NAME,"
        "'secure': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE, 'httponly': s.SESSION_COOKIE_HTTPONLY,"
        "'samesite': s.SESSION_COOKIE_SAMESITE, 'encryption': s.ECD_ENCRYPTION_ENABLED,"
        "'apps': s.INSTALLED_APPS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    s = json.loads(result.stdout)
    assert s["debug"] is False and s["hosts"] == ["ecd.example.nl"]
    assert s["session"] == "__Host-sessionid" and s["csrf"] == "__Host-csrftoken"
    assert s["secure"] and s["httponly"] and s["samesite"] in ("Lax", "Strict")
    assert s["encryption"] is True
    assert "django.contrib.admin" not in s["apps"] and "debug_toolbar" not in s["apps"]
