#!/usr/bin/env python3
"""Checks the project-written intent examples in data/train/intents/.

Each file is data/train/intents/<lang>/<queue>.tsv: a header line
"text<TAB>label", then one example per line. Checks: exactly two fields,
a label from data/train/taxonomy.tsv whose queue matches the file name,
no empty text, no duplicate text (case- and space-insensitive) anywhere in
the set, valid UTF-8. Prints per-language counts per intent and exits 1 on
any error.

  python3 data/train/check_intents.py [--min-per-intent N] [LANG ...]
"""
import collections
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))


def main():
    args = sys.argv[1:]
    minimum = 0
    if args[:1] == ["--min-per-intent"]:
        minimum = int(args[1])
        args = args[2:]
    taxonomy = {}
    with open(os.path.join(here, "taxonomy.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            intent, queue, _ = line.rstrip("\n").split("\t")
            taxonomy[intent] = queue
    root = os.path.join(here, "intents")
    langs = args or sorted(os.listdir(root))
    errors = 0
    seen = {}
    for lang in langs:
        counts = collections.Counter()
        folder = os.path.join(root, lang)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".tsv"):
                continue
            path = os.path.join(folder, name)
            queue = name[:-4]
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if not lines or lines[0] != "text\tlabel":
                print(f"{path}:1: header must be 'text<TAB>label'")
                errors += 1
            for number, line in enumerate(lines[1:], start=2):
                where = f"{path}:{number}"
                fields = line.split("\t")
                if len(fields) != 2:
                    print(f"{where}: {len(fields)} fields, expected 2")
                    errors += 1
                    continue
                text, label = fields
                if label not in taxonomy:
                    print(f"{where}: unknown label {label!r}")
                    errors += 1
                    continue
                if taxonomy[label] != queue:
                    print(f"{where}: label {label} belongs in {taxonomy[label]}.tsv")
                    errors += 1
                if not text.strip() or text != text.strip():
                    print(f"{where}: empty text or leading/trailing spaces")
                    errors += 1
                key = " ".join(text.lower().split())
                if key in seen:
                    print(f"{where}: duplicate of {seen[key]}")
                    errors += 1
                else:
                    seen[key] = where
                counts[label] += 1
        print(f"== {lang}: {sum(counts.values())} examples, {len(counts)} labels")
        for intent in taxonomy:
            n = counts.get(intent, 0)
            flag = "  <-- below minimum" if n < minimum else ""
            if n or minimum:
                print(f"  {intent:42s} {n:5d}{flag}")
            if n < minimum:
                errors += 1
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
