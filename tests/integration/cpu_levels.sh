#!/usr/bin/env bash
# Every kernel level (SUPPORTNLP_CPU, docs/building.md) gives the same
# answers: intent routing and sentiment (sparse linear scores, bit-exact at
# every level) and analyze on the sample tickets are byte-identical at
# portable, avx2 and avx512 (a level this CPU lacks falls back, so its run
# repeats a lower one). `--version` names the level in use, and an unknown
# value is ignored rather than fatal.
set -uo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

best=$(env -u SUPPORTNLP_CPU "$bin" --version) || fail "--version exit $?"
[[ $best =~ ^supportnlp\ [0-9.]+\ \(cpu:\ (portable|avx2|avx512)\)$ ]] || fail "--version: $best"
level=${BASH_REMATCH[1]}
[ "$(SUPPORTNLP_CPU=portable "$bin" --version)" = "${best% (cpu:*} (cpu: portable)" ] ||
  fail "SUPPORTNLP_CPU=portable not honoured: $(SUPPORTNLP_CPU=portable "$bin" --version)"
[ "$(SUPPORTNLP_CPU=no-such-level "$bin" --version)" = "$best" ] || fail "unknown value not ignored"
[ "$(SUPPORTNLP_CPU=AVX512 "$bin" --version)" = "$best" ] || fail "avx512 (any case) not the best here"

tickets=$src/data/samples/tickets.jsonl
for isa in portable avx2 avx512; do
  export SUPPORTNLP_CPU=$isa
  "$bin" intent --input "$tickets" > "$work/intent.$isa" || fail "intent at $isa: exit $?"
  "$bin" sentiment --input "$tickets" > "$work/sentiment.$isa" || fail "sentiment at $isa: exit $?"
  "$bin" analyze --bundle "$src/data" --input "$tickets" --quiet > "$work/analyze.$isa" ||
    fail "analyze at $isa: exit $?"
  for what in intent sentiment analyze; do
    [ -s "$work/$what.$isa" ] || fail "$what at $isa: no output"
    cmp -s "$work/$what.portable" "$work/$what.$isa" ||
      fail "$what differs between portable and $isa: $(diff "$work/$what.portable" "$work/$what.$isa" | head -5)"
  done
done
echo "cpu levels integration: ok (best level here: $level)"
