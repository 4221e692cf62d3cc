"""Static gates that run with the suite: nothing that switches escaping off, no forms that
take every model field, and no bandit finding of medium severity or worse."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "consent", "dossiers", "ecd", "keystore", "portal"]


def _files(pattern: str) -> list[Path]:
    found = [p for app in APPS for p in (ROOT / app).rglob(pattern)]
    return found + list((ROOT / "templates").rglob(pattern))


def test_no_template_switches_escaping_off() -> None:
    unsafe = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off|\|\s*safeseq\b")
    offenders = [str(p) for p in _files("*.html") if unsafe.search(p.read_text())]
    assert offenders == []


def test_no_python_marks_text_safe_or_takes_all_fields() -> None:
    banned = re.compile(r"mark_safe\(|SafeString\(|fields\s*=\s*[\"']__all__[\"']")
    offenders = [
        f"{p}:{n}"
        for p in _files("*.py")
        if "migrations" not in p.parts
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if banned.search(line) and not line.lstrip().startswith(("#", '"""'))
    ]
    assert offenders == []


def test_bandit_finds_nothing_of_medium_severity_or_worse() -> None:
    bandit = Path(sys.executable).parent / "bandit"
    result = subprocess.run(
        [str(bandit), "-q", "-r", *APPS, "-ll", "-x", "*/migrations/*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
