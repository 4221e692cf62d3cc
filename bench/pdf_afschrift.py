"""PDF afschrift of the 2,000-zorgmoment dossier (`BENCH_MOMENTS`): time and peak memory (target < 10 s, < 500 MB).

Runs after dossier_page_overhead.py has seeded the bench database. Median of three renders.
"""

from __future__ import annotations

import resource
import statistics
import time

from common import save, setup_django
from dossier_page_overhead import MOMENTS


def main() -> None:
    setup_django()
    from accounts.models import User
    from dossiers.clients import clients_with_family_name
    from dossiers.exports import collect, render_pdf
    from dossiers.models import Client

    (client,) = clients_with_family_name(
        Client.objects.select_related("dossier", "dossier__practice"), "Versleuteld"
    )
    anna = User.objects.get(username="bench-anna")
    timings, pages = [], 0
    for _ in range(3):
        start = time.perf_counter()
        pdf, pages = render_pdf(
            collect(client, issued_by=anna), password="bench-wachtwoord"
        )
        timings.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "seconds_median": round(statistics.median(timings), 2),
        "peak_rss_mb": round(peak_mb),
        "pages": pages,
        "bytes": len(pdf),
        "care_moments": MOMENTS,
        "target_seconds_max": 10,
        "target_peak_mb_max": 500,
    }
    save("pdf_afschrift", result)
    print(
        f"PDF: {result['seconds_median']} s, {pages} pages, peak {result['peak_rss_mb']} MB (targets < 10 s, < 500 MB)"
    )


if __name__ == "__main__":
    main()
