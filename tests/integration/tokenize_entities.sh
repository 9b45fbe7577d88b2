#!/usr/bin/env bash
# `supportnlp tokenize` keeps support entities whole and names their kind, on
# the sample tickets and on crafted lines; and entity tokens still slice the
# original text exactly. Usage: tokenize_entities.sh <supportnlp-binary> <source-dir>
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" tokenize --input "$src/data/samples/tickets.jsonl" >"$work/tickets.out"
{
  printf '%s\n' '{"id":"mail","text":"Mail bob@example.com about ORD-99812 and INC0012345"}'
  printf '%s\n' '{"id":"web","text":"See www.example.com/help or https://x.example/a?b=1#c, cc @dana_k #billing"}'
  printf '%s\n' '{"id":"num","text":"Paid $1,299.00 (was 19,99 €) on v2.3.1 :-) <3"}'
  printf '%s\n' '{"id":"emoji","text":"👩‍💻 👍🏽 🇩🇪 1️⃣ done"}'
} >"$work/crafted.jsonl"
"$bin" tokenize --input "$work/crafted.jsonl" >"$work/crafted.out"

python3 - "$src/data/samples/tickets.jsonl" "$work/tickets.out" "$work/crafted.jsonl" "$work/crafted.out" <<'PY'
import json, sys
def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
src = load(sys.argv[1]) + load(sys.argv[3])
out = load(sys.argv[2]) + load(sys.argv[4])
texts = {s["id"]: s["text"].encode("utf-8") for s in src}
by_id = {o["id"]: o for o in out}
for o in out:
    for t in o["tokens"]:
        assert texts[o["id"]][t["begin"]:t["end"]].decode("utf-8") == t["text"], (o["id"], t)

failures = []
def expect(ticket, text, kind):
    got = [t["kind"] for t in by_id[ticket]["tokens"] if t["text"] == text]
    if got != [kind]:
        failures.append(f"{ticket}: {text!r} expected one {kind} token, got {got or 'no single token'}")

expect("T-0001", "jordan.lee@example.com", "email")
expect("T-0002", "https://app.brightdesk.example/reset?token=abc123", "url")
expect("T-0005", "ORD-99812", "id")
expect("T-0007", "#A-12345", "id")
expect("T-0026", "@support-team", "mention")
expect("T-0011", "v3.2.1", "version")
expect("T-0011", "🎉", "emoji")
expect("T-0053", "🇲🇽", "emoji")
expect("mail", "bob@example.com", "email")
expect("mail", "ORD-99812", "id")
expect("mail", "INC0012345", "id")
expect("web", "www.example.com/help", "url")
expect("web", "https://x.example/a?b=1#c", "url")
expect("web", "@dana_k", "mention")
expect("web", "#billing", "hashtag")
expect("num", "$1,299.00", "number")
expect("num", "v2.3.1", "version")
expect("num", ":-)", "emoticon")
expect("num", "<3", "emoticon")
expect("emoji", "👩‍💻", "emoji")
expect("emoji", "👍🏽", "emoji")
expect("emoji", "🇩🇪", "emoji")
expect("emoji", "1️⃣", "emoji")
if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("tokenize_entities: all checks passed")
PY
