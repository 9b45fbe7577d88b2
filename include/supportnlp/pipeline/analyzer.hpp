#pragma once
/// \file
/// Analyzer: one call per ticket. Loads a bundle of models (by default the
/// ones shipped in data/) and answers, for one text: its language, the
/// normalized text, sentiment with evidence, queue and intent with calibrated
/// confidence and an out-of-scope reason, urgency with the rules that fired,
/// the best knowledge-base articles, and the personal data found with a
/// redacted copy.
///
/// Language comes first: a ticket whose language the intent model was not
/// trained on (the identifier's best answer, at a probability of at least
/// 0.5) is answered out of scope with reason unsupported_language (never an
/// intent guessed from another language's words), and one the sentiment
/// model does not cover gets neutral sentiment marked
/// unsupported_language. Text too short or too garbled to tell its language
/// is classified as usual.
///
/// \code
///   auto analyzer = supportnlp::pipeline::Analyzer::open_directory("data");
///   if (!analyzer) { std::cerr << analyzer.error().message << '\n'; return 1; }
///   auto a = analyzer->analyze("I was charged twice for ORD-99812, mail me at bob@x.com");
///   std::cout << to_string(a.urgency.level) << ' ' << a.pii.text << '\n';
///   if (a.intent) std::cout << a.intent->label << '\n';
///   std::cout << supportnlp::pipeline::to_json(a) << '\n';
/// \endcode
///
/// Thread safety: an Analyzer is immutable once opened; analyze() is const,
/// never throws (apart from std::bad_alloc), never fails, and may be called
/// from any number of threads at once. Copies share the loaded models.

#include "supportnlp/models/intent/intent.hpp"
#include "supportnlp/models/sentiment/scorer.hpp"
#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/rules/pii.hpp"
#include "supportnlp/rules/urgency.hpp"
#include "supportnlp/result.hpp"
#include "supportnlp/search/knowledge_base.hpp"
#include "supportnlp/text/language_identifier.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::pipeline {

/// The files of a bundle. An empty path leaves that part out: no intent, a
/// knowledge base searched by BM25 only (no encoder), or no KB search.
struct BundlePaths {
  std::string language_model; ///< a "langid" model file (text::LanguageIdentifier)
  std::string intent_model;   ///< an "intent" model file (models::IntentClassifier)
  std::string encoder_model;  ///< a StaticEncoder file, used by the knowledge base
  /// A pretrained transformer sentence encoder (embed::TransformerEncoder::
  /// load): a Hugging Face / sentence-transformers folder, or a file that
  /// load accepts. The knowledge base and the intent model use it when they
  /// were built or trained with it (matched by fingerprint; see
  /// Analyzer::open). Empty: none.
  std::string transformer_encoder;
  /// A learned sentiment model file (kind "sentiment", models::load_sentiment);
  /// empty: the lexicon analyzer (models::LexiconSentiment).
  std::string sentiment_model;
  /// a KB file (".snlp"), or articles as JSON Lines (".jsonl") or TSV (".tsv"), read by
  /// search::read_articles_file's policy
  std::string knowledge_base;

  /// The default layout of a bundle directory, taking each file only if it
  /// exists: models/langid.snlp, models/intent.snlp, models/encoder.snlp,
  /// models/sentiment.snlp, the folder models/transformer/ or else the file
  /// models/transformer.snlp (transformer_encoder), and
  /// kb/kb.snlp or else kb/articles.jsonl.
  static BundlePaths in_directory(const std::string& directory);
};

/// What an analysis includes. Defaults suit a help-desk inbox.
struct AnalyzerOptions {
  std::size_t intent_top_k = 3;    ///< intents listed in IntentResult::top
  std::size_t intent_evidence = 3; ///< intent explanation spans (0: no explanation)
  int kb_top_k = 3;                ///< KB articles per ticket (<= 0: no search)
  bool kb_highlight = false;       ///< fill SearchHit highlights (costs one tokenization per hit)
  rules::PiiOptions pii{};                ///< which personal data to find
  rules::UrgencyOptions urgency{};        ///< urgency thresholds (docs/urgency.md)
  /// Bytes of a ticket that are analysed (0: no limit). A longer text is cut
  /// at the last UTF-8 character boundary at or before this many bytes, every
  /// stage sees only that prefix, and TicketAnalysis::truncated says so; the
  /// cost of one call is then bounded whatever the caller passes in (a 5 MB
  /// ticket took 6 s and 790 MB uncut). 64 KiB holds any real ticket.
  std::size_t max_text_bytes = 64 * 1024;
  /// The sentiment model to use instead of the bundle's (e.g. a
  /// models::SentimentModel trained in memory, or a LexiconSentiment with
  /// other LexiconOptions). Null (default): BundlePaths::sentiment_model
  /// when set, else the lexicon analyzer.
  std::shared_ptr<const models::SentimentScorer> sentiment;
};

