#!/usr/bin/env bash
# The CLI contract of docs/cli.md, checked on every record-reading command
# (analyze, intent, sentiment, conversation, embed, kb search, tokenize,
# langid):
#   1. the input is --input F, a positional F or stdin, with the same output;
#      both, or two positionals, is a usage error;
#   2. an unknown option, an extra argument or a bad value: usage text, exit 2;
#   3. an unreadable input or a model that cannot be loaded: exit 1;
#   4. one output record per input line, in order, each carrying the input's
#      id or its line number, blank lines included; a malformed record keeps
#      its place as {"id"?,"line","error"} and is named on stderr; exit 0, or
#      3 with --strict;
#   5. defined answers for empty input, a 10 MB line, NUL bytes, invalid
#      UTF-8, JSON nested 100,000 deep and a "text" that is a number or null;
#   6. analyze: a bundle without its models is an error unless --skip names
#      them; a ticket over --max-text-bytes is cut and says "truncated".
# Usage: cli_contract.sh <supportnlp-binary> <source-dir> [<shared-dir>]
set -uo pipefail
bin=$1
src=$2
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
checks=0
ok() { checks=$((checks + 1)); }

"$bin" kb build --articles "$src/data/kb/articles.jsonl" --output "$w/kb.snlp" --encoder none \
  > /dev/null 2>&1 || fail "kb build for the kb search checks"

# name|command words (the binary is prepended); every one reads records.
commands=(
  "analyze|analyze --bundle $src/data --quiet"
  "intent|intent"
  "sentiment|sentiment"
  "conversation|conversation"
  "embed|embed"
  "kb search|kb search --kb $w/kb.snlp --encoder none"
  "tokenize|tokenize"
  "langid|langid"
)

# --- inputs ---------------------------------------------------------------------
deep() { python3 -c "import sys; n=100000; sys.stdout.write('{\"id\":\"deep\",\"text\":\"x\",\"meta\":' + '['*n + ']'*n + '}\n')"; }
# Records for the text commands. Malformed: 2 (bad JSON), 5 (text a number),
# 6 (text null), 8 (invalid UTF-8 inside JSON), 10 (nested 100,000 deep).
{
  printf '%s\n' '{"id":"a","text":"my order never arrived and I want a refund"}'
  printf '%s\n' '{"id":"b", broken'
  printf '\n'
  printf '%s\n' 'plain text line: the app crashes when I log in'
  printf '%s\n' '{"id":"n","text":42}'
  printf '%s\n' '{"id":"z","text":null}'
  printf '%s\n' '{"id":"nul","text":"before\u0000after"}'
  printf '{"id":"u","text":"caf\xff"}\n'
  printf 'caf\xff\xfe plain invalid UTF-8\n'
  deep
  printf '%s\n' '{"text":"no id here, charged twice"}'
  printf 'a raw NUL\000 byte in a text line\n'
  printf '%s\n' '{"id":7,"text":"a numeric id"}'
} > "$w/mixed.in"
mixed_bad="2 5 6 8 10"
# Turns for conversation. Malformed: 2 (bad JSON), 4 (text a number), 5 (bad
# role), 6 (invalid UTF-8), 7 (nested), 9 (not JSON: conversation reads JSONL).
{
  printf '%s\n' '{"id":"t1","role":"customer","text":"my order never arrived","ts":1}'
  printf '%s\n' '{"role": broken'
  printf '\n'
  printf '%s\n' '{"id":"t4","role":"agent","text":42}'
  printf '%s\n' '{"id":"t5","role":"robot","text":"beep"}'
  printf '{"role":"customer","text":"caf\xff"}\n'
  deep
  printf '%s\n' '{"id":"t8","role":"customer","text":"before\u0000after","ts":5}'
  printf '%s\n' 'plain text line'
  printf '%s\n' '{"role":"agent","text":"sorry to hear that","ts":9}'
} > "$w/conv.in"
conv_bad="2 4 5 6 7 9"
# The huge line is 10 MB; 1 MB under a sanitizer, whose 3-10x slowdown on
# eight commands would cost CI a minute for no new coverage (Release runs 10 MB).
big_mb=10
if ldd "$bin" 2> /dev/null | grep -Eq 'lib(a|t|ub)san'; then big_mb=1; fi
export big_mb
python3 -c 'import os, sys; sys.stdout.write("where is my parcel " * (int(os.environ["big_mb"]) * 1048576 // 19) + "\n")' > "$w/big.txt"
python3 -c 'import json, os; print(json.dumps({"id":"big","role":"customer","text":"where is my parcel " * (int(os.environ["big_mb"]) * 1048576 // 19)}))' > "$w/big.jsonl"
printf '%s\n' '{"id":"g","text":"hello, my parcel is late"}' > "$w/good.jsonl"
printf '%s\n' '{"id":"g","role":"customer","text":"hello, my parcel is late"}' > "$w/good_conv.jsonl"

