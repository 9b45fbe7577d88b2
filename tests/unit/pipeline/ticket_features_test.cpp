// One ticket's features, computed once for every stage of the Analyzer
// (src/pipeline/ticket_features.hpp): what a stage reads from them must be
// exactly what it computes on its own, bit for bit, whichever stage asks
// first; an encoder two stages share encodes a ticket once.
#include "../../common/sample_tickets.hpp"
#include "pipeline/ticket_features.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/search/knowledge_base.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

using namespace supportnlp;
using pipeline::detail::TicketFeaturePlan;
using pipeline::detail::TicketFeatures;

namespace {

const std::string kData = std::string(SUPPORTNLP_SOURCE_DIR) + "/data";

// A deterministic encoder that counts its calls.
class CountingEncoder final : public embed::Encoder {
public:
  mutable std::atomic<int> calls{0};
  int dim() const noexcept override { return 4; }
  std::string fingerprint() const override { return "counting/4"; }
  void encode(std::string_view text, float* out) const override {
    ++calls;
    for (int j = 0; j < 4; ++j)
      out[j] = static_cast<float>(text.size() * 10 + static_cast<std::size_t>(j)) +
               (text.empty() ? 0.0f : static_cast<float>(text[0]));
  }
  using embed::Encoder::encode;
};

std::vector<std::string> tickets() {
  std::vector<std::string> out = sample_tickets::texts();
  for (const char* t : {"Refund ORD-99812 to bob@x.com :-) 😡", "bad \xff\xfe utf8 \xc3", "", "?!",
                        "Где мой заказ? 注文はどこですか"})
    out.emplace_back(t);
  return out;
}

bool same(const features::SparseFeatures& a, const features::SparseFeatures& b) {
  if (a.index != b.index || a.value != b.value || a.word_entries != b.word_entries ||
      a.origins.size() != b.origins.size())
    return false;
  for (std::size_t i = 0; i < a.origins.size(); ++i)
    if (a.origins[i].entry != b.origins[i].entry ||
        a.origins[i].token_first != b.origins[i].token_first ||
        a.origins[i].token_last != b.origins[i].token_last)
      return false;
  return true;
}

} // namespace

TEST_CASE("ticket features: an encoder two stages share encodes a ticket once",
          "[pipeline][encoder]") {
  auto inner = std::make_shared<CountingEncoder>();
  TicketFeaturePlan plan;
  const auto a = plan.add_encoder(inner);
  const auto b = plan.add_encoder(inner); // a second stage on the same encoder
  CHECK(a == b);
  const auto other = plan.add_encoder(std::make_shared<CountingEncoder>());
  CHECK(other != a);
  const text::Tokenizer tokenizer;
  TicketFeatures ticket;
  for (const std::string text : {"refund please", "refund please", "cannot log in"}) {
    inner->calls = 0;
    ticket.start(plan, tokenizer, text);
    const std::vector<float> first(ticket.vector(a), ticket.vector(a) + 4);
    const std::vector<float> second(ticket.vector(b), ticket.vector(b) + 4);
    CHECK(inner->calls == 1); // each ticket encoded once, even the same text again
    CHECK(first == inner->encode(text));
    CHECK(second == first);
    ticket.finish();
    CHECK(ticket.tokens().source.empty());
  }
}

