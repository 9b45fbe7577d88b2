#pragma once
/// \file
/// LanguageIdentifier: which language a text (or one byte span of a longer
/// text) is written in, among the 112 languages of the training set.
///
/// How it works (docs/language-identification.md has the details and the
/// measured figures):
///  1. Script first. Letters are classified by a code-point table built once
///     per process; the dominant script decides alone when only one known
///     language uses it (Hangul -> ko, Kana -> ja, Greek -> el, Thai, Georgian,
///     Armenian, Hebrew, ...) and otherwise narrows the candidates (Cyrillic,
///     Arabic, Devanagari, Latin, Han without kana -> zh or ja).
///  2. Tokens that carry no language (URLs, e-mail addresses, numbers, ids
///     such as "ORD-99812", emoji) are skipped; the letters are case-folded.
///  3. Character 2..4-grams with word-boundary markers and whole short words
///     are hashed and looked up in a compact table that stores, for each kept
///     feature, the languages it is most typical of with quantised
///     naive-Bayes log-probabilities (the layout of CLD2's quadgram tables).
///  4. The candidates' scores become probabilities by a softmax whose
///     temperature was fitted on held-out training sentences and fragments.
///
/// \code
///   using namespace supportnlp::text;
///   auto lid = LanguageIdentifier::load("data/models/langid.snlp");
///   if (!lid) { /* lid.error().message */ }
///   LanguageResult r = lid->identify("¿Dónde está mi pedido?");
///   // r.code == "es", r.confidence ~ 0.99, r.script == "Latn"
///   LanguageResult buffer;                  // reused across calls: no allocation
///   for (std::string_view paragraph : paragraphs) lid->identify(paragraph, 3, buffer);
/// \endcode
///
/// Thread safety: a LanguageIdentifier is immutable once loaded or trained.
/// identify() and every other const method never throw, never fail and may
/// be called from any number of threads at once; each thread uses its own
/// scratch buffers. Copies are cheap and share the memory-mapped model.

#include "supportnlp/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text {

/// One candidate language and its probability.
struct LanguageScore {
  std::string code;      ///< ISO 639-1 code, e.g. "es"
  float probability = 0; ///< calibrated probability in [0, 1]
};

/// The answer of LanguageIdentifier::identify.
struct LanguageResult {
  /// ISO 639-1 code of the most probable language, or "und" when undetermined.
  std::string code = "und";
  /// Calibrated probability of `code` in [0, 1]; 0 when undetermined.
  float confidence = 0;
  /// True when the text carries no language signal: empty, digits, URLs,
  /// e-mail addresses, ids, emoji or punctuation only, or letters of a
  /// script no known language is written in.
  bool undetermined = true;
  /// Best first, at most top_k entries, probabilities non-increasing, summing
  /// to at most 1. Empty when undetermined.
  std::vector<LanguageScore> top;
  /// Dominant script of the letters as an ISO 15924 code ("Latn", "Cyrl",
  /// "Hani", "Hira", ...), "" when the text has no letters.
  std::string script;
  /// True if the input was not valid UTF-8; invalid sequences were read as
  /// U+FFFD (which is not a letter).
  bool repaired_utf8 = false;
};

/// One training sentence.
struct LanguageSample {
  std::string text;     ///< UTF-8 (invalid sequences are repaired)
  std::string language; ///< ISO 639-1 code (any short ASCII label is accepted)
};

/// Progress of training (optional callback).
struct LanguageTrainProgress {
  std::string stage;  ///< "count", "refine", "calibrate", "select"
  double seconds = 0; ///< wall time since training started
};

