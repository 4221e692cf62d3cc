#!/usr/bin/env bash
# Vendors the CSS design system from the npm registry into ecd/static/vendor/.
# The result is committed, so running the app needs no build step and no npm.
set -euo pipefail
version="${PICO_VERSION:-2.1.1}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@picocss/pico@${version}" >/dev/null && tar xzf picocss-pico-*.tgz)
install -m 0644 "$tmp/package/css/pico.min.css" "$here/ecd/static/vendor/pico.min.css"
install -m 0644 "$tmp/package/LICENSE.md" "$here/ecd/static/vendor/pico.LICENSE.md"
echo "vendored @picocss/pico@${version}"
