// Analyzer: loads a bundle and runs every stage on one ticket. The stages
// share nothing mutable, so one Analyzer serves any number of threads.
#include "supportnlp/pipeline/analyzer.hpp"

#include "pipeline/ticket_features.hpp"
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/embed/transformer_encoder.hpp"
#include "supportnlp/io/model_file.hpp"
#include "supportnlp/search/articles.hpp"
#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/utf8.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace supportnlp::pipeline {

struct Analyzer::Impl {
  AnalyzerOptions options;
  text::Normalizer normalizer{text::NormalizationForm::nfkc_casefold};
  // The one tokenization of a ticket: default options, those every model
  // below reads (sentiment, intent, the encoder, BM25).
  text::Tokenizer tokenizer;
  // The learned model when one is configured, else the lexicon analyzer.
  std::shared_ptr<const models::SentimentScorer> sentiment;
  std::optional<text::LanguageIdentifier> language;
  std::optional<models::IntentClassifier> intent;
  std::optional<search::KnowledgeBase> kb;
  std::shared_ptr<const embed::Encoder> transformer; // the bundle's, if any
  rules::UrgencyRules urgency;
  rules::PiiDetector pii;
  // What the stages read of a ticket (ticket_features.hpp): the intent
  // model's n-grams and its frozen encoder's vector (when it has one that
  // its answer reads), the KB's query vector (when it has an encoder).
  detail::TicketFeaturePlan plan;
  static constexpr detail::TicketFeaturePlan::Slot kNone = 0xFFFFFFFFu;
  detail::TicketFeaturePlan::Slot intent_ngrams = kNone, intent_vector = kNone, kb_vector = kNone;

  explicit Impl(const AnalyzerOptions& o) : options(o), urgency(o.urgency), pii(o.pii) {}
};

namespace {

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// True if `text` holds no letter or digit (ASCII or beyond): nothing for a
// model to read.
bool has_no_words(std::string_view text) {
  for (const unsigned char c : text)
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
      return false;
  return true;
}

// A model covering `covers` should not guess on a text whose language it
// does not know: true when the best language is not covered and is more
// likely than not. An ambiguous text ("en 0.40 / nl 0.45") or one with no
// clear language at all (keyboard mashing) is still classified: the intent
// model has its own out-of-scope answer for those.
template <class Covers>
bool unsupported_language(const std::optional<text::LanguageResult>& language, Covers covers) {
  return language && !language->undetermined && !covers(language->code) &&
         language->confidence >= 0.5f;
}

// The encoders a bundle holds, offered to its KB and intent model by
// fingerprint.
struct BundleEncoders {
  std::shared_ptr<const embed::Encoder> transformer, static_encoder;

  // The encoder of fingerprint `needed` (null when `needed` is empty), or an
  // error naming what the bundle lacks; `model` names the file in need.
  Result<std::shared_ptr<const embed::Encoder>> pick(const std::string& needed,
                                                     const std::string& model) const {
    if (needed.empty()) return std::shared_ptr<const embed::Encoder>();
    for (const auto& e : {transformer, static_encoder})
      if (e && e->fingerprint() == needed) return e;
    std::string has;
    for (const auto& [name, e] : {std::pair{"transformer encoder ", transformer},
                                  std::pair{"static encoder ", static_encoder}})
      if (e) has += (has.empty() ? "" : " and ") + std::string(name) + e->fingerprint();
    const bool transformer_needed = needed.compare(0, 12, "transformer/") == 0;
    return make_error(ErrorCode::invalid_argument,
                      model + " needs encoder " + needed + ", which the bundle lacks (it has " +
                          (has.empty() ? std::string("no encoder") : has) +
                          "); put that encoder in the bundle (" +
                          (transformer_needed ? "models/transformer/" : "models/encoder.snlp") +
                          ") or leave this stage out");
  }
};

// The encoder fingerprint a model file records: a KB's "encoder" field, an
// intent model's frozen encoder ("" when it needs none).
Result<std::string> needed_encoder(const std::string& path, const char* kind) {
  auto file = io::ModelFile::open(path, kind);
  if (!file) return file.error();
  if (std::string_view(kind) == models::kIntentKind)
    return models::TextClassifier::required_encoder(file.value());
  const auto meta = nlohmann::json::parse(file->metadata(), nullptr, false);
  if (!meta.is_object())
    return make_error(ErrorCode::corrupt, path + ": metadata is not a JSON object");
  const auto it = meta.find("encoder");
  return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_articles_file(const std::string& path) {
  const auto ends = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".jsonl") || ends(".tsv");
}

} // namespace

