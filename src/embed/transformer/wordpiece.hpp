#pragma once
// Private: BERT's WordPiece tokenizer (the tokenizer of MiniLM, BGE and E5
// checkpoints), exactly as Hugging Face's BertTokenizerFast: BertNormalizer,
// BertPreTokenizer, WordPiece with "##" continuations and at most 100
// characters a word, special tokens in the text kept whole, then
// [CLS] ... [SEP]. The rules per character are in bert_chars.hpp.

#include "embed/transformer/bert_chars.hpp"
#include "embed/transformer/tokenizer.hpp"

#include <string>
#include <utility>
#include <vector>

namespace supportnlp::embed::transformer {

/// Everything a WordPiece tokenizer is built from.
struct WordPieceConfig {
  /// Token strings; the id of vocab[i] is i. An empty string is a hole (no
  /// token has that id). Later duplicates win, as in Hugging Face.
  std::vector<std::string> vocab;
  BertNormalization normalization;
  std::string unk_token = "[UNK]";
  std::string cls_token = "[CLS]";
  std::string sep_token = "[SEP]";
  std::string pad_token = "[PAD]";
  /// Tokens matched verbatim in the raw text and kept as one id (Hugging
  /// Face's special added tokens: [CLS], [SEP], [PAD], [UNK], [MASK]). Those
  /// not in the vocabulary are ignored.
  std::vector<std::string> special_tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  /// Longer words (in normalized characters) become one unk_token.
  std::size_t max_word_chars = 100;
  /// Names the vocabulary's source in errors ("vocab.txt", "tokenizer.json").
  std::string source = "vocab.txt";
};

/// Builds a WordPiece tokenizer. Errors (invalid_data) name config.source and
/// the missing special token.
Result<std::unique_ptr<Tokenizer>> make_wordpiece(WordPieceConfig config);

/// The WordPiece settings of a Hugging Face folder, as load_tokenizer reads
/// them: the vocabulary from vocab.txt (else tokenizer.json's WordPiece
/// model), the normalizer from tokenizer_config.json over tokenizer.json's
/// BertNormalizer, special-token names from special_tokens_map.json over
/// tokenizer_config.json. For a converter that stores the tokenizer
/// elsewhere. Errors name the file (with the folder) and the field.
Result<WordPieceConfig> read_wordpiece_config(const std::string& folder);

/// Splits vocab.txt's bytes into tokens, one a line ("\n" or "\r\n" ends a
/// line; a last line without one counts).
std::vector<std::string> split_vocab_lines(std::string_view vocab_txt);

} // namespace supportnlp::embed::transformer
