#!/usr/bin/env bash
# Runs the browser tests (ctest label "browser"): the HTML report rendered in
# headless Chromium. Not part of scripts/test.sh / CI, which skip them: they
# need Debian's chromium (apt-get install chromium). With SCREENSHOT=1 the
# sample stream's report is also saved as docs/images/report.png.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "test-browser: install chromium first (apt-get install chromium)" >&2; exit 1; }
cmake --build "${BUILD_DIR:-build}" --target supportnlp_cli
export SUPPORTNLP_BROWSER_TESTS=1
if [[ "${SCREENSHOT:-0}" == 1 ]]; then
  mkdir -p docs/images
  export SUPPORTNLP_SCREENSHOT=$PWD/docs/images/report.png
fi
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -L browser
