# shellcheck shell=bash disable=SC2034 # sets variables for the script that sources it
# Sourced by topics_sim.sh and topics_novelty.sh, with the name of their work
# folder under BUILD (unless WORK is set): the paths, the CLI built, and the
# emerging-issue scoring both simulations run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/datasets}
BUILD=${BUILD:-$ROOT/build}
WORK=${WORK:-$BUILD/$1}
PY=/usr/bin/python3
E=$ROOT/benchmarks/eval/topics_eval.py
mkdir -p "$WORK"
cmake --build "$BUILD" --target supportnlp_cli >/dev/null
S=$BUILD/examples/supportnlp

# score_emerging FIELDS TSV TOPICS.json HELD.json KEY...: topics_eval.py's
# emerging-issue check of one run, as one JSON line that starts with FIELDS
# (`"draw":1,"variant":"x"`), appended to $WORK/results.jsonl; prints KEYs
# and the check's headline fields.
score_emerging() {
  local fields=$1 tsv=$2 topics=$3 held=$4 keys
  shift 4
  keys=$(printf "'%s'," "$@")
  r=$($PY "$E" emerging "$tsv" "$topics" "$(cat "$held")")
  echo "{$fields,${r#\{}" | tee -a "$WORK/results.jsonl" |
    $PY -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({k: r[k] for k in (${keys}'selected_tickets','passed','other_topics')}))"
}
