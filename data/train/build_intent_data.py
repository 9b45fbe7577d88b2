#!/usr/bin/env python3
"""Assembles the default routing model's training, validation and test files.

  python3 data/train/build_intent_data.py SHARED_DATASETS_DIR OUT_DIR

Inputs (nothing else is read):
  data/train/taxonomy.tsv          the 54 intents and their queues, plus out_of_scope
  data/train/public_mapping.tsv    public label -> intent | out_of_scope | drop
  data/train/intents/<lang>/*.tsv  examples written for the project
  SHARED_DATASETS_DIR/{bitext_customer_support,banking77,clinc150}/*.tsv

Outputs in OUT_DIR (TSV with a header; text<TAB>label<TAB>lang<TAB>source):
  train.tsv    what the model learns from
  valid.tsv    held out from training: early stopping, temperature, oos threshold
  heldout.tsv  held out from both: the project-written examples' test split
  test_bitext.tsv, test_banking77.tsv, test_clinc150.tsv
               the public TEST splits, mapped (dropped labels left out);
               their source column is "dataset:original label"

Every split is decided by a keyed hash of the text, stratified per
(language, label) or per public label, so the same inputs give the same
files byte for byte on any machine. Public sets are capped per label so that
their templated phrasings do not drown the written examples.
"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = b"supportnlp-intent-data-v1\0"

# Project-written examples: per (language, intent), this share of the
# examples (by hash order) is held out for testing, the next share for
# validation. 20 examples give 3 test, 2 validation and 15 training.
WRITTEN_TEST = 0.15
WRITTEN_VALID = 0.10
# Public training splits: per source label, the first 10% by hash go to
# validation (at most VALID_CAP), the rest to training (at most TRAIN_CAP).
PUBLIC_CAPS = {  # dataset: (train cap, valid cap) per source label
    "bitext": (250, 30),
    "banking77": (120, 15),
    "clinc150_intent": (100, 20),
    "clinc150_oos_domain": (25, 5),  # each non-support CLINC150 intent
    "clinc150_oos": (100, 100),      # CLINC150's own oos examples
}


def rank(*parts):
    h = hashlib.sha256(KEY + "\0".join(parts).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big")


def read_tsv(path):
    """text<TAB>label[<TAB>...] lines after a header (the shared sets hold no
    tab inside a text)."""
    rows = []
    with open(path, encoding="utf-8", newline="\n") as f:
        f.readline()
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[0]:
                rows.append((fields[0], fields[1]))
    return rows


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    shared, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    taxonomy = {}
    with open(os.path.join(HERE, "taxonomy.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            intent, queue, _ = line.rstrip("\n").split("\t")
            taxonomy[intent] = queue
    mapping = {}
    with open(os.path.join(HERE, "public_mapping.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("dataset\t"):
                continue
            dataset, label, target = line.rstrip("\n").split("\t")
            assert target in taxonomy or target == "drop", line
            mapping[(dataset, label)] = target

    train, valid, heldout = [], [], []
    seen = set()

    def add(split, text, label, lang, source):
        text = clean(text)
        key = " ".join(text.lower().split())
        if not text or key in seen:
            return
        seen.add(key)
        split.append((text, label, lang, source))

    # Written examples first, so a public text equal to one of them is the
    # one dropped as a duplicate.
    root = os.path.join(HERE, "intents")
    for lang in sorted(os.listdir(root)):
        groups = {}
        for name in sorted(os.listdir(os.path.join(root, lang))):
            if name.endswith(".tsv"):
                for text, label in read_tsv(os.path.join(root, lang, name)):
                    if label not in taxonomy:
                        sys.exit(f"{lang}/{name}: unknown label {label}")
                    groups.setdefault(label, []).append(text)
        for label in sorted(groups):
            texts = sorted(set(groups[label]), key=lambda t: (rank(lang, label, t), t))
            n_test = round(len(texts) * WRITTEN_TEST)
            n_valid = round(len(texts) * WRITTEN_VALID)
            for i, text in enumerate(texts):
                split = heldout if i < n_test else valid if i < n_test + n_valid else train
                add(split, text, label, lang, "written")

    def public(dataset, path, split_name):
        name = "clinc150" if dataset.startswith("clinc150") else dataset
        groups = {}
        for text, label in read_tsv(path):
            target = mapping.get((name, label))
            if target is None:
                sys.exit(f"{path}: label {label} missing from public_mapping.tsv")
            if target != "drop":
                groups.setdefault(label, []).append((text, target))
        return name, groups

    def take_train_valid(dataset, path):
        name, groups = public(dataset, path, "train")
        for label in sorted(groups):
            target = groups[label][0][1]
            if name == "clinc150":
                kind = "clinc150_oos" if label == "oos" else (
                    "clinc150_oos_domain" if target == "out_of_scope" else "clinc150_intent")
            else:
                kind = name
            train_cap, valid_cap = PUBLIC_CAPS[kind]
            items = sorted(groups[label], key=lambda x: (rank(name, label, x[0]), x[0]))
            n_valid = 0 if name == "clinc150" else min(valid_cap, round(len(items) * 0.1))
            for i, (text, tgt) in enumerate(items[: n_valid + train_cap]):
                add(valid if i < n_valid else train, text, tgt, "en", name)
            if name == "clinc150":
                yield label, kind

    bitext = os.path.join(shared, "bitext_customer_support")
    banking = os.path.join(shared, "banking77")
    clinc = os.path.join(shared, "clinc150")
    list(take_train_valid("bitext", os.path.join(bitext, "train.tsv")))
    list(take_train_valid("banking77", os.path.join(banking, "train.tsv")))
    kinds = dict(take_train_valid("clinc150", os.path.join(clinc, "train.tsv")))
    # CLINC150's own validation split is validation data here too (capped).
    _, groups = public("clinc150", os.path.join(clinc, "valid.tsv"), "valid")
    for label in sorted(groups):
        kind = kinds.get(label, "clinc150_intent")
        cap = PUBLIC_CAPS[kind][1]
        items = sorted(groups[label], key=lambda x: (rank("clinc150-valid", label, x[0]), x[0]))
        for text, tgt in items[:cap]:
            add(valid, text, tgt, "en", "clinc150")

    def write(name, rows):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("text\tlabel\tlang\tsource\n")
            for row in rows:
                f.write("\t".join(row) + "\n")

    write("train.tsv", train)
    write("valid.tsv", valid)
    write("heldout.tsv", heldout)
    for name, folder in (("bitext", bitext), ("banking77", banking), ("clinc150", clinc)):
        _, groups = public(name, os.path.join(folder, "test.tsv"), "test")
        rows = [(clean(text), target, "en", f"{name}:{label}")
                for label in sorted(groups) for text, target in groups[label]]
        write(f"test_{name}.tsv", rows)
    print(f"train {len(train)}, valid {len(valid)}, heldout {len(heldout)}", file=sys.stderr)


if __name__ == "__main__":
    main()