/// Everything the Analyzer says about one ticket. Offsets in every part are
/// byte offsets into the text given to analyze().
struct TicketAnalysis {
  /// Language of the whole text (absent if the bundle has no language
  /// identifier): ISO 639-1 code with its calibrated probability, or
  /// undetermined ("und") for text with no language signal.
  std::optional<text::LanguageResult> language;
  std::string normalized_text;       ///< NFKC + case-folded, invalid UTF-8 repaired
  models::SentimentResult sentiment; ///< label, score in [-1, 1], evidence spans
  /// True when the text's language is one the sentiment model does not
  /// cover (models::SentimentScorer::languages()): `sentiment` is then
  /// neutral with no evidence, not a guess.
  bool sentiment_unsupported_language = false;
  /// Queue and intent (absent if the bundle has no intent model); the queue
  /// is IntentResult::queue with IntentResult::queue_confidence.
  std::optional<models::IntentResult> intent;
  /// Spans that pushed towards the predicted intent, strongest first
  /// (AnalyzerOptions::intent_evidence of them; empty without intent).
  std::vector<models::Evidence> intent_evidence;
  rules::UrgencyAssessment urgency;              ///< level, points and the rules that fired
  std::vector<search::SearchHit> kb_hits; ///< best articles first (empty without a KB)
  rules::RedactedText pii;                       ///< PII spans and the redacted text
  bool repaired_utf8 = false;             ///< the input held invalid UTF-8
  /// The text was longer than AnalyzerOptions::max_text_bytes: every part
  /// describes its first `analyzed_bytes` bytes only.
  bool truncated = false;
  std::size_t analyzed_bytes = 0; ///< bytes of the text analysed (all of it unless truncated)
};

/// One-call ticket analysis. See the file comment for an example.
class Analyzer {
public:
  /// Loads the files of `paths`. The bundle's encoders (encoder_model and
  /// transformer_encoder) are offered to the models that need one: a KB
  /// file or an intent model that records an encoder fingerprint gets the
  /// bundle's encoder of that fingerprint; a KB built here from articles
  /// uses the transformer when the bundle has one, else the static encoder.
  /// Errors: those of the model loaders
  /// (io_error, truncated, bad_magic, checksum_mismatch, wrong_kind,
  /// unsupported_version, corrupt, and those of TransformerEncoder::load),
  /// parse_error for an articles line that
  /// search/articles.hpp's policy rejects, duplicate ids included (naming
  /// the first such line), invalid_argument for articles the KB refuses and
  /// for a KB or intent model needing an encoder the bundle lacks (naming
  /// the fingerprint needed and the encoders the bundle has).
  [[nodiscard]] static Result<Analyzer> open(const BundlePaths& paths,
                                             AnalyzerOptions options = {});
  /// open(BundlePaths::in_directory(directory), options); not_found if the
  /// directory does not exist.
  [[nodiscard]] static Result<Analyzer> open_directory(const std::string& directory,
                                                       AnalyzerOptions options = {});

  /// Analyzes one ticket (its first AnalyzerOptions::max_text_bytes bytes;
  /// time and memory grow linearly with that prefix). Never fails; empty
  /// text gives a neutral, normal, empty analysis.
  TicketAnalysis analyze(std::string_view text) const;
  /// Same, reusing `out`'s buffers.
  void analyze(std::string_view text, TicketAnalysis& out) const;

  /// True if the bundle has an intent model.
  bool has_intent() const noexcept;
  /// True if the bundle has a language identifier.
  bool has_language() const noexcept;
  /// Number of knowledge-base articles (0: no KB).
  std::size_t kb_articles() const noexcept;
  /// True if the knowledge base searches with an encoder (hybrid), false
  /// for BM25 only or no KB.
  bool kb_dense() const noexcept;
  /// Fingerprint of the encoder the knowledge base searches with ("" for
  /// BM25 only or no KB), e.g. "transformer/bert/384/mean/256/...".
  std::string kb_encoder() const;
  /// Fingerprint of the frozen encoder the intent model uses ("" for none:
  /// no intent model, or one whose dense view is stored in its file).
  std::string intent_encoder() const;
  /// Fingerprint of the bundle's transformer encoder ("" if it has none).
  std::string transformer_encoder() const;
  /// The options in effect.
  const AnalyzerOptions& options() const noexcept;

  /// Internal state; opaque to users.
  struct Impl;

private:
  explicit Analyzer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// The analysis as one compact JSON object (UTF-8; invalid UTF-8 in the
/// input is replaced in text fields, offsets still refer to the input):
/// {"language":{"code","confidence"},"normalized":..,"sentiment":{..},
///  "queue":{"label","confidence"},"intent":{..},"urgency":{..},
///  "kb":[..],"pii":{"spans":[..],"redacted":..},"repaired_utf8":..}
/// ("language" only with a language identifier, "queue" and "intent" only
/// with an intent model; an out-of-scope intent carries "reason", and
/// sentiment skipped for its language carries "reason":"unsupported_language";
/// a text cut at AnalyzerOptions::max_text_bytes ends with
/// "truncated":true,"analyzed_bytes":N).
/// `id`, if not empty, is written first as "id".
std::string to_json(const TicketAnalysis& analysis, std::string_view id = {});

} // namespace supportnlp::pipeline
