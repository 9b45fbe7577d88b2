#!/usr/bin/python3
"""Tiny random-weight transformer checkpoints and their reference vectors (issue 14).

Writes, under tests/data/transformer/ (or --out), three Hugging Face /
sentence-transformers folders in the exact layout a downloaded checkpoint has:

  bert-prefixed/  BERT, WordPiece vocab.txt, tensors named "bert.embeddings...",
                  mean pooling + Normalize, max_seq_length 16
  bert-bare/      the same weights, bare tensor names, CLS pooling, no Normalize
  xlmr/           XLM-RoBERTa, SentencePiece (sentencepiece.bpe.model trained
                  here), "roberta."-prefixed names, max pooling + Normalize,
                  max_seq_length 24, position ids offset by padding_idx + 1

and in each folder reference.json: the texts, the token ids they were given
(with the special tokens, untruncated and truncated to max_seq_length), and
the vectors of a plain PyTorch BertModel written below, in float64 from the
stored float32 weights, for every pooling mode (mean, cls, max), raw and
L2-normalised, each input run alone and in one padded batch.

With --full-minilm DIR it instead writes a full-size all-MiniLM-L6-v2-shaped
random model (6 layers, hidden 384, 12 heads, intermediate 1536, vocab 30522)
into DIR, with model.onnx (torch.onnx.export: input_ids and attention_mask in,
mean-pooled L2-normalised sentence_embedding out), for the benchmark. Nothing
of it is committed.

With --torch-bench DIR --ids FILE it times this script's float32 forward
pass on DIR's model for the token ids in FILE (the PyTorch peer of
benchmarks/bench_transformer) and prints JSON.

Run with Debian's python3 and python3-torch (and python3-sentencepiece):
  /usr/bin/python3 scripts/transformer_fixtures.py
The script is deterministic (fixed seeds): running it again rewrites the same
files, except sentencepiece.bpe.model whose bytes may differ across
sentencepiece versions (the ids in reference.json are then recomputed).
"""

import argparse
import json
import math
import os
import shutil
import struct
import sys
import tempfile
import time
import unicodedata

import torch

# --------------------------------------------------------------------------
# safetensors, written by hand as the format specifies: u64 LE header length,
# JSON header {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__},
# padded with spaces to a multiple of 8, then the raw little-endian tensors.

DTYPES = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8"),
          torch.float16: ("F16", "<f2")}


