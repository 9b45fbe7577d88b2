#!/usr/bin/env bash
# supportnlp analyze end to end on the bundled sample tickets: one JSON object
# per ticket with every part, PII redacted, urgent tickets flagged, a summary
# table on stderr; a malformed record becomes an error record (exit 3 with
# --strict); a missing bundle is a clear error (exit 1). The whole contract
# is in cli_contract.sh.
set -euo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" analyze --bundle "$src/data" --input "$src/data/samples/tickets.jsonl" \
  > "$tmp/out.jsonl" 2> "$tmp/err"
tickets=$(grep -c . "$src/data/samples/tickets.jsonl")
[ "$(wc -l < "$tmp/out.jsonl")" -eq "$tickets" ] || { echo "expected $tickets lines"; exit 1; }
for field in '"normalized":' '"sentiment":' '"urgency":' '"kb":' '"pii":'; do
  [ "$(grep -c "$field" "$tmp/out.jsonl")" -eq "$tickets" ] || { echo "missing $field"; exit 1; }
done
# T-0022 holds the test card number and a phone number: both redacted.
grep '"id":"T-0022"' "$tmp/out.jsonl" | grep -q 'New card: \[CARD\]' || { echo "card not redacted"; exit 1; }
grep '"id":"T-0022"' "$tmp/out.jsonl" | grep -q '"redacted":"[^"]*4111 1111' && { echo "card number in the redacted text"; exit 1; }
# T-0014 (account takeover) is critical, and the summary says so.
grep '"id":"T-0014"' "$tmp/out.jsonl" | grep -q '"level":"critical"' || { echo "T-0014 not critical"; exit 1; }
grep -q "tickets analysed" "$tmp/err" || { echo "no summary"; cat "$tmp/err"; exit 1; }
grep -q "critical tickets:.*T-0014" "$tmp/err" || { echo "summary lacks T-0014"; cat "$tmp/err"; exit 1; }

printf '%s\n' '{"id":"a","text":"site is down for everyone"}' '{"id":"b", broken' 'plain text line' \
  > "$tmp/in.jsonl"
set +e
"$bin" analyze --bundle "$src/data" --input "$tmp/in.jsonl" --quiet --strict > "$tmp/out2.jsonl" 2> "$tmp/err2"
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "expected exit 3 after a malformed record with --strict, got $rc"; exit 1; }
grep -q '"line":2' "$tmp/out2.jsonl" || { echo "no error record for line 2"; exit 1; }
grep -q '^{"id":"3",' "$tmp/out2.jsonl" || { echo "text line not analysed"; exit 1; }
grep -q "line 2" "$tmp/err2" || { echo "line 2 not reported on stderr"; cat "$tmp/err2"; exit 1; }
grep -q "tickets analysed" "$tmp/err2" && { echo "--quiet printed the summary"; exit 1; }

set +e
"$bin" analyze --bundle "$tmp/no-such-dir" --input "$tmp/in.jsonl" > /dev/null 2> "$tmp/err3"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 for a missing bundle, got $rc"; exit 1; }
grep -q "no-such-dir" "$tmp/err3" || { echo "error does not name the bundle"; exit 1; }
echo "analyze integration: ok"