BundlePaths BundlePaths::in_directory(const std::string& directory) {
  BundlePaths p;
  const auto take = [&](const std::string& relative) {
    const std::string path = directory + "/" + relative;
    return file_exists(path) ? path : std::string();
  };
  p.language_model = take("models/langid.snlp");
  p.intent_model = take("models/intent.snlp");
  p.encoder_model = take("models/encoder.snlp");
  p.sentiment_model = take("models/sentiment.snlp");
  {
    std::error_code ec;
    const std::string folder = directory + "/models/transformer";
    p.transformer_encoder =
        std::filesystem::is_directory(folder, ec) ? folder : take("models/transformer.snlp");
  }
  p.knowledge_base = take("kb/kb.snlp");
  if (p.knowledge_base.empty()) p.knowledge_base = take("kb/articles.jsonl");
  return p;
}

Result<Analyzer> Analyzer::open(const BundlePaths& paths, AnalyzerOptions options) {
  auto impl = std::make_shared<Impl>(options);
  // Sentiment: the caller's scorer, else the bundle's learned model, else
  // the lexicon analyzer (load_sentiment of an empty path).
  if (options.sentiment) {
    impl->sentiment = options.sentiment;
  } else {
    auto sentiment = models::load_sentiment(paths.sentiment_model);
    if (!sentiment) return sentiment.error();
    impl->sentiment = std::move(sentiment).value();
  }
  if (!paths.language_model.empty()) {
    auto language = text::LanguageIdentifier::load(paths.language_model);
    if (!language) return language.error();
    impl->language.emplace(std::move(language).value());
  }
  BundleEncoders encoders;
  std::shared_ptr<const embed::StaticEncoder> static_encoder;
  if (!paths.encoder_model.empty()) {
    auto e = embed::StaticEncoder::load(paths.encoder_model);
    if (!e) return e.error();
    static_encoder = std::make_shared<embed::StaticEncoder>(std::move(e).value());
    encoders.static_encoder = static_encoder;
  }
  if (!paths.transformer_encoder.empty()) {
    auto t = embed::TransformerEncoder::load(paths.transformer_encoder);
    if (!t) return t.error();
    encoders.transformer = std::make_shared<embed::TransformerEncoder>(std::move(t).value());
    impl->transformer = encoders.transformer;
  }
  if (!paths.intent_model.empty()) {
    auto needed = needed_encoder(paths.intent_model, models::kIntentKind);
    if (!needed) return needed.error();
    auto encoder = encoders.pick(needed.value(), "intent model " + paths.intent_model);
    if (!encoder) return encoder.error();
    auto intent = models::IntentClassifier::load(paths.intent_model, encoder.value());
    if (!intent) return intent.error();
    impl->intent.emplace(std::move(intent).value());
    const auto& classifier = impl->intent->classifier();
    impl->intent_ngrams = impl->plan.add_ngrams(classifier.feature_options());
    if (encoder.value() && classifier.metrics().dense_weight > 0)
      impl->intent_vector = impl->plan.add_encoder(encoder.value());
  }
  if (!paths.knowledge_base.empty()) {
    // A KB file uses the encoder it was built with; articles are indexed
    // here with the bundle's best encoder (the transformer, if any).
    std::shared_ptr<const embed::Encoder> encoder =
        encoders.transformer ? encoders.transformer : encoders.static_encoder;
    if (!is_articles_file(paths.knowledge_base)) {
      auto needed = needed_encoder(paths.knowledge_base, "kb");
      if (!needed) return needed.error();
      auto picked = encoders.pick(needed.value(), "knowledge base " + paths.knowledge_base);
      if (!picked) return picked.error();
      encoder = picked.value();
    }
    // A KB file, or articles read by the library's one article policy.
    auto kb = search::open_knowledge_base(paths.knowledge_base, encoder);
    if (!kb) return kb.error();
    impl->kb.emplace(std::move(kb).value());
    if (impl->kb->encoder()) impl->kb_vector = impl->plan.add_encoder(impl->kb->encoder());
  }
  return Analyzer(std::move(impl));
}

Result<Analyzer> Analyzer::open_directory(const std::string& directory, AnalyzerOptions options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    return make_error(ErrorCode::not_found, "bundle directory " + directory + " does not exist");
  return open(BundlePaths::in_directory(directory), options);
}