def write_safetensors(path, tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        dtype = DTYPES[t.dtype][0]
        data = t.numpy().astype(DTYPES[t.dtype][1]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata is not None:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


# --------------------------------------------------------------------------
# The reference: Hugging Face's BertModel / XLMRobertaModel forward pass
# (absolute positions, post-LayerNorm, exact-erf GELU), followed by
# sentence-transformers' Pooling and Normalize modules.

class Reference(torch.nn.Module):
    def __init__(self, cfg, w, dtype):
        super().__init__()
        self.cfg = cfg
        self.w = {k: v.to(dtype) for k, v in w.items() if v.is_floating_point()}
        self.heads = cfg["num_attention_heads"]
        self.eps = cfg["layer_norm_eps"]
        self.xlmr = cfg["model_type"] == "xlm-roberta"
        self.pad = cfg["pad_token_id"]

    def ln(self, x, prefix):
        g = self.w[prefix + ".weight"]
        return torch.nn.functional.layer_norm(x, (int(g.shape[0]),), g, self.w[prefix + ".bias"],
                                              self.eps)

    def lin(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def hidden(self, ids, mask):
        w = self.w
        if self.xlmr:
            # create_position_ids_from_input_ids: padding_idx + 1 + index for
            # real tokens, padding_idx for padding.
            m = (ids != self.pad).long()
            pos = torch.cumsum(m, dim=1) * m + self.pad
        else:
            pos = torch.arange(ids.shape[1]).unsqueeze(0).expand_as(ids)
        x = (w["embeddings.word_embeddings.weight"][ids] +
             w["embeddings.position_embeddings.weight"][pos] +
             w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
        x = self.ln(x, "embeddings.LayerNorm")
        b, n, h = x.shape
        d = h // self.heads
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for i in range(self.cfg["num_hidden_layers"]):
            p = "encoder.layer.%d." % i

            def split(t):
                return t.view(b, n, self.heads, d).transpose(1, 2)
            q = split(self.lin(x, p + "attention.self.query"))
            k = split(self.lin(x, p + "attention.self.key"))
            v = split(self.lin(x, p + "attention.self.value"))
            s = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            a = torch.softmax(s, dim=-1) @ v
            a = a.transpose(1, 2).reshape(b, n, h)
            x = self.ln(self.lin(a, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inter = self.lin(x, p + "intermediate.dense")
            inter = 0.5 * inter * (1.0 + torch.erf(inter / math.sqrt(2.0)))
            x = self.ln(self.lin(inter, p + "output.dense") + x, p + "output.LayerNorm")
        return x

    @staticmethod
    def pool(x, mask, mode):
        m = mask.unsqueeze(-1).to(x.dtype)
        if mode == "mean":
            return (x * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)
        if mode == "cls":
            return x[:, 0]
        x = x.clone()
        x[m.expand_as(x) == 0] = -1e9
        return x.max(1).values

    def forward(self, ids, mask):
        # The ONNX export's graph: mean pooling and normalisation, as
        # all-MiniLM-L6-v2 is used.
        v = self.pool(self.hidden(ids, mask), mask, "mean")
        return torch.nn.functional.normalize(v, p=2, dim=1)


# --------------------------------------------------------------------------
# Random weights in the checkpoint's shapes. Larger than a trained model's
# initialisation (std 0.02) so that attention is peaked and LayerNorm's
# gain and bias matter: a mistake in masking, positions or the order of
# operations moves the vectors by far more than the 1e-5 tolerance.

def random_weights(cfg, gen):
    h, inter = cfg["hidden_size"], cfg["intermediate_size"]

    def rnd(*shape, std=0.3):
        return torch.randn(*shape, generator=gen) * std

    def gain(n):
        return 1.0 + rnd(n, std=0.2)
    w = {
        "embeddings.word_embeddings.weight": rnd(cfg["vocab_size"], h, std=1.0),
        "embeddings.position_embeddings.weight": rnd(cfg["max_position_embeddings"], h, std=0.5),
        "embeddings.token_type_embeddings.weight": rnd(cfg["type_vocab_size"], h, std=0.5),
        "embeddings.LayerNorm.weight": gain(h),
        "embeddings.LayerNorm.bias": rnd(h, std=0.1),
    }
    for i in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % i
        for name in ("query", "key", "value"):
            w[p + "attention.self.%s.weight" % name] = rnd(h, h, std=1.0 / math.sqrt(h) * 1.5)
            w[p + "attention.self.%s.bias" % name] = rnd(h, std=0.1)
        w[p + "attention.output.dense.weight"] = rnd(h, h, std=1.0 / math.sqrt(h))
        w[p + "attention.output.dense.bias"] = rnd(h, std=0.1)
        w[p + "attention.output.LayerNorm.weight"] = gain(h)
        w[p + "attention.output.LayerNorm.bias"] = rnd(h, std=0.1)
        w[p + "intermediate.dense.weight"] = rnd(inter, h, std=1.0 / math.sqrt(h))
        w[p + "intermediate.dense.bias"] = rnd(inter, std=0.1)
        w[p + "output.dense.weight"] = rnd(h, inter, std=1.0 / math.sqrt(inter))
        w[p + "output.dense.bias"] = rnd(h, std=0.1)
        w[p + "output.LayerNorm.weight"] = gain(h)
        w[p + "output.LayerNorm.bias"] = rnd(h, std=0.1)
    # BertModel's pooler: stored by checkpoints, not used by sentence-transformers.
    w["pooler.dense.weight"] = rnd(h, h, std=0.1)
    w["pooler.dense.bias"] = rnd(h, std=0.1)
    return {k: v.float() for k, v in w.items()}


def named(w, prefix):
    return {prefix + k: v for k, v in w.items()}


# --------------------------------------------------------------------------
# Tokenization of the fixture texts. The texts are plain ASCII so that the
# BERT basic tokenizer reduces to: lowercase, split on whitespace, split off
# punctuation; then greedy longest-match WordPiece.

BERT_WORDS = """i can ' t log in to my account reset password where is order refund
the a an of for and not it was how do change email card payment delivery
parcel arrived still help please cancel subscription charged twice app crash
##s ##ed ##ing ##ly ##er hello thanks you your we our this that
""".split()


def bert_vocab():
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    punct = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    digits = [str(d) for d in range(10)]
    cont = ["##" + c for c in letters + digits]
    vocab = []
    for t in specials + punct + letters + digits + cont + BERT_WORDS:
        if t not in vocab:
            vocab.append(t)
    return vocab


def bert_tokenize(text, vocab):
    index = {t: i for i, t in enumerate(vocab)}
    words = []
    for raw in text.lower().split():
        cur = ""
        for ch in raw:
            if unicodedata.category(ch).startswith("P") or ch in "$+<=>^`|~":
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    ids = []
    for word in words:
        start, pieces = 0, []
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in index:
                    pieces.append(index[piece])
                    break
                end -= 1
            if end == start:
                pieces = [index["[UNK]"]]
                break
            start = end
        ids += pieces
    return [index["[CLS]"]] + ids + [index["[SEP]"]]


SPM_CORPUS = """I can't log in to my account
Where is my order? It has not arrived yet
Please refund the payment, I was charged twice
How do I change the email on my account
The app crashes when I open the settings page
Cancel my subscription please
Mi pedido no ha llegado todavía
No puedo iniciar sesión en mi cuenta
Ich kann mich nicht anmelden
Wo ist meine Bestellung
Je voudrais un remboursement
Obrigado pela ajuda
Reset my password, the link does not work
My parcel is still not delivered after two weeks
Thanks for your help with the refund
""".strip().splitlines()


def train_sentencepiece(out_path):
    import sentencepiece as spm
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            for _ in range(4):
                f.write("\n".join(SPM_CORPUS) + "\n")
        spm.SentencePieceTrainer.train(
            input=corpus, model_prefix=os.path.join(tmp, "spm"), vocab_size=200,
            hard_vocab_limit=False, model_type="unigram", character_coverage=1.0,
            # identity: no NFKC table in the model file (it would be 240 KB).
            normalization_rule_name="identity",
            num_threads=1, minloglevel=2)
        shutil.copy(os.path.join(tmp, "spm.model"), out_path)
    return spm.SentencePieceProcessor(model_file=out_path)


def xlmr_tokenize(text, sp):
    # fairseq's dictionary: <s> 0, <pad> 1, </s> 2, <unk> 3, then each
    # SentencePiece id + 1 (SentencePiece's own <unk> is id 0).
    ids = [3 if p == 0 else p + 1 for p in sp.encode(text)]
    return [0] + ids + [2]


def truncate(ids, max_len):
    # Tokenizers truncate the text and keep both special tokens.
    return ids if len(ids) <= max_len else ids[:max_len - 1] + ids[-1:]


# --------------------------------------------------------------------------

POOLINGS = ("mean", "cls", "max")


def reference_outputs(cfg, w, cases, max_len):
    ids_list = [truncate(c["full_ids"], max_len) for c in cases]
    ref64 = Reference(cfg, w, torch.float64)
    ref32 = Reference(cfg, w, torch.float32)
    out = {}
    n = max(len(x) for x in ids_list)
    batch = torch.full((len(ids_list), n), cfg["pad_token_id"], dtype=torch.long)
    mask = torch.zeros((len(ids_list), n), dtype=torch.long)
    for i, x in enumerate(ids_list):
        batch[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    with torch.no_grad():
        hb = ref64.hidden(batch, mask)
        hb32 = ref32.hidden(batch, mask)
        for mode in POOLINGS:
            pooled = Reference.pool(hb, mask, mode)
            pooled32 = Reference.pool(hb32, mask, mode).double()
            # Each text alone gives the same vector as in the padded batch.
            for i, x in enumerate(ids_list):
                one = torch.tensor([x])
                alone = Reference.pool(ref64.hidden(one, torch.ones_like(one)),
                                       torch.ones_like(one), mode)
                assert (alone[0] - pooled[i]).abs().max() < 1e-9, "padding changes a vector"
            assert (pooled32 - pooled).abs().max() < 1e-4, "float32 and float64 disagree"
            normed = torch.nn.functional.normalize(pooled, p=2, dim=1)
            out[mode] = {"raw": pooled.tolist(), "normalized": normed.tolist()}
    return ids_list, out


def round_list(xs):
    if isinstance(xs, list):
        return [round_list(x) for x in xs]
    return float("%.9g" % xs)


def write_folder(folder, cfg, tensors, pooling, normalize, max_seq, do_lower, tokenizer_files,
                 cases):
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize",
                        "type": "sentence_transformers.models.Normalize"})
    with open(os.path.join(folder, "modules.json"), "w") as f:
        json.dump(modules, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": cfg["hidden_size"],
                   "pooling_mode_cls_token": pooling == "cls",
                   "pooling_mode_mean_tokens": pooling == "mean",
                   "pooling_mode_max_tokens": pooling == "max",
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": max_seq, "do_lower_case": do_lower}, f, indent=2)
        f.write("\n")
    for name, content in tokenizer_files.items():
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(os.path.join(folder, name), mode) as f:
            f.write(content)
    w = {k[k.index("embeddings."):] if "embeddings." in k else k[k.index("encoder."):]
         if "encoder." in k else k: v for k, v in tensors.items()}
    ids_list, outputs = reference_outputs(cfg, w, cases, max_seq)
    ref = {
        "about": "Written by scripts/transformer_fixtures.py: float64 PyTorch reference of "
                 "BertModel + sentence-transformers Pooling/Normalize on this folder's weights.",
        "model_type": cfg["model_type"],
        "max_seq_length": max_seq,
        "folder_pooling": pooling,
        "folder_normalize": normalize,
        "cases": [{"name": c["name"], "text": c["text"], "full_ids": c["full_ids"],
                   "ids": ids, "truncated": len(ids) < len(c["full_ids"])}
                  for c, ids in zip(cases, ids_list)],
        "pooled": {mode: {"raw": round_list(o["raw"]), "normalized": round_list(o["normalized"])}
                   for mode, o in outputs.items()},
    }
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")


BERT_TEXTS = [
    ("question", "I can't log in to my account"),
    ("short", "reset password"),
    ("single_token", "hello"),
    ("punctuation", "where is my parcel?"),
    ("unknown_word", "refund 20 € please"),
    ("truncated", "please help, I was charged twice for the subscription and the app crashed "
                  "when I tried to cancel it"),
    ("exactly_max", "how do i change the email for my card payment delivery, thanks you"),
]
XLMR_TEXTS = [
    ("question", "I can't log in to my account"),
    ("spanish", "Mi pedido no ha llegado"),
    ("single_token", "a"),
    ("german", "Ich kann mich nicht anmelden"),
    ("truncated", "Please refund the payment, I was charged twice and my parcel is still "
                  "not delivered after two weeks"),
]


def bert_config(vocab_size):
    return {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu",
        "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 64, "layer_norm_eps": 1e-12, "max_position_embeddings": 24,
        "type_vocab_size": 2, "vocab_size": vocab_size, "pad_token_id": 0,
        "position_embedding_type": "absolute", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
    }


def make_fixtures(out):
    gen = torch.Generator().manual_seed(14)
    vocab = bert_vocab()
    cfg = bert_config(len(vocab))
    w = random_weights(cfg, gen)
    vocab_txt = "\n".join(vocab) + "\n"
    bert_tok = {
        "vocab.txt": vocab_txt,
        "tokenizer_config.json": json.dumps({
            "do_lower_case": True, "unk_token": "[UNK]", "sep_token": "[SEP]",
            "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
            "tokenize_chinese_chars": True, "strip_accents": None,
            "tokenizer_class": "BertTokenizer", "model_max_length": 512}) + "\n",
        "special_tokens_map.json": json.dumps({
            "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
            "cls_token": "[CLS]", "mask_token": "[MASK]"}) + "\n",
    }
    cases = [{"name": n, "text": t, "full_ids": bert_tokenize(t, vocab)} for n, t in BERT_TEXTS]
    max_seq = 16
    exact = [c for c in cases if c["name"] == "exactly_max"][0]
    assert len(exact["full_ids"]) == max_seq, len(exact["full_ids"])
    prefixed = named(w, "bert.")
    # Some checkpoints also store BertEmbeddings' position_ids buffer (int64).
    prefixed["bert.embeddings.position_ids"] = torch.arange(
        cfg["max_position_embeddings"]).unsqueeze(0)
    write_folder(os.path.join(out, "bert-prefixed"), cfg, prefixed, "mean", True, max_seq, False,
                 bert_tok, cases)
    write_folder(os.path.join(out, "bert-bare"), cfg, w, "cls", False, max_seq, False, bert_tok,
                 cases)

    xdir = os.path.join(out, "xlmr")
    os.makedirs(xdir, exist_ok=True)
    sp = train_sentencepiece(os.path.join(xdir, "sentencepiece.bpe.model"))
    xcfg = {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "hidden_act": "gelu",
        "hidden_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
        "intermediate_size": 96, "layer_norm_eps": 1e-5, "max_position_embeddings": 24 + 2,
        "type_vocab_size": 1, "vocab_size": sp.get_piece_size() + 2, "pad_token_id": 1,
        "bos_token_id": 0, "eos_token_id": 2, "position_embedding_type": "absolute",
    }
    xw = random_weights(xcfg, gen)
    with open(os.path.join(xdir, "sentencepiece.bpe.model"), "rb") as f:
        spm_bytes = f.read()
    xtok = {
        "sentencepiece.bpe.model": spm_bytes,
        "tokenizer_config.json": json.dumps({
            "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
            "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
            "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512}) + "\n",
    }
    xcases = [{"name": n, "text": t, "full_ids": xlmr_tokenize(t, sp)} for n, t in XLMR_TEXTS]
    write_folder(xdir, xcfg, named(xw, "roberta."), "max", True, 24, False, xtok, xcases)


def make_full_minilm(out, vocab_file):
    os.makedirs(out, exist_ok=True)
    cfg = bert_config(30522)
    cfg.update({"hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
                "intermediate_size": 1536, "max_position_embeddings": 512})
    gen = torch.Generator().manual_seed(384)
    w = random_weights(cfg, gen)
    if vocab_file:
        with open(vocab_file, encoding="utf-8") as f:
            vocab_txt = f.read()
    else:
        # BERT's special ids with filler tokens, then the fixture's words.
        vocab = ["[PAD]"] + ["[unused%d]" % i for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]",
                                                                      "[MASK]"]
        for t in bert_vocab()[5:]:
            vocab.append(t)
        while len(vocab) < 30522:
            vocab.append("tok%d" % len(vocab))
        vocab_txt = "\n".join(vocab) + "\n"
    tok = {
        "vocab.txt": vocab_txt,
        "tokenizer_config.json": json.dumps({"do_lower_case": True,
                                             "tokenizer_class": "BertTokenizer"}) + "\n",
        "special_tokens_map.json": json.dumps({
            "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
            "cls_token": "[CLS]", "mask_token": "[MASK]"}) + "\n",
    }
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    write_safetensors(os.path.join(out, "model.safetensors"), w, {"format": "pt"})
    with open(os.path.join(out, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "",
                    "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize",
                    "type": "sentence_transformers.models.Normalize"}], f, indent=2)
    with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True,
                   "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False}, f)
    with open(os.path.join(out, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": 256, "do_lower_case": False}, f)
    for name, content in tok.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(content)
    model = Reference(cfg, w, torch.float32).eval()
    ids = torch.tensor([[101] + list(range(2000, 2014)) + [102]])
    mask = torch.ones_like(ids)
    torch.onnx.export(model, (ids, mask), os.path.join(out, "model.onnx"),
                      input_names=["input_ids", "attention_mask"],
                      output_names=["sentence_embedding"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "sentence_embedding": {0: "batch"}},
                      opset_version=14)


def torch_bench(folder, ids_file, threads, repeats):
    """Times the float32 reference on folder's model for benchmarks/bench_transformer:
    each input set of IDS_FILE ({"query": [[ids]], "batch": [[ids], ...]}) is
    one forward pass, the batch padded to its longest text with an attention
    mask. Prints {"query": [seconds, ...], "batch": [...]} after a warm-up."""
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    with open(ids_file) as f:
        sets = json.load(f)
    model = Reference(cfg, read_safetensors(os.path.join(folder, "model.safetensors")),
                      torch.float32).eval()
    result = {}
    with torch.no_grad():
        for name in ("query", "batch"):
            texts = sets[name]
            n = max(len(t) for t in texts)
            ids = torch.zeros((len(texts), n), dtype=torch.long)
            mask = torch.zeros((len(texts), n), dtype=torch.long)
            for i, t in enumerate(texts):
                ids[i, :len(t)] = torch.tensor(t)
                mask[i, :len(t)] = 1
            model(ids, mask)
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                model(ids, mask)
                times.append(time.perf_counter() - t0)
            result[name] = times
    print(json.dumps(result))


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[8 + n + b:8 + n + e], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "tests", "data", "transformer"))
    ap.add_argument("--full-minilm", metavar="DIR",
                    help="write a full-size MiniLM-L6-shaped random model and model.onnx")
    ap.add_argument("--vocab", help="vocab.txt for --full-minilm (default: a synthetic one)")
    ap.add_argument("--torch-bench", metavar="DIR", help="time the PyTorch forward pass on DIR")
    ap.add_argument("--ids", help="token ids JSON for --torch-bench")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    if args.torch_bench:
        torch_bench(args.torch_bench, args.ids, args.threads, args.repeats)
    elif args.full_minilm:
        make_full_minilm(args.full_minilm, args.vocab)
    else:
        make_fixtures(os.path.normpath(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
