#!/usr/bin/env python3
# usage: scripts/langid_dev_split.py [TRAIN_DIR] [OUT_DIR]  (docs/language-identification.md)
# Deterministic dev split of the langid training data: every 10th line
# (index % 10 == 4) of each language is held out; held-out lines give
# sentence, word-pair and single-word TSVs.
import os, sys, unicodedata
src = sys.argv[1] if len(sys.argv) > 1 else '../shared/datasets/langid/train'
out = sys.argv[2] if len(sys.argv) > 2 else '/tmp/langid_dev'
os.makedirs(out + '/train', exist_ok=True)
def strip_punct(w):
    cat = lambda c: unicodedata.category(c)[0]
    while w and cat(w[0]) in 'PSZ': w = w[1:]
    while w and cat(w[-1]) in 'PSZ': w = w[:-1]
    return w
def good_word(w):
    return w and not any(c.isdigit() for c in w) and any(c.isalpha() for c in w)
sent = open(f'{out}/dev_sentences.tsv', 'w'); sent.write('text\tlang\n')
pairs = open(f'{out}/dev_pairs.tsv', 'w'); pairs.write('text\tlang\n')
words = open(f'{out}/dev_words.tsv', 'w'); words.write('text\tlang\n')
for fn in sorted(os.listdir(src)):
    code = fn[:-4]
    lines = open(f'{src}/{fn}', encoding='utf-8').read().split('\n')
    lines = [l for l in lines if l.strip()]
    tr = open(f'{out}/train/{fn}', 'w')
    for i, l in enumerate(lines):
        if i % 10 != 4:
            tr.write(l + '\n'); continue
        sent.write(l + '\t' + code + '\n')
        ws = [strip_punct(w) for w in l.split()]
        ws = [w for w in ws if good_word(w)]
        if len(ws) >= 3:
            w = ws[(i * 7 + 1) % len(ws)]
            words.write(w + '\t' + code + '\n')
            a = (i * 3) % (len(ws) - 1)
            pairs.write(ws[a] + ' ' + ws[a + 1] + '\t' + code + '\n')
        else:
            cps = [c for c in l if c.isalpha()]
            n = len(cps)
            if n >= 6:
                a = (i * 5) % (n - 2); words.write(''.join(cps[a:a+2]) + '\t' + code + '\n')
                a = (i * 5) % (n - 4); pairs.write(''.join(cps[a:a+4]) + '\t' + code + '\n')
