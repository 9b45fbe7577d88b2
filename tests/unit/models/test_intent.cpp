#include "supportnlp/models/intent.hpp"

#include <catch2/catch.hpp>

#include <string>

using supportnlp::models::IntentClassifier;

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

TEST_CASE("the default intent model recognises new phrasings of support intents", "[models]") {
  const auto& m = default_model();
  CHECK(m.labels().size() == 27);
  // Written for this test, not taken from the training data.
  const std::pair<const char*, const char*> cases[] = {
      {"I forgot my password and can't get into my account", "recover_password"},
      {"where is my package? it should have arrived by now", "track_order"},
      {"I'd like my money back for the broken blender", "get_refund"},
      {"can I talk to a real person please", "contact_human_agent"},
      {"please remove my account and all my data", "delete_account"},
      {"I need a copy of the bill for last month", "get_invoice"},
  };
  // A statistical model may miss one (measured: "money back for the broken
  // blender" goes to check_refund_policy).
  int correct = 0;
  for (const auto& [text, label] : cases) {
    auto r = m.classify(text, 3);
    INFO(text << " -> " << r.label);
    correct += r.label == label;
    REQUIRE(r.top.size() == 3);
    CHECK(r.top[0].label == r.label);
  }
  CHECK(correct >= 5);
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
