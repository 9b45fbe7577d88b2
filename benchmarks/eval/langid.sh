#!/usr/bin/env bash
# Language identification accuracy on lingua's test set (75 languages;
# sentences, word pairs, single words): supportnlp's LanguageIdentifier, CLD2
# and fastText lid.176, all three on the same texts in this one run.
#
#   benchmarks/eval/langid.sh [SUPPORTNLP_BINARY] [SHARED_DIR] [WORK_DIR]
#
# Prints a Markdown report (means on the languages all three support, means
# on all 75, worst five languages, confusable groups, accuracy per language)
# and writes one JSON line per system and length to WORK_DIR/langid.jsonl.
# LANGID_MODEL names our model (default data/models/langid.snlp);
# LANGID_PEERS the langid_peers program (default: next to the binary's build
# tree, build/benchmarks/langid_peers); LANGID_LIMIT=N keeps only the first N
# texts of each language (for quick iterations; the published figures use all).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$here/build/examples/supportnlp}
shared=${2:-$here/../shared}
work=${3:-$here/build/eval-langid}
model=${LANGID_MODEL:-$here/data/models/langid.snlp}
peers=${LANGID_PEERS:-$(cd "$(dirname "$bin")/.." && pwd)/benchmarks/langid_peers}
limit=${LANGID_LIMIT:-0}
test_dir=$shared/datasets/langid/lingua_test
ft_model=$shared/datasets/langid/peers/lid.176.ftz
mkdir -p "$work"
for f in "$bin" "$peers"; do
  [ -x "$f" ] || { echo "langid.sh: $f is missing (cmake --build build --target supportnlp langid_peers)" >&2; exit 1; }
done
[ -f "$model" ] || { echo "langid.sh: no model at $model" >&2; exit 1; }

"$peers" --list-cld2 >"$work/cld2_languages.tsv"
ours_seconds=()
for length in sentences word_pairs single_words; do
  # text<TAB>lang with a header, no quoting (texts contain "): split at the
  # last TAB; bytes are passed through unchanged.
  python3 - "$test_dir/$length.tsv" "$work/$length" "$limit" <<'EOF'
import sys
from collections import Counter
src, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = Counter()
with open(src, "rb") as f, open(out + ".txt", "wb") as t, open(out + ".gold", "wb") as g:
    next(f)
    for raw in f:
        text, _, lang = raw.rstrip(b"\r\n").rpartition(b"\t")
        seen[lang] += 1
        if limit and seen[lang] > limit:
            continue
        t.write(text.replace(b"\n", b" ") + b"\n")
        g.write(lang + b"\n")
EOF
  start=$(date +%s.%N)
  "$bin" langid --model "$model" --format text --input "$work/$length.txt" >"$work/$length.ours.jsonl"
  end=$(date +%s.%N)
  ours_seconds+=("$length=$(python3 -c "print($end - $start)")")
  "$peers" --input "$work/$length.txt" --fasttext-model "$ft_model" \
    --cld2-out "$work/$length.cld2" --fasttext-out "$work/$length.fasttext" >"$work/$length.peers.json"
done

commit=$(git -C "$here" log -1 --format=%h -- "$model" 2>/dev/null || true)
if [ -n "$commit" ] && ! git -C "$here" diff --quiet HEAD -- "$model" 2>/dev/null; then
  commit="$commit, modified since"
fi
python3 "$here/benchmarks/eval/langid_report.py" "$work" \
  --fasttext-labels "$shared/datasets/langid/peers/lid.176.labels.txt" \
  --json-out "$work/langid.jsonl" \
  --model "$model ($(stat -c %s "$model") bytes, sha256 $(sha256sum "$model" | cut -c1-12))" \
  --commit "$commit" --ours-seconds "${ours_seconds[@]}"