# Runs the command; sets rc, leaves stdout in $w/out and stderr in $w/err.
run() {
  local words=$1
  shift
  # shellcheck disable=SC2086
  "$bin" $words "$@" > "$w/out" 2> "$w/err"
  rc=$?
}
expect_rc() { # want, what
  [ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1 ($(head -c 600 "$w/err"))"
  ok
}
expect_usage() { # what
  expect_rc 2 "$1"
  grep -q "usage: supportnlp" "$w/err" || fail "$1: no usage text on stderr: $(head -c 300 "$w/err")"
  ok
}

# Checks rule 4 on $w/out against input $1 with malformed lines $2 and stderr.
check_alignment() { # input, malformed lines, what
  python3 - "$1" "$w/out" "$w/err" "$2" "$3" <<'PY' || fail "$3: alignment"
import json, sys
inp, out_path, err_path, bad, what = sys.argv[1:]
bad = {int(x) for x in bad.split()}
lines = open(inp, "rb").read().split(b"\n")[:-1]
out = [json.loads(l) for l in open(out_path, encoding="utf-8")]
err = open(err_path, encoding="utf-8", errors="replace").read()
records = [o for o in out if not o.get("summary")]
assert len(records) == len(lines), f"{what}: {len(records)} records out for {len(lines)} lines in"
for k, (raw, o) in enumerate(zip(lines, records), 1):
    given = None
    try:
        j = json.loads(raw)
        if isinstance(j, dict) and "id" in j:
            given = j["id"]
    except Exception:
        pass
    if k in bad:
        assert "error" in o and o["line"] == k, f"{what}: line {k}: expected an error record, got {o}"
        assert isinstance(o["error"], str) and o["error"], o
        if given is not None:
            assert o.get("id") == given, f"{what}: line {k}: error record lost id {given!r}: {o}"
        assert f"line {k}:" in err, f"{what}: line {k} not reported on stderr"
        continue
    assert "error" not in o, f"{what}: line {k}: unexpected error {o}"
    ids = {str(k)} | ({given if isinstance(given, str) else json.dumps(given)} if given is not None else set())
    has_id = "id" in o and (o["id"] if isinstance(o["id"], str) else json.dumps(o["id"])) in ids
    assert o.get("line") == k or has_id, f"{what}: line {k}: output carries neither line nor id: {o}"
    if given is not None and "id" in o:
        assert has_id, f"{what}: line {k}: id {o['id']!r} is not the input's {given!r}"
assert f"{len(bad)} malformed record" in err, f"{what}: no malformed count on stderr: {err[-300:]}"
PY
  ok
}

for entry in "${commands[@]}"; do
  name=${entry%%|*}
  words=${entry#*|}
  if [ "$name" = conversation ]; then
    mixed=$w/conv.in bad=$conv_bad good=$w/good_conv.jsonl big=$w/big.jsonl
  else
    mixed=$w/mixed.in bad=$mixed_bad good=$w/good.jsonl big=$w/big.txt
  fi

  # 1. --input F, F and stdin give the same output.
  run "$words" --input "$good"
  expect_rc 0 "$name --input"
  cp "$w/out" "$w/by_option"
  [ "$(grep -c . "$w/by_option")" -ge 1 ] || fail "$name: no output"
  run "$words" "$good"
  expect_rc 0 "$name FILE"
  cmp -s "$w/out" "$w/by_option" || fail "$name: positional input differs from --input"
  ok
  # shellcheck disable=SC2086
  "$bin" $words < "$good" > "$w/out" 2> "$w/err" || fail "$name: stdin exit $?"
  cmp -s "$w/out" "$w/by_option" || fail "$name: stdin differs from --input"
  ok
  run "$words" --input "$good" "$good"
  expect_usage "$name --input F F"
  run "$words" "$good" "$good"
  expect_usage "$name F F"

  # 2. Unknown options, stray words and bad values.
  run "$words" --no-such-option "$good"
  expect_usage "$name --no-such-option"
  run "$words" -x "$good"
  expect_usage "$name -x"
  run "$words" --strict=maybe "$good"
  expect_usage "$name --strict=maybe"
  run "$words" --input
  expect_usage "$name --input (no value)"
  if [ "$name" = conversation ]; then
    run "$words" --smoothing lots "$good"
  else
    run "$words" --format yaml "$good"
  fi
  expect_usage "$name bad value"

  # 3. Unreadable input: a missing file, a directory.
  run "$words" "$w/no-such-file.jsonl"
  expect_rc 1 "$name missing input"
  grep -q "no-such-file" "$w/err" || fail "$name: message does not name the file"
  run "$words" --input "$w"
  expect_rc 1 "$name directory as input"

  # 4. Malformed records keep their place; exit 0, or 3 with --strict.
  run "$words" "$mixed"
  expect_rc 0 "$name malformed records without --strict"
  check_alignment "$mixed" "$bad" "$name"
  run "$words" --strict "$mixed"
  expect_rc 3 "$name malformed records with --strict"
  run "$words" --strict "$good"
  expect_rc 0 "$name --strict on good input"

  # 5. Empty input: no output, exit 0. A 10 MB line: one answer, exit 0.
  run "$words" /dev/null
  expect_rc 0 "$name empty input"
  [ ! -s "$w/out" ] || fail "$name: output for empty input: $(head -c 200 "$w/out")"
  ok
  start=$(date +%s.%N)
  run "$words" "$big"
  expect_rc 0 "$name huge line"
  end=$(date +%s.%N)
  records=$(grep -vc '"summary":true' "$w/out")
  [ "$records" -eq 1 ] || fail "$name: $records records for one huge line"
  ok
  awk -v n="$name" -v mb="$big_mb" -v a="$start" -v b="$end" -v out="$(wc -c < "$w/out")" \
    'BEGIN { printf "%-13s %d MB line: %.2f s, %d bytes out\n", n, mb, b - a, out }'
done

# --- models that cannot be loaded: exit 1, the file named --------------------------
head -c 3000 "$src/data/models/intent.snlp" > "$w/broken.snlp"
printf 'junk' > "$w/junk.model"
for words in "intent --model $w/broken.snlp" "sentiment --model $w/broken.snlp" \
  "embed --model $w/broken.snlp" "langid --model $w/broken.snlp" \
  "kb search --kb $w/broken.snlp --encoder none" "tokenize --subwords $w/junk.model" \
  "intent --model $w/missing.snlp"; do
  run "$words" "$w/good.jsonl"
  expect_rc 1 "$words"
  grep -Eq "broken.snlp|junk.model|missing.snlp" "$w/err" || fail "$words: file not named: $(cat "$w/err")"
  ok
done

# --- analyze: bundles, --skip, the text cap ------------------------------------------
mkdir -p "$w/empty-bundle" "$w/partial/models"
cp "$src/data/models/intent.snlp" "$w/partial/models/"
run "analyze --quiet --bundle $w/empty-bundle" "$w/good.jsonl"
expect_rc 1 "analyze with a bundle lacking every model"
for stage in language intent kb encoder; do
  grep -q "$stage (" "$w/err" || fail "missing $stage not named: $(cat "$w/err")"
done
ok
run "analyze --quiet --bundle $w/partial" "$w/good.jsonl"
expect_rc 1 "analyze with a bundle lacking some models"
grep -q "intent (" "$w/err" && fail "intent named as missing although present"
run "analyze --quiet --bundle $w/partial --skip language,kb,encoder" "$w/good.jsonl"
expect_rc 0 "analyze --skip language,kb,encoder"
grep -q '"intent":' "$w/out" || fail "intent missing from the --skip output"
grep -q '"language":' "$w/out" && fail "language present although skipped"
ok
run "analyze --quiet --bundle $w/empty-bundle --skip language,intent,kb,encoder" "$w/good.jsonl"
expect_rc 0 "analyze with every model skipped"
run "analyze --quiet --skip intent,teleport" "$w/good.jsonl"
expect_usage "analyze --skip with an unknown stage"
run "analyze --quiet --bundle $w/no-such-bundle" "$w/good.jsonl"
expect_rc 1 "analyze with no bundle directory"
mkdir -p "$w/bad-bundle/models" "$w/bad-bundle/kb"
cp "$src/data/models/"*.snlp "$w/bad-bundle/models/"
cp "$src/data/kb/articles.jsonl" "$w/bad-bundle/kb/"
cp "$w/broken.snlp" "$w/bad-bundle/models/intent.snlp"
run "analyze --quiet --bundle $w/bad-bundle" "$w/good.jsonl"
expect_rc 1 "analyze with a damaged model"
# The cap: a long ticket is cut at a UTF-8 boundary and says so; a short one
# does not carry the field.
python3 -c 'print("é" * 40)' > "$w/accents.txt"
run "analyze --quiet --bundle $src/data --max-text-bytes 11" "$w/accents.txt"
expect_rc 0 "analyze --max-text-bytes"
grep -q '"truncated":true,"analyzed_bytes":10}$' "$w/out" || fail "cut not at a UTF-8 boundary: $(cat "$w/out")"
ok
run "analyze --quiet --bundle $src/data" "$w/good.jsonl"
grep -q '"truncated"' "$w/out" && fail "short ticket marked truncated"
ok
run "analyze --quiet --bundle $src/data --max-text-bytes 0" "$w/good.jsonl"
expect_usage "analyze --max-text-bytes 0"
run "analyze --quiet --bundle $src/data" "$w/big.txt"
grep -q '"truncated":true,"analyzed_bytes":65536}' "$w/out" || fail "huge ticket not capped at 64 KiB"
ok
run "kb search --kb $w/kb.snlp --encoder none" "$w/big.txt"
grep -q '"truncated":true' "$w/out" || fail "huge query not capped"
ok

# --- commands that read no records take no positional argument -------------------------
run "train intent --train $w/good.jsonl --output $w/x.snlp" stray
expect_usage "train intent with a stray argument"
run "kb gaps --kb $w/kb.snlp --queries $w/good.jsonl" stray
expect_usage "kb gaps with a stray argument"

echo "cli contract: $checks checks passed"
