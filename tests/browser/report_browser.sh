#!/usr/bin/env bash
# Renders the report of data/samples/stream.jsonl (drift: the last two weeks
# against the six before) in headless Chromium, checks that every section of
# the page is present and non-empty in the rendered DOM, that the page made no
# network request, and takes a screenshot. SUPPORTNLP_SCREENSHOT=path copies
# the screenshot there (scripts/test-browser.sh writes docs/images/report.png).
#   report_browser.sh SUPPORTNLP_BINARY SOURCE_DIR
set -euo pipefail
cli=$1 src=$2
if [[ "${SUPPORTNLP_BROWSER_TESTS:-0}" != 1 ]]; then
  echo "skipped: set SUPPORTNLP_BROWSER_TESTS=1 or run scripts/test-browser.sh"
  exit 77
fi
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
  echo "FAIL: SUPPORTNLP_BROWSER_TESTS=1 but no chromium on PATH (apt-get install chromium)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$cli" report --input "$src/data/samples/stream.jsonl" --split-at 2026-11-09 \
  --title "Support report: sample ticket stream" --output "$tmp/report.html"

browser() {
  # A fresh profile each run; everything that could reach the network is off.
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$(mktemp -d "$tmp/profile.XXXX")" "$@" 2>"$tmp/chromium.log"
}

browser --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
python3 - "$tmp/dom.html" <<'PY'
import sys
from html.parser import HTMLParser

SECTIONS = ["summary", "volume", "queues", "intents", "sentiment", "urgency", "languages",
            "critical", "topics", "kb-gaps", "drift"]

class Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.current, self.text, self.tags = [], None, {}, {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.current = a.get("id")
            self.text[self.current] = ""
            self.tags[self.current] = set()
        elif self.current:
            self.tags[self.current].add(tag)
        for bad in ("src", "href"):
            if bad in a:
                sys.exit("FAIL: <%s %s=%r> in the rendered page" % (tag, bad, a[bad]))
        if tag in ("script", "link", "iframe", "img"):
            sys.exit("FAIL: <%s> in the rendered page" % tag)
    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None
    def handle_data(self, data):
        if self.current:
            self.text[self.current] += data

p = Sections()
p.feed(open(sys.argv[1], encoding="utf-8").read())
problems = []
for s in SECTIONS:
    if s not in p.text:
        problems.append("section %s missing" % s)
        continue
    words = len(p.text[s].split())
    if words < 8:
        problems.append("section %s nearly empty (%d words)" % (s, words))
for s in ("volume", "queues", "intents", "sentiment", "urgency", "languages"):
    if "svg" not in p.tags.get(s, ()):
        problems.append("section %s has no chart" % s)
if "emerging" not in p.text.get("topics", ""):
    problems.append("no emerging topic in the sample stream's report")
if "Drift:" not in p.text.get("drift", ""):
    problems.append("the injected issue is not flagged as drift")
if problems:
    sys.exit("FAIL: " + "; ".join(problems))
print("DOM ok: %d sections, %d words" % (len(p.text), sum(len(t.split()) for t in p.text.values())))
PY

browser --screenshot="$tmp/report.png" --window-size=1000,7600 "file://$tmp/report.html"
size=$(stat -c %s "$tmp/report.png")
if (( size < 50000 )); then
  echo "FAIL: screenshot is only $size bytes" >&2
  exit 1
fi
if [[ -n "${SUPPORTNLP_SCREENSHOT:-}" ]]; then
  cp "$tmp/report.png" "$SUPPORTNLP_SCREENSHOT"
fi
echo "browser report test ok (screenshot $size bytes)"