/// How to train. Defaults were chosen on held-out sentences and 1-/2-word
/// fragments of ../shared/datasets/langid/train (docs/language-identification.md).
struct LanguageTrainOptions {
  /// Threads used to count features (>= 1). The model is byte-identical for
  /// any value.
  int threads = 1;
  /// Shortest character n-gram used, 1..max_order.
  int min_order = 2;
  /// Longest character n-gram used, 1..5.
  int max_order = 4;
  /// Whole words of at most this many code points are features too (0: none).
  int max_word_length = 24;
  /// Number of features kept in the table (most frequent first); bounds the
  /// file size (about 11 bytes per feature plus 2 per stored language).
  std::size_t max_features = 150000;
  /// Most languages stored per feature (1..15); the others share the
  /// value of the next one.
  int max_languages_per_feature = 15;
  /// A (feature, language) pair seen fewer times is not stored.
  int min_count = 2;
  /// Additive smoothing of the naive-Bayes counts (> 0).
  double alpha = 0.0625;
  /// Every k-th sample of each language (k = round(1 / fraction)) is held out
  /// to fit the softmax temperature, then added back to the counts. In (0, 0.5].
  double calibration_fraction = 0.1;
  /// Weight of the log prior favouring languages with more training text
  /// (0: uniform prior). Helps very short inputs.
  double prior_weight = 1.0;
  /// Scale each language's counts to the same total before smoothing, so
  /// that languages with little training text are not favoured on features
  /// they have never seen (plain naive Bayes smooths them less).
  bool balanced = true;
  /// Weight of whole-word features in the score (>= 0).
  double word_weight = 4.0;
  /// Weights of character n-grams of length 1..5 in the score (>= 0).
  std::array<double, 5> ngram_weights{0.3, 0.6, 1.0, 1.5, 1.5};
  /// Epochs of discriminative refinement of the stored gains (0: plain
  /// naive Bayes). Each epoch goes over every training sentence and a 1- and
  /// a 2-word fragment of it, in a fixed shuffled order; where the true
  /// language does not lead the best other one by `refine_margin`, the
  /// gains the table stores for the two are moved apart (an averaged
  /// perceptron), then re-quantised. The file size does not change.
  int refine_epochs = 3;
  /// Step of one refinement update, in quantisation steps (1/16 nat) per
  /// unit of the feature's order weight (>= 0).
  double refine_rate = 1.0;
  /// Margin of the refinement, in natural-log units of the score (>= 0).
  double refine_margin = 8.0;
  /// Called between stages; may be empty.
  std::function<void(const LanguageTrainProgress&)> progress;
};

/// Language identifier over a memory-mapped model of kind "langid".
class LanguageIdentifier {
public:
  /// An empty identifier: knows no language, answers "und" for everything.
  LanguageIdentifier();

  /// Loads a model file of kind "langid" (docs/model-format.md), mapped and
  /// fully checked. Errors: those of io::ModelFile::open (not_found,
  /// truncated, bad_magic, checksum_mismatch, wrong_kind, ...), and corrupt
  /// when the tensors are inconsistent with each other. Messages name the path.
  [[nodiscard]] static Result<LanguageIdentifier> load(const std::string& path);

  /// Trains from labelled sentences. Deterministic: the same samples (in the
  /// same order) and options give a byte-identical saved file for any
  /// `threads`. Errors: invalid_argument (an option out of range),
  /// invalid_data (no samples, fewer than 2 languages, more than 255, a
  /// language with no letters in its samples).
  [[nodiscard]] static Result<LanguageIdentifier> train(const std::vector<LanguageSample>& samples,
                                                        const LanguageTrainOptions& options);

  /// Writes the model (kind "langid") atomically. Errors: io_error / not_found
  /// naming `path`, invalid_argument for an empty identifier.
  [[nodiscard]] Result<void> save(const std::string& path) const;

  /// Identifies the language of `text` (any bytes; need not be NUL-terminated
  /// or valid UTF-8). Never throws, never fails. `top_k` bounds the entries of
  /// LanguageResult::top (0 gives none, but `code` is still set).
  LanguageResult identify(std::string_view text, std::size_t top_k = 3) const;
  /// Same, writing into `out` and reusing its strings and vector capacity, so
  /// that a warm call allocates nothing.
  void identify(std::string_view text, std::size_t top_k, LanguageResult& out) const;

  /// Codes of the languages the model knows, in model order (sorted).
  const std::vector<std::string>& languages() const noexcept;
  /// True if `code` is one of languages().
  bool knows(std::string_view code) const noexcept;
  /// The model's metadata JSON (training options, data hash, held-out metrics).
  const std::string& metadata() const noexcept;

  struct Impl; ///< private; defined in src/text/language_identifier_impl.hpp

private:
  explicit LanguageIdentifier(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

} // namespace supportnlp::text
