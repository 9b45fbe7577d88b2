#!/usr/bin/env bash
# drift and report end to end on data/samples/stream.jsonl: the injected
# issue flagged from raw tickets and from analyze output alike, malformed
# lines kept as error objects with their line numbers (exit 0, 3 with
# --strict), usage and missing-file exit codes, and a report page that has
# every section and fetches nothing.
set -euo pipefail
cli="$1"; src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
stream="$src/data/samples/stream.jsonl"

# The last two weeks against the six before, as raw tickets.
grep -v '"created_at":"2026-11-\(09\|1[0-9]\|2[0-9]\)' "$stream" > "$work/before.jsonl"
grep '"created_at":"2026-11-\(09\|1[0-9]\|2[0-9]\)' "$stream" > "$work/after.jsonl"
[ "$(wc -l < "$work/before.jsonl")" = 240 ] || fail "expected 240 tickets before 2026-11-09"
"$cli" drift --reference "$work/before.jsonl" --current "$work/after.jsonl" > "$work/raw.json" \
  || fail "drift on raw tickets"
python3 - "$work/raw.json" <<'PY' || fail "drift verdict on raw tickets"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verdict"] == "drift", j["reasons"]
fired = {t["name"] for t in j["tests"] if t["fired"]}
assert "queue_mix" in fired and "text_domain" in fired, fired
assert j["reference_tickets"] == 240 and j["current_tickets"] == 118
assert j["errors"] == []
PY

# The same from analyze output, with a malformed line and an error record.
"$cli" analyze --quiet --kb-top-k 0 "$work/after.jsonl" > "$work/after.analyzed.jsonl"
{ head -5 "$work/after.analyzed.jsonl"; echo '{not json'; tail -n +6 "$work/after.analyzed.jsonl"; } \
  > "$work/after.bad.jsonl"
"$cli" drift --reference "$work/before.jsonl" --current "$work/after.bad.jsonl" \
  > "$work/analyzed.json" 2> "$work/analyzed.err" || fail "drift with a malformed line should exit 0"
grep -q "line 6" "$work/analyzed.err" || fail "malformed line not reported on stderr"
python3 - "$work/analyzed.json" <<'PY' || fail "drift on analyze output"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verdict"] == "drift"
assert j["current_tickets"] == 118
assert len(j["errors"]) == 1 and j["errors"][0]["line"] == 6, j["errors"]
PY
set +e
"$cli" drift --strict --reference "$work/before.jsonl" --current "$work/after.bad.jsonl" \
  > /dev/null 2>&1; rc=$?
"$cli" drift --reference "$work/before.jsonl" > /dev/null 2>&1; rc_usage=$?
"$cli" drift --reference "$work/before.jsonl" --current "$work/missing.jsonl" > /dev/null 2>&1
rc_missing=$?
set -e
[ "$rc" = 3 ] || fail "drift --strict with a malformed line should exit 3, got $rc"
[ "$rc_usage" = 2 ] || fail "drift without --current should exit 2, got $rc_usage"
[ "$rc_missing" = 1 ] || fail "drift on a missing file should exit 1, got $rc_missing"

# The report: every section, nothing fetched, the drift verdict shown.
"$cli" report --input "$stream" --split-at 2026-11-09 --output "$work/report.html" 2> "$work/report.err" \
  || fail "report: $(cat "$work/report.err")"
python3 - "$work/report.html" <<'PY' || fail "report page"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>")
for s in ["summary", "volume", "queues", "intents", "sentiment", "urgency", "languages",
          "critical", "topics", "kb-gaps", "drift"]:
    assert '<section id="%s">' % s in html, s
for bad in ("<script", "<link", "<img", " src=", " href=", "url("):
    assert bad not in html, bad
assert "Drift: the tickets differ" in html
assert "emerging" in html
PY
set +e
"$cli" report --input "$stream" --split-at 2026-11-09 --reference "$work/before.jsonl" \
  --output "$work/x.html" > /dev/null 2>&1; rc=$?
set -e
[ "$rc" = 2 ] || fail "report with both --split-at and --reference should exit 2, got $rc"
echo "drift/report ok"
