#pragma once
/// \file
/// Sentiment of support text: the LexiconSentiment analyzer, which needs no
/// training or model file. It is one implementation of SentimentScorer
/// (scorer.hpp, which also holds the result types every sentiment model
/// gives); the learned SentimentModel is the other.
///
/// The analyzer scores each token and multi-word support phrase of a text
/// with a valence lexicon written for support language
/// (data/lexicon/*.tsv, compiled in), then applies rules: negation scope
/// ("no problems" is positive, "not helpful" negative, "never arrived"
/// negative), intensifiers and diminishers ("very", "slightly"), contrast
/// ("good food but the wait was awful" weighs the clause after "but" more),
/// words in capitals, exclamation marks, emoji and emoticons. The summed
/// valence is squashed into a score in [-1, 1] and thresholded into a label.
///
/// \code
///   supportnlp::models::LexiconSentiment analyzer;   // no files needed
///   auto r = analyzer.analyze("Still waiting for my refund, third time asking!");
///   // r.label == SentimentLabel::negative, r.score < 0
///   for (const auto& e : r.evidence)                 // byte offsets into the text
///     std::cout << text.substr(e.begin, e.end - e.begin) << ' ' << e.contribution << '\n';
/// \endcode
///
/// Thread safety: a LexiconSentiment is immutable after construction; its
/// analyze() methods are const, never throw, never fail and may be called
/// from any number of threads at once. Copies share the same tables.

#include "supportnlp/models/sentiment/options.hpp"
#include "supportnlp/models/sentiment/scorer.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models {

/// ISO 639-1 codes of the languages the compiled-in lexicon covers: "en",
/// "es", "de", "fr", "pt" (English in full; for the others negation,
/// intensifiers, the strongest words and support phrases, see
/// docs/sentiment.md). Static storage.
const std::vector<std::string>& lexicon_languages() noexcept;

/// Rule-and-lexicon sentiment analyzer; works with no training or model file.
/// The SentimentScorer of kind "lexicon".
class LexiconSentiment final : public SentimentScorer {
public:
  /// Builds the analyzer from the compiled-in lexicon.
  explicit LexiconSentiment(LexiconOptions options = {});

  /// "lexicon".
  const char* kind() const noexcept override;
  /// The options in effect.
  const LexiconOptions& options() const noexcept;
  /// Number of lexicon entries (words, inflections, phrases, emoji, modifiers).
  std::size_t lexicon_size() const noexcept;
  /// lexicon_languages().
  const std::vector<std::string>& languages() const noexcept override;

  using SentimentScorer::analyze;
  /// Sentiment of `text`, writing into `out` (its evidence vector's capacity
  /// is reused). Never fails: invalid UTF-8 is treated as U+FFFD, empty text
  /// is neutral with score 0. The tokenizer's buffers are kept per thread,
  /// so steady-state calls do not allocate.
  void analyze(std::string_view text, SentimentResult& out) const override;
  /// Same, from `tokens` of `text` (SentimentScorer::analyze(text, tokens, out)).
  void analyze(std::string_view text, const text::TokenizedText& tokens,
               SentimentResult& out) const override;
  /// Same, from a text already tokenized by a Tokenizer with default options;
  /// offsets in `out` refer to `tokens.source`.
  void analyze(const text::TokenizedText& tokens, SentimentResult& out) const;

  /// Raw (unsquashed) valence sum of `tokens`, for use as a model feature.
  float raw_valence(const text::TokenizedText& tokens) const;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::models
