#!/usr/bin/env bash
# train intent --encoder, intent / eval intent --encoder and analyze with a
# bundle's models/transformer (issue 14), on the random-weight BERT fixture
# of tests/data/transformer: the commands' contract (the model records its
# encoder, refuses another or none with a message naming it, the bundle
# serves it, --skip leaves the stage out), not accuracy.
set -euo pipefail
cli="$1"; src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
bert="$src/tests/data/transformer/bert-bare"
other="$src/tests/data/transformer/bert-prefixed"

{
  for t in "where is my refund" "refund not received" "I want my money back" \
           "refund still missing" "my refund is late" "please refund me"; do
    printf '%s\tbilling.refund\n' "$t"
  done
  for t in "I can't log in" "password reset fails" "locked out of my account" \
           "cannot sign in" "forgot my password" "login error"; do
    printf '%s\taccount.login\n' "$t"
  done
} > "$work/train.tsv"

"$cli" train intent --train "$work/train.tsv" --output "$work/intent.snlp" --encoder "$bert" \
  --buckets-log2 16 --quiet > "$work/report.json" 2> "$work/train.err" \
  || fail "train intent --encoder: $(cat "$work/train.err")"
fp=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["encoder"])' "$work/report.json")
[[ "$fp" == transformer/bert/32/cls/16/* ]] || fail "report names no transformer encoder: $fp"

# Predict with the encoder; without it or with another, a clean error naming it.
printf 'where is my refund\n' > "$work/q.txt"
"$cli" intent --model "$work/intent.snlp" --encoder "$bert" "$work/q.txt" > "$work/out.jsonl" \
  || fail "intent --encoder"
out=$(cat "$work/out.jsonl")
[[ "$out" == *'"label":"'* ]] || fail "intent output: $out"
set +e
"$cli" intent --model "$work/intent.snlp" "$work/q.txt" > /dev/null 2> "$work/none.err"
rc_none=$?
"$cli" intent --model "$work/intent.snlp" --encoder "$other" "$work/q.txt" > /dev/null 2> "$work/other.err"
rc_other=$?
set -e
[ "$rc_none" = 1 ] || fail "intent without the encoder should exit 1, got $rc_none"
[ "$rc_other" = 1 ] || fail "intent with another encoder should exit 1, got $rc_other"
err=$(cat "$work/none.err")
[[ "$err" == *"trained with encoder $fp"* ]] || fail "missing-encoder message: $err"
err=$(cat "$work/other.err")
[[ "$err" == *"$fp"*"but the encoder given is transformer/bert/32/mean/"* ]] \
  || fail "wrong-encoder message: $err"
"$cli" eval intent --model "$work/intent.snlp" --encoder "$bert" --test "$work/train.tsv" \
  > "$work/eval.json" || fail "eval intent --encoder"
[[ "$(cat "$work/eval.json")" == *'"accuracy":'* ]] || fail "eval output"

# --dense-view 0 contradicts --encoder.
set +e
"$cli" train intent --train "$work/train.tsv" --output "$work/x.snlp" --encoder "$bert" \
  --dense-view 0 --quiet > /dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--encoder with --dense-view 0 should be a usage error, got $rc"

# A bundle with the encoder in models/transformer: analyze uses it and says so.
bundle="$work/bundle"
mkdir -p "$bundle/models" "$bundle/kb"
cp "$work/intent.snlp" "$bundle/models/intent.snlp"
cp -r "$bert" "$bundle/models/transformer"
cp "$src/data/kb/articles.jsonl" "$bundle/kb/articles.jsonl"
"$cli" analyze --bundle "$bundle" --skip language "$work/q.txt" > "$work/a.jsonl" 2> "$work/a.err" \
  || fail "analyze with a transformer bundle: $(cat "$work/a.err")"
out=$(cat "$work/a.jsonl")
[[ "$out" == *'"intent":{'* && "$out" == *'"kb":[{'* ]] || fail "analyze output: $out"
summary=$(cat "$work/a.err")
[[ "$summary" == *"transformer  $fp"* ]] || fail "summary names no transformer: $summary"
[[ "$summary" == *"kb           $fp"* ]] || fail "summary: the KB's encoder: $summary"
[[ "$summary" == *"intent       $fp"* ]] || fail "summary: the intent model's encoder: $summary"

# --encoder replaces the bundle's transformer: another one is refused.
set +e
"$cli" analyze --bundle "$bundle" --skip language --encoder "$other" "$work/q.txt" \
  > /dev/null 2> "$work/b.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "analyze with another encoder should exit 1, got $rc"
err=$(cat "$work/b.err")
[[ "$err" == *"needs encoder $fp"* ]] || fail "analyze wrong-encoder message: $err"

# Without the transformer: an error naming it, unless the intent stage is skipped.
rm -r "$bundle/models/transformer"
set +e
"$cli" analyze --bundle "$bundle" --skip language,encoder "$work/q.txt" > /dev/null 2> "$work/c.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "analyze lacking the encoder should exit 1, got $rc"
err=$(cat "$work/c.err")
[[ "$err" == *"intent model"*"needs encoder $fp"*"lacks"* ]] || fail "lacking message: $err"
"$cli" analyze --bundle "$bundle" --skip language,encoder,intent --quiet "$work/q.txt" \
  > "$work/d.jsonl" || fail "analyze --skip intent"
out=$(cat "$work/d.jsonl")
[[ "$out" != *'"intent":'* ]] || fail "skipped intent still in the output: $out"
echo "ok"