void Analyzer::analyze(std::string_view whole_text, TicketAnalysis& out) const {
  const Impl& impl = *impl_;
  const AnalyzerOptions& o = impl.options;
  const std::string_view text =
      o.max_text_bytes == 0 ? whole_text : text::utf8_prefix(whole_text, o.max_text_bytes);
  out.truncated = text.size() < whole_text.size();
  out.analyzed_bytes = text.size();
  out.repaired_utf8 = !text::is_valid_utf8(text);
  if (impl.language) {
    if (!out.language) out.language.emplace();
    impl.language->identify(text, 3, *out.language);
  } else {
    out.language.reset();
  }
  out.normalized_text.clear();
  impl.normalizer.append_normalized(text, out.normalized_text);
  // What every stage below reads of the ticket, each computed once: the one
  // token stream, n-grams, encoder vectors. It views `text`, and no view of
  // it is kept after this call.
  thread_local detail::TicketFeatures ticket;
  ticket.start(impl.plan, impl.tokenizer, text);
  const text::TokenizedText& tokens = ticket.tokens();
  const bool kb_search = impl.kb && o.kb_top_k > 0;
  // The KB's query vector, read below when the KB has an encoder and the
  // ticket words to search with: its n-grams, if it pools some, come with
  // the intent model's when the two hash alike.
  const bool kb_vector =
      kb_search && impl.kb_vector != Impl::kNone && impl.kb->passages() > 0 && !has_no_words(text);
  if (kb_vector) ticket.expect_vector(impl.kb_vector);
  out.sentiment_unsupported_language = unsupported_language(
      out.language, [&](std::string_view code) { return impl.sentiment->covers_language(code); });
  if (out.sentiment_unsupported_language) {
    out.sentiment = models::SentimentResult{};
    out.sentiment.repaired_utf8 = out.repaired_utf8;
  } else {
    impl.sentiment->analyze(text, tokens, out.sentiment);
  }
  out.intent.reset();
  out.intent_evidence.clear();
  if (impl.intent) {
    const auto& intent = *impl.intent;
    if (has_no_words(text)) {
      out.intent = models::IntentClassifier::not_classified(models::OutOfScopeReason::empty_text);
    } else if (unsupported_language(out.language, [&](std::string_view code) {
                 return intent.covers_language(code);
               })) {
      out.intent =
          models::IntentClassifier::not_classified(models::OutOfScopeReason::unsupported_language);
    } else {
      // An explanation reads where each n-gram came from.
      const bool explain = o.intent_evidence > 0;
      models::PreparedText prepared;
      prepared.ngrams = &ticket.ngrams(impl.intent_ngrams, explain);
      if (impl.intent_vector != Impl::kNone)
        prepared.encoder_vector = ticket.vector(impl.intent_vector);
      if (explain) {
        // One featurization for both answers; an out-of-scope ticket gets
        // no explanation (it would explain a label nobody routes to).
        thread_local models::Explanation why;
        out.intent =
            intent.classify_explained(tokens, prepared, o.intent_top_k, o.intent_evidence, why);
        if (!out.intent->out_of_scope)
          out.intent_evidence.assign(why.toward.begin(), why.toward.end());
      } else {
        out.intent = intent.classify(tokens, prepared, o.intent_top_k);
      }
    }
    out.intent->repaired_utf8 = out.repaired_utf8;
  }
  impl.urgency.assess(text, double(out.sentiment.score), out.urgency);
  out.kb_hits.clear();
  if (kb_search) {
    search::SearchOptions so;
    so.top_k = o.kb_top_k;
    so.highlight = o.kb_highlight;
    out.kb_hits = impl.kb->search(tokens, kb_vector ? ticket.vector(impl.kb_vector) : nullptr, so);
  }
  impl.pii.redact(text, out.pii);
  ticket.finish();
}

TicketAnalysis Analyzer::analyze(std::string_view text) const {
  TicketAnalysis out;
  analyze(text, out);
  return out;
}

bool Analyzer::has_intent() const noexcept {
  return impl_->intent.has_value();
}
bool Analyzer::has_language() const noexcept {
  return impl_->language.has_value();
}
std::size_t Analyzer::kb_articles() const noexcept {
  return impl_->kb ? impl_->kb->size() : 0;
}
std::string Analyzer::kb_encoder() const {
  return impl_->kb && impl_->kb->encoder() ? impl_->kb->encoder()->fingerprint() : std::string();
}
std::string Analyzer::intent_encoder() const {
  return impl_->intent ? impl_->intent->encoder_fingerprint() : std::string();
}
std::string Analyzer::transformer_encoder() const {
  return impl_->transformer ? impl_->transformer->fingerprint() : std::string();
}
bool Analyzer::kb_dense() const noexcept {
  return impl_->kb && impl_->kb->encoder() != nullptr;
}
const AnalyzerOptions& Analyzer::options() const noexcept {
  return impl_->options;
}

} // namespace supportnlp::pipeline
