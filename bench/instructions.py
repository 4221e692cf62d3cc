"""What a page costs the Python process, counted in CPU instructions rather than timed.

This kind of machine's speed drifts by a third within minutes, so a few per cent gained or
lost is lost in the noise of any timing. valgrind's callgrind counts the instructions a
process executes: the same count however busy the machine is. Each page is requested through
Django's WSGI handler in-process (no gunicorn, no network) against the six-client bench
database (`<bench db>_six`: the 2,000-zorgmoment dossier and the 50,000-event client of
`load.py`), 10 times as a warm-up and then N times; running the same once more with N = 0
and subtracting gives the instructions of one request. PostgreSQL's own work is not counted.

`--full` counts against the full-volume bench database instead (seeded by `load.py`): the
Python side of "a page costs the same at 6,000 clients as at 6", without the timing noise.

Run: .venv/bin/python bench/instructions.py [--full] [floor signed-in dossier who search]  (needs valgrind)
Results in bench/results.json under "instructions" (or "instructions_full").
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DB, RESULTS, save, setup_django

SIX = BENCH_DB + "_six"
WARM_UP = 10
COUNTED = 20


# Short names on the command line and in results.json → load.py's requests.
PAGES = {
    "floor": "floor",
    "signed-in": "signed-in redirect",
    "dossier": "dossier page",
    "who": "who-saw-what",
    "search": "client search",
}


def requests(database: str, page: str, count: int) -> None:
    """Inside valgrind: the warm-up and `count` requests of one page."""
    os.environ["DATABASE_URL"] = database
    os.environ["DEBUG"] = "0"  # as load.py's gunicorn
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecd.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from load import CSRF, requests_of, world

    method, path, body, cookie, status, location = requests_of(world())[PAGES[page]]
    handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_CSRFTOKEN": CSRF,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={cookie}; csrftoken={CSRF}",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    answers = set()

    def start_response(line: str, headers: Any, exc_info: Any = None) -> None:
        answers.add((int(line.split()[0]), dict(headers).get("Location")))

    for _ in range(WARM_UP + count):
        request = {**environ, "wsgi.input": io.BytesIO(body.encode())}
        response = handler(request, start_response)
        b"".join(response)
        response.close()
    # Each answer must be the page's own (the signed-in redirect's to the client list): a
    # redirect to the login page would count a request whose session was not accepted.
    if answers != {(status, location or None)}:
        raise SystemExit(f"{page}: {answers}")


def total(database: str, page: str, count: int) -> int:
    """Instructions of a whole run: start-up, warm-up and `count` requests."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--inner",
                database,
                page,
                str(count),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict and set orders
        )
        for line in out.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no total")


def per_request(database: str, page: str) -> float:
    with ThreadPoolExecutor(2) as pool:  # the two runs on the two cores
        counted, base = pool.map(lambda n: total(database, page, n), (COUNTED, 0))
    return (counted - base) / COUNTED


def main(names: list[str]) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind ontbreekt: apt-get install valgrind")
    full = "--full" in names
    names = [name for name in names if name != "--full"]
    database = BENCH_DB if full else SIX
    if unknown := set(names) - set(PAGES):
        raise SystemExit(
            f"Onbekende pagina's: {', '.join(sorted(unknown))}; kies uit {', '.join(PAGES)}."
        )
    setup_django(database)  # migrations and seeding outside valgrind
    from load import seeded

    seeded("full" if full else "six")
    counts = {}
    for name in names or list(PAGES):
        counts[name] = round(per_request(database, name) / 1e6, 2)
        print(f"{name:10} {counts[name]:8.2f} million instructions a request")
    section = "instructions_full" if full else "instructions"
    earlier = (
        json.loads(RESULTS.read_text()).get(section, {}) if RESULTS.exists() else {}
    )
    counts = {**earlier.get("million_per_request", {}), **counts}  # pages not run stay
    save(section, {"million_per_request": counts, "requests": COUNTED})


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        requests(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main(sys.argv[1:])