TEST_CASE("ticket features: n-grams and vectors are those each stage computes alone",
          "[pipeline]") {
  auto intent = models::IntentClassifier::load(kData + "/models/intent.snlp");
  REQUIRE(intent.ok());
  auto loaded = embed::StaticEncoder::load(kData + "/models/encoder.snlp");
  REQUIRE(loaded.ok());
  const auto encoder = std::make_shared<embed::StaticEncoder>(std::move(loaded).value());
  const auto& clf = intent->classifier();
  const features::NgramExtractor intent_ngrams(clf.feature_options());
  REQUIRE(intent_ngrams.shares_hashes(features::NgramExtractor(encoder->feature_options())));

  TicketFeaturePlan plan;
  const auto ngrams = plan.add_ngrams(clf.feature_options());
  const auto vector = plan.add_encoder(encoder);
  const text::Tokenizer tokenizer;
  TicketFeatures ticket;
  text::TokenizedText tokens;
  features::SparseFeatures alone;
  std::vector<float> v_alone(static_cast<std::size_t>(encoder->dim()));
  models::Prediction p_shared, p_alone;
  models::Explanation why_shared, why_alone;
  for (const auto& t : tickets()) {
    INFO(t);
    tokenizer.tokenize(t, tokens);
    encoder->encode(t, v_alone.data());
    clf.predict_explain(tokens, 3, 3, p_alone, why_alone);
    // Every order of the two readers, with the pass shared (the vector
    // expected) or not, and with or without origins.
    for (int order = 0; order < 8; ++order) {
      INFO(order);
      const bool shared = order & 1, vector_first = order & 2, origins = order & 4;
      ticket.start(plan, tokenizer, t);
      CHECK(ticket.tokens().tokens.size() == tokens.tokens.size());
      if (shared) {
        ticket.expect_vector(vector);
        ticket.expect_ngrams(ngrams);
      }
      std::vector<float> v;
      if (vector_first) v.assign(ticket.vector(vector), ticket.vector(vector) + v_alone.size());
      intent_ngrams.extract(tokens, alone, origins);
      const features::SparseFeatures& f = ticket.ngrams(ngrams, origins);
      CHECK(same(f, alone));
      if (origins) {
        clf.predict_explain(ticket.tokens(), {&f}, 3, 3, p_shared, why_shared);
        REQUIRE(why_shared.toward.size() == why_alone.toward.size());
        for (std::size_t k = 0; k < why_alone.toward.size(); ++k) {
          CHECK(why_shared.toward[k].begin == why_alone.toward[k].begin);
          CHECK(why_shared.toward[k].weight == why_alone.toward[k].weight);
        }
      } else {
        clf.predict(ticket.tokens(), {&f}, 3, p_shared);
      }
      CHECK(p_shared.label == p_alone.label);
      CHECK(p_shared.probabilities == p_alone.probabilities); // bit for bit
      if (!vector_first) v.assign(ticket.vector(vector), ticket.vector(vector) + v_alone.size());
      CHECK(v == v_alone);
      // The model only read the n-grams: they are still the ticket's, and
      // asked again they are the same object, not extracted again.
      CHECK(same(f, alone));
      CHECK(&ticket.ngrams(ngrams, origins) == &f);
      ticket.finish();
    }
  }
}

TEST_CASE("the Analyzer without intent evidence answers as each stage alone", "[pipeline]") {
  // The configuration of bench_pipeline's mode 2: intent without its
  // explanation, and KB search, reading one n-gram pass.
  pipeline::AnalyzerOptions options;
  options.intent_evidence = 0;
  options.kb_top_k = 3;
  auto analyzer = pipeline::Analyzer::open_directory(kData, options);
  REQUIRE(analyzer.ok());
  REQUIRE(analyzer->kb_dense());
  auto full = pipeline::Analyzer::open_directory(kData);
  REQUIRE(full.ok());
  auto intent = models::IntentClassifier::load(kData + "/models/intent.snlp");
  REQUIRE(intent.ok());
  const text::Tokenizer tokenizer;
  text::TokenizedText tokens;
  for (const auto& t : tickets()) {
    INFO(t);
    const auto a = analyzer->analyze(t);
    const auto b = full->analyze(t);
    CHECK(a.intent_evidence.empty());
    REQUIRE(a.intent.has_value() == b.intent.has_value());
    if (a.intent) {
      CHECK(a.intent->label == b.intent->label);
      CHECK(a.intent->confidence == b.intent->confidence);
      CHECK(a.intent->queue_confidence == b.intent->queue_confidence);
      if (a.intent->reason == models::OutOfScopeReason::none ||
          a.intent->reason == models::OutOfScopeReason::low_confidence) {
        tokenizer.tokenize(t, tokens);
        const auto alone = intent->classify(tokens, options.intent_top_k);
        CHECK(a.intent->label == alone.label);
        CHECK(a.intent->confidence == alone.confidence);
      }
    }
    REQUIRE(a.kb_hits.size() == b.kb_hits.size());
    for (std::size_t k = 0; k < a.kb_hits.size(); ++k) {
      CHECK(a.kb_hits[k].article_id == b.kb_hits[k].article_id);
      CHECK(a.kb_hits[k].score == b.kb_hits[k].score);
      CHECK(a.kb_hits[k].dense_score == b.kb_hits[k].dense_score);
    }
  }
}
