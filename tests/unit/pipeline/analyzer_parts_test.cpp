// The Analyzer shares work between its stages (one featurization for intent
// and its explanation, per-thread buffers for urgency and PII); its answer
// must still equal what each component says on its own, for every sample
// ticket, and stay the same when many threads analyze different tickets at
// once. Where the language identifier finds a language a stage does not
// cover, that stage must say so instead of answering.
#include "../../common/sample_tickets.hpp"

#include <supportnlp/pipeline/analyzer.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

using supportnlp::pipeline::Analyzer;

namespace {

const std::string kData = std::string(SUPPORTNLP_SOURCE_DIR) + "/data";

} // namespace

TEST_CASE("analyzer: each part equals its component run alone", "[pipeline]") {
  auto analyzer = Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  REQUIRE(analyzer->has_intent());
  auto intent = supportnlp::models::IntentClassifier::load(kData + "/models/intent.snlp");
  REQUIRE(intent.ok());
  REQUIRE(analyzer->has_language());
  auto language = supportnlp::text::LanguageIdentifier::load(kData + "/models/langid.snlp");
  REQUIRE(language.ok());
  const supportnlp::models::LexiconSentiment sentiment;
  const supportnlp::rules::UrgencyRules urgency;
  const supportnlp::rules::PiiDetector pii;
  const auto& o = analyzer->options();

  const auto tickets = sample_tickets::texts();
  REQUIRE(tickets.size() >= 50);
  supportnlp::pipeline::TicketAnalysis reused;
  std::size_t explained = 0, urgent = 0, with_pii = 0, unsupported = 0;
  for (const auto& t : tickets) {
    INFO(t);
    // Reusing one output object must not leak anything between tickets.
    analyzer->analyze(t, reused);
    const auto a = analyzer->analyze(t);
    CHECK(to_json(reused) == to_json(a));

    const auto l = language->identify(t, 3);
    REQUIRE(a.language.has_value());
    CHECK(a.language->code == l.code);
    CHECK(a.language->confidence == l.confidence);
    // A language the identifier is unsure of (below 0.5) is not refused.
    const bool unsure = l.undetermined || l.confidence < 0.5f;
    const bool intent_covers = unsure || intent->covers_language(l.code);
    const bool sentiment_covers = unsure || sentiment.covers_language(l.code);

    const auto s = sentiment.analyze(t);
    CHECK(a.sentiment_unsupported_language == !sentiment_covers);
    if (sentiment_covers) {
      CHECK(a.sentiment.label == s.label);
      CHECK(a.sentiment.score == s.score);
      CHECK(a.sentiment.evidence.size() == s.evidence.size());
    } else {
      CHECK(a.sentiment.label == supportnlp::models::SentimentLabel::neutral);
      CHECK(a.sentiment.evidence.empty());
    }

    REQUIRE(a.intent.has_value());
    if (!intent_covers) {
      ++unsupported;
      CHECK(a.intent->out_of_scope);
      CHECK(a.intent->reason == supportnlp::models::OutOfScopeReason::unsupported_language);
      CHECK(a.intent->label.empty());
      CHECK(a.intent->queue == "out_of_scope");
      CHECK(a.intent_evidence.empty());
    } else {
      const auto c = intent->classify(t, o.intent_top_k);
      CHECK(a.intent->label == c.label);
      CHECK(a.intent->confidence == Approx(c.confidence).margin(1e-6));
      CHECK(a.intent->out_of_scope == c.out_of_scope);
      REQUIRE(a.intent->top.size() == c.top.size());
      for (std::size_t k = 0; k < c.top.size(); ++k)
        CHECK(a.intent->top[k].label == c.top[k].label);
      if (!c.out_of_scope) {
        const auto why = intent->explain(t, c.label, o.intent_evidence);
        REQUIRE(a.intent_evidence.size() == why.toward.size());
        for (std::size_t k = 0; k < why.toward.size(); ++k) {
          CHECK(a.intent_evidence[k].begin == why.toward[k].begin);
          CHECK(a.intent_evidence[k].end == why.toward[k].end);
          CHECK(a.intent_evidence[k].weight == Approx(why.toward[k].weight).margin(1e-5));
        }
        explained += why.toward.empty() ? 0 : 1;
      } else {
        CHECK(a.intent_evidence.empty());
      }
      CHECK(a.intent->queue == c.queue);
      CHECK(a.intent->queue_confidence == Approx(c.queue_confidence).margin(1e-6));
    }

    const auto u = urgency.assess(t, double(a.sentiment.score));
    CHECK(a.urgency.level == u.level);
    CHECK(a.urgency.points == u.points);
    REQUIRE(a.urgency.evidence.size() == u.evidence.size());
    for (std::size_t k = 0; k < u.evidence.size(); ++k) {
      CHECK(a.urgency.evidence[k].rule == u.evidence[k].rule);
      CHECK(a.urgency.evidence[k].begin == u.evidence[k].begin);
      CHECK(a.urgency.evidence[k].end == u.evidence[k].end);
    }
    urgent += u.level >= supportnlp::rules::Urgency::high ? 1 : 0;

    const auto r = pii.redact(t);
    CHECK(a.pii.text == r.text);
    REQUIRE(a.pii.spans.size() == r.spans.size());
    for (std::size_t k = 0; k < r.spans.size(); ++k) {
      CHECK(a.pii.spans[k].begin == r.spans[k].begin);
      CHECK(a.pii.spans[k].end == r.spans[k].end);
      CHECK(a.pii.spans[k].redacted_begin == r.spans[k].redacted_begin);
    }
    with_pii += r.spans.empty() ? 0 : 1;
  }
  // The samples exercise every part; one of them is in Japanese, which the
  // routing model does not cover.
  CHECK(unsupported >= 1);
  CHECK(explained > 20);
  CHECK(urgent > 5);
  CHECK(with_pii > 5);
}

TEST_CASE("analyzer: threads analyzing different tickets agree with one thread", "[pipeline]") {
  auto analyzer = Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  const auto tickets = sample_tickets::texts();
  REQUIRE(!tickets.empty());
  std::vector<std::string> expected;
  for (const auto& t : tickets)
    expected.push_back(to_json(analyzer->analyze(t)));
  // Each thread walks the tickets from a different start, so at any moment
  // the threads hold different texts in their per-thread buffers.
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k)
    threads.emplace_back([&, k] {
      supportnlp::pipeline::TicketAnalysis out;
      for (int round = 0; round < 3; ++round)
        for (std::size_t n = 0; n < tickets.size(); ++n) {
          const std::size_t i =
              (n * (2 * std::size_t(k) + 1) + std::size_t(k) * 7) % tickets.size();
          analyzer->analyze(tickets[i], out);
          if (to_json(out) != expected[i]) ++mismatches[std::size_t(k)];
        }
    });
  for (auto& t : threads)
    t.join();
  CHECK(mismatches == std::vector<int>(kThreads, 0));
}
