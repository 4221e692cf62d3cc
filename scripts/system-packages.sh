#!/usr/bin/env bash
# Debian packages the suite needs: Pango and HarfBuzz for WeasyPrint, Chromium for the
# browser journeys, wrk and valgrind for `make bench`, poppler-utils (pdftoppm) for the
# afschrift test, nginx for the test that runs docker-compose.yml's steps behind the shipped
# deploy/nginx.conf and for the client-address test. Installs what is missing when run as root; otherwise says what to install.
# Idempotent and quiet when all is there.
set -euo pipefail
need=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium wrk valgrind poppler-utils nginx; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing Debian packages: ${need[*]} (sudo apt-get install them)." >&2
  echo "Without chromium the browser journeys are skipped, and pytest says so." >&2
fi
