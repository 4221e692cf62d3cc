"""`make bench`: runs every benchmark in this folder and leaves results in bench/results.json."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["dossier_page_overhead.py"],
    ["pdf_afschrift.py"],
    ["load.py", "--compare"],  # full volume, then the same pages at six clients
    ["stock_django.py"],  # the floor and a signed-in redirect in Django as it ships
    ["instructions.py"],  # Python instructions a request at six clients ...
    ["instructions.py", "--full"],  # ... and at full volume
]

if __name__ == "__main__":
    for name, *args in BENCHMARKS:
        print(f"== {name}")
        subprocess.run([sys.executable, str(HERE / name), *args], cwd=HERE, check=True)
