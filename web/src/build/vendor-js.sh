#!/usr/bin/env bash
# Vendors the web module's JavaScript from npm at build time (Maven's generate-resources phase), from
# package.json and its lock, so nothing is fetched when a page or a test runs: `npm ci`, then the
# files are copied into target/vendor/. Skips the work when target/vendor is newer than the lock.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/vendor
if [ -f "$OUT/iwer.min.js" ] && [ "$OUT/iwer.min.js" -nt package-lock.json ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "web: npm is needed to build (it vendors the WebXR emulator the browser test drives the page with);" >&2
  echo "     install Node.js and npm (Debian: apt-get install nodejs npm) and build again" >&2
  exit 1
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 \
  || { echo "web: 'npm ci' failed in $(pwd): the npm registry must be reachable at build time" >&2; exit 1; }
mkdir -p "$OUT"
cp node_modules/iwer/build/iwer.min.js "$OUT/iwer.min.js"
cp node_modules/iwer/LICENSE "$OUT/iwer.LICENSE" 2>/dev/null || true
