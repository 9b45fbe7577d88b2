#!/usr/bin/env bash
# The output schema test: runs analyze, intent, sentiment, kb search,
# tokenize and langid on the sample tickets (and on crafted lines: blank,
# malformed, invalid UTF-8, over-long), and the C API's text-taking calls
# (capi_outputs.c) on the same lines, and validates every output line against
# docs/output-schema.json with tests/schema/validate.py.
# Usage: schema_outputs.sh SUPPORTNLP_BINARY SOURCE_DIR CAPI_OUTPUTS_BINARY
set -euo pipefail
cli=$1
src=$2
capi=$3
schema="$src/docs/output-schema.json"
validate="python3 $src/tests/schema/validate.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SUPPORTNLP_DATA="$src/data"

$validate --self-test "$schema"

tickets="$src/data/samples/tickets.jsonl"
# Crafted lines: a numeric id, a blank line, malformed JSON, no "text",
# invalid UTF-8, a plain-text line, an emoji and an e-mail address.
{
  printf '{"id":42,"text":"I was charged twice!!! call me on +44 20 7946 0958 :("}\n'
  printf '\n'
  printf '{"id":"bad",\n'
  printf '{"id":"T-no-text","body":"x"}\n'
  printf '{"id":"T-utf8","text":"refund \xff please"}\n'
  printf 'my parcel never arrived, mail bob@example.com\n'
  printf '{"id":"T-emoji","text":"love it \xf0\x9f\x98\x8d thanks"}\n'
} > "$work/crafted.jsonl"
printf 'my parcel never arrived \xff\n' > "$work/crafted.txt"

run() { # name, schema def, then the command line; a malformed record may make it exit 0 or 3
  local name=$1 def=$2
  shift 2
  set +e
  "$@" > "$work/$name.jsonl" 2> "$work/$name.err"
  local rc=$?
  set -e
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "FAIL: $name exited $rc: $(tail -3 "$work/$name.err")"
    exit 1
  fi
  $validate "$schema" "$def" "$work/$name.jsonl" || { echo "FAIL: $name output"; exit 1; }
}

for input in "$tickets" "$work/crafted.jsonl" "$work/crafted.txt"; do
  base=$(basename "$input" | tr . _)
  run "analyze_$base" analysis "$cli" analyze --quiet "$input"
  run "analyze_cut_$base" analysis "$cli" analyze --quiet --max-text-bytes 20 "$input"
  run "intent_$base" intent_line "$cli" intent --top-k 3 "$input"
  run "intent_explain_$base" intent_line "$cli" intent --explain "$input"
  run "sentiment_$base" sentiment_line "$cli" sentiment "$input"
  run "sentiment_explain_$base" sentiment_line "$cli" sentiment --explain "$input"
  run "tokenize_$base" tokens_line "$cli" tokenize "$input"
  run "tokenize_norm_$base" tokens_line "$cli" tokenize --normalized "$input"
  run "langid_$base" language_line "$cli" langid --top-k 3 "$input"
done

# The C API: each line of the same inputs as raw text.
for input in "$tickets" "$work/crafted.jsonl" "$work/crafted.txt"; do
  base=$(basename "$input" | tr . _)
  mkdir -p "$work/capi_$base"
  "$capi" "$src/data" "$input" "$work/capi_$base" || { echo "FAIL: capi_outputs on $base"; exit 1; }
  for pair in analyze:analysis langid:language_result tokenize:capi_tokens pii:pii urgency:urgency; do
    $validate "$schema" "${pair#*:}" "$work/capi_$base/${pair%%:*}.jsonl" ||
      { echo "FAIL: C API ${pair%%:*} output on $base"; exit 1; }
  done
  $validate "$schema" analyzer_info "$work/capi_$base/info.jsonl" ||
    { echo "FAIL: C API analyzer info on $base"; exit 1; }
done

"$cli" kb build --articles "$src/data/kb/articles.jsonl" --output "$work/kb.snlp" 2> /dev/null
for input in "$src/data/kb/queries.txt" "$tickets" "$work/crafted.jsonl"; do
  base=$(basename "$input" | tr . _)
  run "kb_search_$base" search_line "$cli" kb search --kb "$work/kb.snlp" -k 3 "$input"
  run "kb_search_cut_$base" search_line "$cli" kb search --kb "$work/kb.snlp" --max-query-bytes 8 \
    "$input"
done

# The lines validated must include the ones that carry the optional parts.
grep -q '"truncated":true' "$work"/analyze_cut_*.jsonl || { echo "FAIL: no truncated analysis"; exit 1; }
grep -q '"repaired_utf8":true' "$work"/tokenize_crafted_txt.jsonl || { echo "FAIL: no repaired tokens"; exit 1; }
grep -q '"error"' "$work"/analyze_crafted_jsonl.jsonl || { echo "FAIL: no error record"; exit 1; }
grep -q '"article_id"' "$work"/analyze_tickets_jsonl.jsonl || { echo "FAIL: no KB hit in analyze"; exit 1; }
grep -q '"evidence":\[{' "$work"/intent_explain_tickets_jsonl.jsonl || { echo "FAIL: no intent evidence"; exit 1; }
grep -q '"repaired_utf8":true' "$work"/capi_crafted_txt/langid.jsonl || { echo "FAIL: no repaired C API langid"; exit 1; }
grep -q '"undetermined":true' "$work"/langid_crafted_jsonl.jsonl || { echo "FAIL: no undetermined langid line"; exit 1; }
echo "schema: all outputs valid"
