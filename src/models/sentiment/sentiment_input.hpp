#pragma once
// What the learned sentiment model's classifier reads: the text, rewritten
// per SentimentInputOptions (hashtag words, mention and emoji names), followed
// by marker words carrying the lexicon analyzer's signals. Free functions
// without shared state.

#include "models/sentiment/lexicon_scorer.hpp"

#include "supportnlp/models/sentiment/options.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models::detail {

/// The lexicon rules and tokenizer that turn a text into classifier input.
struct SentimentInput {
  LexiconOptions lexicon;
  SentimentInputOptions input;
  LexiconScorer scorer;
  text::Tokenizer tokenizer;

  /// The lexicon's squashed score of a valence sum.
  float squash(float sum) const noexcept;

  /// Writes the classifier input of `text` to `out`; fills `signals` and, if
  /// not null, `evidence` (offsets into `text`). `tokens` is scratch space.
  void build(std::string_view text, text::TokenizedText& tokens, std::string& out,
             LexiconSignals& signals, std::vector<SentimentEvidence>* evidence) const;

  /// The same from `tokens`, the tokens `tokenizer` gives for `text`
  /// (build() tokenizes, then calls this).
  void build_from_tokens(std::string_view text, const text::TokenizedText& tokens, std::string& out,
                         LexiconSignals& signals, std::vector<SentimentEvidence>* evidence) const;

  /// Turns `tokens`, the tokens build() left of the text (the first
  /// `text_size` bytes of its output `input`), into the tokens of the whole
  /// classifier input, as tokenizer.tokenize(input) would give them, by
  /// tokenizing only the appended marker words (into `tail`, scratch) and
  /// appending them. The text is not tokenized again. Marker words start
  /// after a space, and no token rule looks across a space, so the text's
  /// tokens are unchanged by what follows (a unit test compares both ways).
  void extend_tokens(std::string_view input, std::size_t text_size, text::TokenizedText& tokens,
                     text::TokenizedText& tail) const;
};

/// Appends the words of a hashtag's body ("NeverAgain2015" -> " never again
/// 2015"): cut at lower-to-upper case changes and letter/digit changes,
/// ASCII-lowercased.
void append_hashtag_words(std::string_view body, std::string& out);

} // namespace supportnlp::models::detail
