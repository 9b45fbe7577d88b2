#pragma once
// Private: the tokenizers of pretrained transformer encoders (issue 14).
// TransformerEncoder turns text into the ids a Hugging Face checkpoint was
// trained on, with the checkpoint's own rules: BERT's WordPiece (MiniLM, BGE,
// E5) or XLM-RoBERTa's SentencePiece with fairseq's id shift (multilingual
// MiniLM, multilingual E5). docs/encoders.md ("Tokenizers") describes both.
//
//   auto tok = load_tokenizer("all-MiniLM-L6-v2");       // the downloaded folder
//   if (!tok) return tok.error();
//   Encoding e = tok.value()->encode("Where is my refund?", 256);
//   // e.ids == {101, 2073, 2003, 2026, 25416, 8630, 1029, 102}
//
// Thread safety: a Tokenizer is immutable once built; encode() is const and
// may be called from any number of threads at once.

#include "supportnlp/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::embed::transformer {

/// The model input of one text.
struct Encoding {
  /// Token ids with the model's special tokens ([CLS] .. [SEP] or <s> .. </s>),
  /// truncated to the max_length given to encode().
  std::vector<std::int32_t> ids;
  /// Byte offsets into the caller's original text (before any UTF-8 repair),
  /// [begin, end) per id; the added [CLS]/[SEP] (<s>/</s>) get 0, 0, a
  /// special token typed in the text its own span. WordPiece continuation
  /// pieces ("##ing") cover their own bytes of the word.
  std::vector<std::uint32_t> begin, end;
};

/// Text to model ids. Implementations: WordPiece (BERT) and SentencePiece
/// (XLM-R). Immutable after construction; encode() is thread-safe.
class Tokenizer {
public:
  virtual ~Tokenizer() = default;
  /// Adds [CLS]..[SEP] (BERT) or <s>..</s> (XLM-R); max_length counts the
  /// specials (values below 2 are treated as 2). Never fails: invalid UTF-8 is
  /// repaired first (text::repair_utf8), empty text gives the specials only.
  virtual Encoding encode(std::string_view text, std::size_t max_length) const = 0;
  /// Id of the padding token ([PAD] 0 for BERT, <pad> 1 for XLM-R).
  virtual std::int32_t pad_id() const = 0;
  /// Number of ids the tokenizer can produce (the embedding table's rows must
  /// be at least this many).
  virtual std::size_t vocab_size() const = 0;
};

/// Reads the tokenizer of a Hugging Face / sentence-transformers folder:
/// vocab.txt (or, without it, tokenizer.json's WordPiece model) with
/// tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars)
/// and special_tokens_map.json; or sentencepiece.bpe.model for XLM-R. Errors
/// name the file and the field.
Result<std::unique_ptr<Tokenizer>> load_tokenizer(const std::string& folder);

/// A WordPiece tokenizer from vocab.txt's bytes (one token a line, id = line
/// number). The special tokens must be in the vocabulary as [UNK], [CLS],
/// [SEP] and [PAD]. `strip_accents` follows HF: BERT strips accents when it
/// lowercases unless strip_accents is explicitly false, so pass the resolved
/// value (load_tokenizer does this).
Result<std::unique_ptr<Tokenizer>> wordpiece_from_vocab(std::string_view vocab_txt, bool lower_case,
                                                        bool strip_accents, bool chinese_chars);

/// An XLM-R tokenizer from sentencepiece.bpe.model's bytes, with fairseq's
/// ids: <s> 0, <pad> 1, </s> 2, <unk> 3, every other piece its SentencePiece
/// id + 1.
Result<std::unique_ptr<Tokenizer>> xlmr_from_sentencepiece(std::string_view model_bytes);

} // namespace supportnlp::embed::transformer
