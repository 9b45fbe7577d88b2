// What the learned sentiment model's loader checks behind the container's
// checksums (issue 15): its "sentiment" metadata section (input options, the
// NB-LR view, the stacker) is read field by field with type and range
// checks, and the NB-LR view's tensors must hold finite positive scales, so a
// damaged file gives a clean error naming the file and the field, never an
// exception or a model answering NaN.

#include "../../io/model_rewrite.hpp"

#include "supportnlp/models/sentiment/sentiment_model.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace supportnlp;
using namespace supportnlp::models;
using namespace snlp_test;

namespace {

std::vector<LabeledText> toy_data() {
  const char* neg[] = {"still waiting for my refund", "the app keeps crashing",
                       "worst support I have ever had", "I was charged twice",
                       "nobody answers the phone"};
  const char* neu[] = {"how do I change my address", "what are your opening hours",
                       "is there an app for android", "where can I find my invoice",
                       "can I pay by bank transfer"};
  const char* pos[] = {"thanks for the quick fix", "great support, problem solved",
                       "love the new dashboard", "the agent was very helpful",
                       "works perfectly now, thank you"};
  std::vector<LabeledText> data;
  for (int rep = 0; rep < 4; ++rep) {
    for (const char* t : neg)
      data.push_back({t, "negative"});
    for (const char* t : neu)
      data.push_back({t, "neutral"});
    for (const char* t : pos)
      data.push_back({t, "positive"});
  }
  return data;
}

// The bytes of a small model with the NB-LR view (stacked = false) or the
// stacker (stacked = true).
const std::string& model_bytes(bool stacked) {
  static std::string bytes[2];
  std::string& b = bytes[stacked ? 1 : 0];
  if (b.empty()) {
    SentimentTrainOptions o;
    o.classifier.features.buckets = 1u << 12;
    o.classifier.validation_fraction = 0.2;
    o.nb.features.buckets = 1u << 12;
    if (stacked) {
      o.stack_folds = 3;
      o.nb.weight = 0;
    }
    auto m = SentimentModel::train(toy_data(), {}, o);
    REQUIRE(m.ok());
    TempFile tmp("sentiment_validation_source");
    REQUIRE(m->save(tmp.path).ok());
    b = read_bytes(tmp.path);
  }
  return b;
}

Result<SentimentModel> load_bytes(const std::string& bytes, const std::string& name) {
  TempFile tmp(name);
  write_bytes(tmp.path, bytes);
  return SentimentModel::load(tmp.path);
}

bool mentions(const Error& e, const std::string& needle) {
  return e.message.find(needle) != std::string::npos;
}

void check_answers(const SentimentModel& m) {
  for (const char* text : {"still waiting, worst support", "thanks!", "", "\xff\xfe"}) {
    const SentimentResult r = m.analyze(text);
    REQUIRE(std::isfinite(r.score));
    REQUIRE((r.score >= -1.0f && r.score <= 1.0f));
    double sum = 0;
    for (float p : r.probabilities) {
      REQUIRE(std::isfinite(p));
      REQUIRE((p >= 0.0f && p <= 1.0f));
      sum += p;
    }
    REQUIRE(sum == Approx(1.0).margin(1e-3));
  }
}

} // namespace

TEST_CASE("sentiment: every field of the sentiment section, set to a hostile value, is refused "
          "or harmless",
          "[models][sentiment][validation]") {
  for (bool stacked : {false, true}) {
    const std::string& base = model_bytes(stacked);
    int refused = 0, loaded = 0, fields = 0;
    for (const auto& path : field_paths(base)) {
      if (path.rfind("sentiment", 0) != 0) continue; // the classifier part has its own test
      ++fields;
      for (const auto& value : hostile_values()) {
        INFO((stacked ? "stacked: " : "nb: ") << path << " = " << value.dump());
        auto m = load_bytes(with_field(base, path, value), "sent_hostile"); // must not throw
        if (m) {
          ++loaded;
          check_answers(m.value());
        } else {
          ++refused;
          CHECK(mentions(m.error(), "/tmp/snlp_sent_hostile_"));
        }
      }
    }
    CHECK(fields >= 8);
    CHECK(refused > loaded);
  }
}

TEST_CASE("sentiment: the NB-LR view's fields and tensors are checked by name",
          "[models][sentiment][validation]") {
  const std::string& base = model_bytes(false);
  struct Case {
    const char* path;
    nlohmann::json value;
    const char* says;
  };
  const Case cases[] = {
      {"sentiment/nb/features/buckets", -1, "'sentiment.nb.features.buckets' is -1"},
      {"sentiment/nb/features/char_min_n", -1, "'sentiment.nb.features.char_min_n' is -1"},
      {"sentiment/nb/temperature", 9e18, "'sentiment.nb.temperature'"},
      {"sentiment/nb/bias", nlohmann::json::array({0, 1e300, 0}), "'sentiment.nb.bias' entry 1"},
      {"sentiment/nb/weight", "0.5", "'sentiment.nb.weight' is the string"},
      {"sentiment/input/emoji_names", 1, "'sentiment.input.emoji_names' is 1"},
      {"sentiment/version", "2", "'sentiment.version' is the string"},
  };
  for (const auto& c : cases) {
    INFO(c.path << " = " << c.value.dump());
    auto m = load_bytes(with_field(base, c.path, c.value), "sent_field");
    REQUIRE(!m);
    CHECK(mentions(m.error(), "/tmp/snlp_sent_field_"));
    CHECK(mentions(m.error(), c.says));
  }
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), 0.0f, -2.0f}) {
    auto m = load_bytes(with_f32(base, "nb_scales", 0, bad), "sent_scale");
    REQUIRE(!m);
    CHECK(mentions(m.error(), "tensor 'nb_scales' element 0"));
  }
  auto scale = load_bytes(with_scale(base, "nb_weights", -1.0f), "sent_i8_scale");
  REQUIRE(!scale);
  CHECK(mentions(scale.error(), "invalid scale"));
}

TEST_CASE("sentiment: a stacker of the wrong type or with huge values is refused",
          "[models][sentiment][validation]") {
  const std::string& base = model_bytes(true);
  auto version = load_bytes(with_field(base, "sentiment/stacker/version", "1"), "stack_version");
  REQUIRE(!version); // used to escape as nlohmann::json::type_error
  CHECK(mentions(version.error(), "stacker version \"1\""));
  Rewrite r;
  r.metadata = [](nlohmann::json& m) { m["sentiment"]["stacker"]["mean"][0] = 1e300; };
  auto huge = load_bytes(rewrite(base, r), "stack_huge");
  REQUIRE(!huge);
  CHECK(mentions(huge.error(), "stacker"));
}
