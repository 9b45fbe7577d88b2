#!/usr/bin/env bash
# supportnlp embed / train encoder end to end: vectors for good records, an
# error record with its line number for a bad one (exit 3 with --strict), clear
# errors for a corrupt or foreign model file.
set -euo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%s\n' '{"id":"a","text":"I cannot log in"}' '{"id":"b", broken' 'where is my parcel' '' \
  > "$tmp/in.jsonl"
set +e
"$bin" embed --model "$src/data/models/encoder.snlp" --input "$tmp/in.jsonl" --strict > "$tmp/out.jsonl" 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 3 ] || { echo "expected exit 3 after a malformed record with --strict, got $rc"; exit 1; }
[ "$(wc -l < "$tmp/out.jsonl")" -eq 4 ] || { echo "expected 4 output lines (the blank one too)"; cat "$tmp/out.jsonl"; exit 1; }
grep -q '^{"id":"a","line":1,"vector":\[' "$tmp/out.jsonl" || { echo "no vector for id a"; exit 1; }
grep -q '"line":2' "$tmp/out.jsonl" || { echo "no error record for line 2"; exit 1; }
grep -q '^{"id":"3","line":3,"vector":\[' "$tmp/out.jsonl" || { echo "no vector for the text line"; exit 1; }

# Corrupt model: a truncated copy is rejected with the file named.
head -c 5000 "$src/data/models/encoder.snlp" > "$tmp/bad.snlp"
if "$bin" embed --model "$tmp/bad.snlp" --input "$tmp/in.jsonl" > /dev/null 2> "$tmp/err"; then
  echo "truncated model accepted"; exit 1
fi
grep -q "bad.snlp" "$tmp/err" || { echo "error does not name the file"; cat "$tmp/err"; exit 1; }

# Training on a tiny TSV with one malformed line: model written, exit 1.
printf 'text\tlabel\nreset my password\tpw\nforgot password\tpw\nno label here\nwhere is my parcel\tship\nparcel missing\tship\n' \
  > "$tmp/train.tsv"
set +e
"$bin" train encoder --train "$tmp/train.tsv" --output "$tmp/enc.snlp" --dim 16 --epochs 2 --quiet 2> "$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "expected exit 1 for a malformed training line, got $rc"; exit 1; }
grep -q "train.tsv:4" "$tmp/err" || { echo "malformed line not reported"; cat "$tmp/err"; exit 1; }
echo "parcel" | "$bin" embed --model "$tmp/enc.snlp" | grep -q '"vector":\[' || { echo "trained model unusable"; exit 1; }
# A transformer encoder from a Hugging Face folder (the 32-dimensional test
# fixture): one vector per line, of its dimension; a folder that is not one is
# named in the error; --model and --encoder together are a usage error.
fixture="$src/tests/data/transformer/bert-prefixed"
printf 'reset password\n' | "$bin" embed --encoder "$fixture" > "$tmp/t.jsonl"
n=$(sed 's/.*"vector":\[\([^]]*\)\].*/\1/' "$tmp/t.jsonl" | tr ',' '\n' | wc -l)
[ "$n" -eq 32 ] || { echo "expected a 32-dimensional vector, got $n"; cat "$tmp/t.jsonl"; exit 1; }
if "$bin" embed --encoder "$tmp" < /dev/null > /dev/null 2> "$tmp/err"; then
  echo "a folder without config.json was accepted"; exit 1
fi
grep -q "config.json" "$tmp/err" || { echo "error does not name config.json"; cat "$tmp/err"; exit 1; }
set +e
"$bin" embed --encoder "$fixture" --model "$src/data/models/encoder.snlp" < /dev/null > /dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "expected exit 2 for --model with --encoder, got $rc"; exit 1; }
echo "embed integration: ok"
