#pragma once
/// \file
/// Sentiment of support text: the result types shared by every sentiment
/// model, and the LexiconSentiment analyzer, which needs no training.
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

#include "supportnlp/text/tokenizer.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::models {

/// The three sentiment classes. Values are stable (stored in model files).
enum class SentimentLabel : std::uint8_t {
  negative = 0,
  neutral = 1,
  positive = 2,
};

/// Name of a label: "negative", "neutral" or "positive".
const char* to_string(SentimentLabel label) noexcept;

/// The label named `name` (exactly "negative", "neutral" or "positive",
/// case-insensitive), or nothing for any other string.
std::optional<SentimentLabel> parse_sentiment_label(std::string_view name) noexcept;

/// What produced a piece of evidence.
enum class EvidenceKind : std::uint8_t {
  word = 0,     ///< a lexicon word (possibly negated, intensified or in capitals)
  phrase = 1,   ///< a multi-word support phrase ("still waiting", "charged twice")
  emoji = 2,    ///< an emoji or emoticon
  emphasis = 3, ///< exclamation marks amplifying the text's overall direction
};

/// Name of an evidence kind, e.g. "phrase".
const char* to_string(EvidenceKind kind) noexcept;

/// One span of the text that moved the score. `begin`/`end` are byte offsets
/// into the caller's original text (a phrase spans all its words).
struct SentimentEvidence {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  /// Signed valence added to the raw sum, after negation, modifiers, capitals
  /// and contrast weighting (lexicon scale: about -4 .. +4 per entry).
  float contribution = 0.0f;
  EvidenceKind kind = EvidenceKind::word;
  bool negated = false; ///< the entry's valence was flipped by a negation in scope
};

/// The sentiment of one text.
struct SentimentResult {
  SentimentLabel label = SentimentLabel::neutral;
  /// Polarity in [-1, 1]: < 0 negative, > 0 positive. For the lexicon
  /// analyzer the squashed valence sum; for learned models P(pos) - P(neg).
  float score = 0.0f;
  /// Class probabilities indexed by SentimentLabel. The lexicon analyzer
  /// derives them from the score (uncalibrated); learned models are calibrated.
  std::array<float, 3> probabilities{{0.0f, 1.0f, 0.0f}};
  /// Spans that contributed, in text order except that the exclamation
  /// emphasis (if any) comes last (empty if explanation is off).
  std::vector<SentimentEvidence> evidence;
  bool repaired_utf8 = false; ///< the input held invalid UTF-8 (treated as U+FFFD)
};

/// Rules and thresholds of the lexicon analyzer. The defaults were tuned on
/// the training split of the airline support tweets (see docs/sentiment.md);
/// change them only with a labelled set of your own.
struct LexiconOptions {
  /// Scores at or below this are negative. Support text leans negative: a
  /// weak negative signal usually means a complaint, hence the asymmetry.
  float negative_threshold = -0.02f;
  /// Scores at or above this are positive.
  float positive_threshold = 0.40f;
  /// Valence of a word in a negation's scope is multiplied by this (unless
  /// the lexicon gives the word an explicit negated valence).
  float negation_factor = -0.4f;
  /// How many tokens after a negator it stays in effect (punctuation ends it).
  int negation_scope = 3;
  /// Valence of a negator whose scope negated no lexicon entry: in support
  /// text "can't get through" or "did not show up" is a complaint.
  float bare_negation = -1.0f;
  /// Weight of evidence before a contrast word ("but", "however").
  float before_contrast = 0.5f;
  /// Weight of evidence after a contrast word.
  float after_contrast = 1.4f;
  /// Multiplier for a lexicon word written in capitals (in mixed-case text).
  float caps_factor = 1.3f;
  /// Added magnitude per '!' (at most 4 counted) in the text's direction.
  float exclamation_boost = 0.4f;
  /// Squashing constant: score = sum / sqrt(sum^2 + alpha).
  float alpha = 12.0f;
  /// Collect evidence spans (off saves a little time).
  bool explain = true;
};

/// Rule-and-lexicon sentiment analyzer; works with no training or model file.
class LexiconSentiment {
public:
  /// Builds the analyzer from the compiled-in lexicon.
  explicit LexiconSentiment(LexiconOptions options = {});

  /// The options in effect.
  const LexiconOptions& options() const noexcept;
  /// Number of lexicon entries (words, inflections, phrases, emoji, modifiers).
  std::size_t lexicon_size() const noexcept;
  /// ISO 639-1 codes of the languages the lexicon covers: "en", "es", "de",
  /// "fr", "pt" (English in full; for the others negation, intensifiers, the
  /// strongest words and support phrases, see docs/sentiment.md).
  static const std::vector<std::string>& languages() noexcept;
  /// True if the lexicon covers the language `code` (ISO 639-1).
  static bool covers_language(std::string_view code) noexcept;

  /// Sentiment of `text`. Never fails: invalid UTF-8 is treated as U+FFFD,
  /// empty text is neutral with score 0.
  SentimentResult analyze(std::string_view text) const;
  /// Same, writing into `out` (its evidence vector's capacity is reused). The
  /// tokenizer's buffers are kept per thread, so steady-state calls do not
  /// allocate.
  void analyze(std::string_view text, SentimentResult& out) const;
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
