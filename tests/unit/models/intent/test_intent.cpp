#include "supportnlp/models/intent/intent.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <cstdio>
#include <string>
#include <unistd.h>

using supportnlp::models::IntentClassifier;
using supportnlp::models::OutOfScopeReason;

namespace {
const IntentClassifier& default_model() {
  static const IntentClassifier model = [] {
    auto m =
        IntentClassifier::load(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/models/intent.snlp");
    if (!m) FAIL(m.error().message);
    return std::move(m.value());
  }();
  return model;
}
} // namespace

TEST_CASE("the default intent model routes new phrasings to the support queues", "[models]") {
  const auto& m = default_model();
  // The taxonomy of docs/taxonomy.md: 54 intents and the out-of-scope label.
  CHECK(m.labels().size() == 55);
  CHECK(m.languages() == std::vector<std::string>{"en", "es", "de", "fr", "pt"});
  // Written for this test (not taken from any training data) before the
  // model was trained; queue-level expectations.
  const std::pair<const char*, const char*> cases[] = {
      {"I forgot my password and can't get into my account", "account"},
      {"where is my package? it should have arrived by now", "orders_delivery"},
      {"I'd like my money back for the broken blender", "returns_refunds"},
      {"you charged my credit card two times for the same monthly plan", "billing"},
      {"every single page gives a 502 bad gateway, none of our 30 agents can work", "outage"},
      {"the zapier integration stopped creating tickets since yesterday", "technical_issue"},
      {"how can I set up an automatic reply for tickets that arrive on weekends?", "how_to"},
      {"under GDPR please erase every bit of personal data you have about me", "privacy_security"},
      {"do you offer a discount for schools and universities?", "sales"},
      {"just wanted to say your support agent Nina was fantastic, thank you!", "feedback"},
      {"mi pedido lleva dos semanas sin llegar, ¿dónde está?", "orders_delivery"},
      {"Ich habe mein Passwort vergessen und komme nicht mehr in mein Konto", "account"},
      {"on m'a facturé deux fois le même abonnement ce mois-ci", "billing"},
      {"o aplicativo fecha sozinho toda vez que eu abro um chamado", "technical_issue"},
  };
  // A statistical model may miss a few of these; most must land.
  int correct = 0;
  for (const auto& [text, queue] : cases) {
    auto r = m.classify(text, 3);
    INFO(text << " -> " << r.label << " (" << r.queue << ", " << r.queue_confidence << ")");
    correct += r.queue == queue;
    REQUIRE(r.top.size() == 3);
    CHECK(r.top[0].label == r.label);
  }
  CHECK(correct >= 12);
}

TEST_CASE("the default intent model leaves what is not support out of scope", "[models]") {
  const auto& m = default_model();
  // Written for this test; none of these is a request to a help desk.
  const char* off_topic[] = {
      "what's the weather going to be like in Rome on Saturday?",
      "give me a good recipe for banana bread",
      "who won the champions league final in 2019",
      "qwrtzu ppppp lkjhg",
      "tell me a joke about penguins",
      "¿cuál es la capital de Australia?",
  };
  int flagged = 0;
  for (const char* text : off_topic) {
    auto r = m.classify(text, 1);
    INFO(text << " -> " << r.label << " " << r.confidence << " " << to_string(r.reason));
    if (r.out_of_scope) {
      ++flagged;
      CHECK(r.queue == "out_of_scope");
      CHECK(r.reason != OutOfScopeReason::none);
    }
  }
  CHECK(flagged >= 5);
}

TEST_CASE("queue confidence is the sum of its intents' probabilities", "[models]") {
  const auto& m = default_model();
  const auto& labels = m.labels();
  const auto& queues = m.queues();
  REQUIRE(queues.size() == labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto dot = labels[i].find('.');
    CHECK(queues[i] ==
          (dot == std::string::npos ? std::string("out_of_scope") : labels[i].substr(0, dot)));
  }
  const char* texts[] = {"my invoice shows the wrong VAT number",
                         "the app keeps crashing on my android phone",
                         "hola, no puedo entrar a mi cuenta", "banana"};
  for (const char* text : texts) {
    auto r = m.classify(text, labels.size());
    INFO(text);
    REQUIRE(r.top.size() == labels.size());
    if (r.out_of_scope) {
      CHECK(r.queue == "out_of_scope");
      continue;
    }
    std::map<std::string, float> sums;
    for (const auto& t : r.top)
      sums[queues[std::find(labels.begin(), labels.end(), t.label) - labels.begin()]] +=
          t.confidence;
    CHECK(r.queue_confidence == Approx(sums[r.queue]).margin(1e-4));
    CHECK(r.queue_confidence >= r.confidence);
    CHECK(r.queue == queues[std::find(labels.begin(), labels.end(), r.label) - labels.begin()]);
  }
}

TEST_CASE("languages and answers given without the model", "[models]") {
  const auto& m = default_model();
  CHECK(m.covers_language("es"));
  CHECK(!m.covers_language("ja"));
  auto r = IntentClassifier::not_classified(OutOfScopeReason::unsupported_language);
  CHECK(r.out_of_scope);
  CHECK(r.label.empty());
  CHECK(r.queue == "out_of_scope");
  CHECK(r.queue_confidence == 1.0f);
  CHECK(std::string(to_string(r.reason)) == "unsupported_language");
}

TEST_CASE("the default intent model answers bad input and explains itself", "[models]") {
  const auto& m = default_model();
  auto empty = m.classify("", 2);
  CHECK(!empty.label.empty());
  CHECK(empty.top.size() == 2);
  auto bad = m.classify("refund \xff\xfe my order", 1);
  CHECK(bad.repaired_utf8);
  const std::string text = "I want to cancel my order right now";
  auto r = m.classify(text);
  auto e = m.explain(text, r.label, 3);
  REQUIRE(!e.toward.empty());
  for (const auto& ev : e.toward) {
    CHECK(ev.begin < ev.end);
    CHECK(ev.end <= text.size());
  }
  CHECK(m.explain(text, "no_such_intent").toward.empty());
}

TEST_CASE("an intent model file of another kind is rejected", "[models]") {
  auto r = IntentClassifier::load(std::string(SUPPORTNLP_SOURCE_DIR) + "/data/models/encoder.snlp");
  REQUIRE(!r.ok());
  CHECK(r.error().code == supportnlp::ErrorCode::wrong_kind);
}

TEST_CASE("a linear model trained with kind 'intent' opens as an IntentClassifier", "[models]") {
  using namespace supportnlp::models;
  std::vector<supportnlp::models::LabeledText> train;
  const std::vector<std::pair<std::string, std::string>> phrases = {
      {"where is my parcel", "orders.where_is_my_order"},
      {"my package has not arrived", "orders.where_is_my_order"},
      {"i want my money back", "refund.request"},
      {"please refund the order", "refund.request"}};
  for (int i = 0; i < 20; ++i)
    for (const auto& [text, label] : phrases) train.push_back({text + " " + std::to_string(i), label});
  ClassifierTrainOptions o;
  o.features.buckets = 1u << 12;
  o.max_epochs = 5;
  auto model = TextClassifier::train(train, {}, o, "intent");
  REQUIRE(model.ok());
  const std::string path = "/tmp/snlp_test_intent_kind_" + std::to_string(::getpid()) + ".snlp";
  REQUIRE(model->save(path).ok());
  auto loaded = IntentClassifier::load(path);
  CHECK(loaded.ok());
  std::remove(path.c_str());
}
