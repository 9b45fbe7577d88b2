#pragma once
/// \file
/// The one face of sentiment: the result types every sentiment model gives,
/// the SentimentScorer interface that the lexicon analyzer (LexiconSentiment,
/// sentiment.hpp) and the learned model (SentimentModel, sentiment_model.hpp)
/// both implement, and load_sentiment(), which opens a model file and returns
/// the implementation its recorded kind names.
///
/// The lexicon analyzer has no model file: its lexicon is compiled in and its
/// rules are code, so it is what load_sentiment() returns when no file is
/// given. A help desk with labelled tickets of its own trains a learned model
/// (`supportnlp train sentiment`) rather than re-tuning lexicon thresholds.
///
/// \code
///   using namespace supportnlp::models;
///   auto sentiment = load_sentiment(path);   // "" -> the lexicon analyzer
///   if (!sentiment) { /* sentiment.error().message */ }
///   const SentimentScorer& s = *sentiment.value();
///   auto r = s.analyze("no problems at all, thanks!");
///   // r.label, r.score in [-1, 1], r.evidence (byte offsets into the text)
///
///   // A caller that has tokenized the text already passes the tokens:
///   supportnlp::text::Tokenizer tokenizer;     // default options
///   auto tokens = tokenizer.tokenize(text);
///   s.analyze(text, tokens, r);                // same answer, no second tokenization
/// \endcode
///
/// Thread safety: every implementation is immutable once built or loaded;
/// analyze() is const, never throws (apart from std::bad_alloc), never fails
/// and may be called from any number of threads at once.

#include "supportnlp/result.hpp"
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

/// A sentiment model: the lexicon analyzer, a learned model, or one of the
/// caller's own. Implementations are immutable; share one through
/// std::shared_ptr<const SentimentScorer> (what load_sentiment() returns).
class SentimentScorer {
public:
  virtual ~SentimentScorer() = default;

  /// What the implementation is: "lexicon" for the lexicon analyzer, else
  /// the kind recorded in its model file ("sentiment" for SentimentModel).
  /// Static storage.
  virtual const char* kind() const noexcept = 0;

  /// ISO 639-1 codes of the languages the model was built for. A ticket in
  /// another language should not be scored by it (the Analyzer answers
  /// neutral with reason unsupported_language instead).
  virtual const std::vector<std::string>& languages() const noexcept = 0;
  /// True if `code` is one of languages().
  bool covers_language(std::string_view code) const noexcept;

  /// Sentiment of `text`, writing into `out` (its evidence vector's capacity
  /// is reused). Never fails: invalid UTF-8 is treated as U+FFFD; empty text
  /// is neutral.
  virtual void analyze(std::string_view text, SentimentResult& out) const = 0;

  /// The same answer from `text` already tokenized: `tokens` must be what a
  /// text::Tokenizer with default TokenizerOptions gave for `text` (so
  /// tokens.source holds the same bytes as `text`). The text is not
  /// tokenized again; offsets in `out` refer to `text`. Tokens of other bytes
  /// (tokens.source differs from `text`) are not trusted: the text is then
  /// tokenized as by analyze(text, out). Tokens made with other options give
  /// an answer that may differ from analyze(text, out).
  virtual void analyze(std::string_view text, const text::TokenizedText& tokens,
                       SentimentResult& out) const = 0;

  /// analyze(text, out) returning a new result.
  SentimentResult analyze(std::string_view text) const;
  /// analyze(text, tokens, out) returning a new result.
  SentimentResult analyze(std::string_view text, const text::TokenizedText& tokens) const;

protected:
  // Copies only through the concrete types, never sliced through this one.
  SentimentScorer() = default;
  SentimentScorer(const SentimentScorer&) = default;
  SentimentScorer& operator=(const SentimentScorer&) = default;
};

/// The sentiment model in the file at `path`, chosen by the kind recorded in
/// the file: "sentiment" loads a SentimentModel. An empty `path` gives the
/// lexicon analyzer with default LexiconOptions (it has no file). Errors:
/// those of io::ModelFile::open (not_found, truncated, bad_magic,
/// checksum_mismatch, unsupported_version, corrupt, ...), wrong_kind for a
/// valid model file of a kind that is no sentiment model (the message names
/// the file's kind and the kinds accepted), and those of SentimentModel::load.
[[nodiscard]] Result<std::shared_ptr<const SentimentScorer>>
load_sentiment(const std::string& path);

} // namespace supportnlp::models
