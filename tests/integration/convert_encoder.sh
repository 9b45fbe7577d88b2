#!/usr/bin/env bash
# supportnlp convert encoder end to end (issue 14): a Hugging Face folder
# (the 32-dimensional test fixture) packed into one file, f32 and --int8;
# `embed --encoder FILE` gives the folder's vectors from the f32 file, and
# int8 vectors close to them; usage errors exit 2, a missing folder or a
# damaged file exit 1 with the path named.
set -euo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixture="$src/tests/data/transformer/bert-prefixed"

out=$("$bin" convert encoder --from "$fixture" --output "$tmp/f32.snlp")
grep -q '"weights":"f32"' <<< "$out" || { echo "convert: no f32 summary: $out"; exit 1; }
grep -q '"fingerprint":"transformer/bert/32/mean/16/' <<< "$out" || { echo "convert: fingerprint: $out"; exit 1; }
out=$("$bin" convert encoder --from "$fixture" --output "$tmp/i8.snlp" --int8)
grep -q '"weights":"int8"' <<< "$out" || { echo "convert --int8: no int8 summary: $out"; exit 1; }
grep -q '/int8"' <<< "$out" || { echo "convert --int8: fingerprint lacks /int8: $out"; exit 1; }
f32_size=$(stat -c %s "$tmp/f32.snlp")
i8_size=$(stat -c %s "$tmp/i8.snlp")
[ "$i8_size" -lt "$f32_size" ] || { echo "int8 file ($i8_size) not smaller than f32 ($f32_size)"; exit 1; }

# Same text through the folder and the f32 file: the same vectors, bit for
# bit (docs/encoders.md). The int8 file: cosine at least 0.995 to them.
printf 'where is my refund\nI cannot log in\n' > "$tmp/in.txt"
"$bin" embed --encoder "$fixture" --input "$tmp/in.txt" > "$tmp/folder.jsonl"
"$bin" embed --encoder "$tmp/f32.snlp" --input "$tmp/in.txt" > "$tmp/file.jsonl"
"$bin" embed --encoder "$tmp/i8.snlp" --input "$tmp/in.txt" > "$tmp/i8.jsonl"
python3 - "$tmp/folder.jsonl" "$tmp/file.jsonl" "$tmp/i8.jsonl" <<'PY'
import json, math, sys
f, a, b = ([json.loads(l)["vector"] for l in open(p)] for p in sys.argv[1:4])
assert len(f) == len(a) == len(b) == 2, (len(f), len(a), len(b))
for x, y in zip(f, a):
    assert len(x) == len(y) == 32 and x == y, "f32 file differs"
for x, y in zip(a, b):
    cos = sum(p * q for p, q in zip(x, y)) / math.sqrt(sum(p * p for p in x) * sum(q * q for q in y))
    assert cos >= 0.995, cos
PY

# A KB built with the folder is searched with the f32 file (same vectors,
# same fingerprint); the int8 file's fingerprint differs, so it is refused.
"$bin" kb build --articles "$src/data/kb/articles.jsonl" --output "$tmp/kb.snlp" \
  --encoder "$fixture" 2> "$tmp/err" || { echo "kb build: $(cat "$tmp/err")"; exit 1; }
out=$("$bin" kb search --kb "$tmp/kb.snlp" --encoder "$tmp/f32.snlp" -k 2 <<< "I can't log in")
grep -q '"dense_score"' <<< "$out" || { echo "kb search with the f32 file: $out"; exit 1; }
set +e
"$bin" kb search --kb "$tmp/kb.snlp" --encoder "$tmp/i8.snlp" <<< "refund" > /dev/null 2> "$tmp/err"; rc=$?
set -e
[ "$rc" -ne 0 ] || { echo "a KB built with f32 vectors was searched with the int8 file"; exit 1; }
grep -q "/int8" "$tmp/err" || { echo "int8 fingerprint not named: $(cat "$tmp/err")"; exit 1; }

# Usage errors exit 2; a folder that is not there, or a damaged file, exit 1
# with the path named.
set +e
"$bin" convert encoder --from "$fixture" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || { echo "expected exit 2 without --output, got $rc"; exit 1; }
"$bin" convert encoder --from "$tmp/nope" --output "$tmp/x.snlp" > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit 1 for a missing folder, got $rc"; exit 1; }
grep -q "$tmp/nope" "$tmp/err" || { echo "missing folder not named"; cat "$tmp/err"; exit 1; }
head -c 3000 "$tmp/f32.snlp" > "$tmp/cut.snlp"
"$bin" embed --encoder "$tmp/cut.snlp" < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit 1 for a truncated file, got $rc"; exit 1; }
grep -q "cut.snlp" "$tmp/err" || { echo "truncated file not named"; cat "$tmp/err"; exit 1; }
"$bin" embed --encoder "$src/data/models/encoder.snlp" < /dev/null > /dev/null 2> "$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || { echo "expected exit 1 for a static encoder file as --encoder, got $rc"; exit 1; }
grep -q "transformer-encoder" "$tmp/err" || { echo "wrong kind not explained"; cat "$tmp/err"; exit 1; }
set -e
echo "convert encoder: ok"
