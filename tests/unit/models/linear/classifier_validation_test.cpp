// What the classifier loader checks behind the container's checksums
// (issue 15): each reproducer of "Crashes" and "Damaged models accepted
// silently" is a file rewritten with valid checksums, which must give a clean
// error naming the file and the field, never an exception or a model that
// answers NaN.

#include "../../io/model_rewrite.hpp"

#include "supportnlp/models/linear/classifier.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace supportnlp;
using namespace supportnlp::models;
using namespace snlp_test;

namespace {

const std::string kIntent = std::string(SUPPORTNLP_SOURCE_DIR) + "/data/models/intent.snlp";

// A small model with every optional part: quantized weights, idf, an
// out-of-scope label, languages and a dense view. Trained once.
const std::string& small_model() {
  static const std::string bytes = [] {
    std::vector<LabeledText> train, valid;
    const std::vector<std::pair<std::string, std::vector<std::string>>> intents = {
        {"refund", {"refund", "money back", "reimburse"}},
        {"delivery", {"parcel", "package", "courier"}},
        {"password", {"password", "log in", "locked out"}},
        {"oos", {"weather", "joke", "pasta"}}};
    const std::vector<std::string> carriers = {"i need help with {}", "{} please",
                                               "how do i {} now", "question about {} today"};
    for (int i = 0; i < 30; ++i)
      for (const auto& [label, words] : intents) {
        std::string c = carriers[i % carriers.size()];
        c.replace(c.find("{}"), 2, words[(i / 4) % words.size()]);
        (i % 5 == 0 ? valid : train).push_back({c, label});
      }
    ClassifierTrainOptions o;
    o.features.buckets = 1u << 12;
    o.max_epochs = 5;
    o.threads = 1;
    o.oos_label = "oos";
    o.languages = {"en"};
    o.dense_view = true;
    o.dense_weight = 0.5;
    o.dense_dim = 8;
    auto model = TextClassifier::train(train, valid, o, "intent");
    if (!model) throw std::runtime_error(model.error().message);
    TempFile tmp("small_intent");
    if (!model->save(tmp.path)) throw std::runtime_error("save failed");
    return read_bytes(tmp.path);
  }();
  return bytes;
}

// Loads `bytes` as an intent model from a file named after the case.
Result<TextClassifier> load_bytes(const std::string& bytes, const std::string& name) {
  TempFile tmp(name);
  write_bytes(tmp.path, bytes);
  return TextClassifier::load(tmp.path, "intent");
}

supportnlp::io::ModelFile ModelFileOf(const std::string& bytes) {
  return supportnlp::io::ModelFile::from_bytes(bytes).value();
}

bool mentions(const Error& e, const std::string& needle) {
  return e.message.find(needle) != std::string::npos;
}

// A loaded model answers within bounds: finite probabilities in [0, 1]
// summing to 1, a label index in range.
void check_answers(const TextClassifier& m) {
  for (const char* text : {"where is my parcel", "refund please", "", "\xff\xfe bad utf8",
                           "I forgot my password and I am locked out"}) {
    const Prediction p = m.predict(text, 3);
    REQUIRE(p.label < m.labels().size());
    REQUIRE(std::isfinite(p.confidence));
    REQUIRE(p.confidence >= 0.0f);
    REQUIRE(p.confidence <= 1.0f);
    double sum = 0;
    for (float q : p.probabilities) {
      REQUIRE(std::isfinite(q));
      REQUIRE(q >= 0.0f);
      REQUIRE(q <= 1.0f);
      sum += q;
    }
    REQUIRE(sum == Approx(1.0).margin(1e-3));
  }
}

} // namespace

TEST_CASE("every metadata field set to a hostile value gives a clean error or a sane model",
          "[models][validation]") {
  const std::string& base = small_model();
  const auto paths = field_paths(base);
  REQUIRE(paths.size() > 25);
  int refused = 0, loaded = 0;
  for (const auto& path : paths) {
    for (const auto& value : hostile_values()) {
      INFO("field " << path << " = " << value.dump());
      const std::string bytes = with_field(base, path, value);
      Result<TextClassifier> m = load_bytes(bytes, "hostile_field"); // must not throw
      if (m) {
        ++loaded;
        check_answers(m.value());
      } else {
        ++refused;
        CHECK(mentions(m.error(), "/tmp/snlp_hostile_field_"));
      }
    }
  }
  // Most hostile values are refused; a few are harmless (e.g. a null
  // "languages" list is not, but 0 epochs in the training metrics is).
  CHECK(refused > loaded);
}

TEST_CASE("a field of the wrong type is refused by name, not thrown", "[models][validation]") {
  const std::string& base = small_model();
  for (const char* path : {"temperature", "labels", "features", "features/buckets", "metrics",
                           "metrics/epochs", "oos_label", "idf", "model"}) {
    INFO(path);
    auto m = load_bytes(with_field(base, path, "a string"), "wrong_type");
    REQUIRE(!m);
    CHECK(m.error().code == ErrorCode::corrupt);
    CHECK(mentions(m.error(), "/tmp/snlp_wrong_type_"));
    if (std::string(path) != "model") CHECK(mentions(m.error(), std::string(path).substr(0, 5)));
  }
}

TEST_CASE("n-gram options out of range are refused", "[models][validation]") {
  const std::string& base = small_model();
  struct Case {
    const char* path;
    nlohmann::json value;
    const char* field;
  };
  const Case cases[] = {
      {"features/char_min_n", -1, "features.char_min_n"},
      {"features/char_max_n", 17, "features.char_max_n"},
      {"features/word_min_n", 3, "features.word_min_n"}, // above word_max_n 2
      {"features/char_min_n", 6, "features.char_min_n"}, // above char_max_n 5
      {"features/buckets", 0, "features.buckets"},
      {"features/buckets", -5, "features.buckets"}, // read as 2^32-5 before
      {"features/buckets", 1ull << 40, "features.buckets"},
      {"features/seed", -1, "features.seed"},
  };
  for (const auto& c : cases) {
    INFO(c.path << " = " << c.value.dump());
    auto m = load_bytes(with_field(base, c.path, c.value), "ngram");
    REQUIRE(!m);
    CHECK(m.error().code == ErrorCode::corrupt);
    CHECK(mentions(m.error(), c.field));
  }
  // Both views off: nothing would be extracted.
  Rewrite r;
  r.metadata = [](nlohmann::json& m) {
    m["features"]["word_min_n"] = 0;
    m["features"]["char_min_n"] = 0;
  };
  auto off = load_bytes(rewrite(base, r), "ngram_off");
  REQUIRE(!off);
  CHECK(mentions(off.error(), "features.word_min_n"));
  // Fewer rows than buckets is the rule: a bucket count below the rows is refused.
  auto few = load_bytes(with_field(base, "features/buckets", 3), "few_buckets");
  REQUIRE(!few);
  CHECK(few.error().code == ErrorCode::corrupt);
}

TEST_CASE("temperatures outside [0.05, 5] or not finite are refused", "[models][validation]") {
  const std::string& base = small_model();
  for (const nlohmann::json& t : {nlohmann::json(9e18), nlohmann::json(0.0), nlohmann::json(-1.0),
                                  nlohmann::json(0.04), nlohmann::json(5.5), nlohmann::json()}) {
    INFO("temperature " << t.dump());
    auto m = load_bytes(with_field(base, "temperature", t), "temperature");
    REQUIRE(!m);
    CHECK(mentions(m.error(), "'temperature'"));
  }
  auto dense = load_bytes(with_field(base, "dense_temperature", 1e10), "dense_temperature");
  REQUIRE(!dense);
  CHECK(mentions(dense.error(), "'dense_temperature'"));
  for (double ok : {0.05, 5.0}) {
    auto m = load_bytes(with_field(base, "temperature", ok), "temperature_ok");
    REQUIRE(m.ok());
    check_answers(m.value());
  }
}

TEST_CASE("duplicate, empty or too few labels, and an unknown oos_label, are refused",
          "[models][validation]") {
  const std::string& base = small_model();
  const auto labels = nlohmann::json::parse(ModelFileOf(base).metadata())["labels"];
  REQUIRE(labels.size() == 4);
  auto dup = labels;
  dup[1] = dup[0];
  auto empty = labels;
  empty[2] = "";
  auto number = labels;
  number[3] = 7;
  struct Case {
    nlohmann::json value;
    const char* problem;
  };
  const Case cases[] = {{dup, "twice"},
                        {empty, "empty string"},
                        {number, "entry 3"},
                        {nlohmann::json::array({"only"}), "at least 2"},
                        {nlohmann::json::array(), "at least 2"}};
  for (const auto& c : cases) {
    INFO("labels " << c.value.dump());
    auto m = load_bytes(with_field(base, "labels", c.value), "labels");
    REQUIRE(!m);
    CHECK(m.error().code == ErrorCode::corrupt);
    CHECK(mentions(m.error(), "'labels'"));
    CHECK(mentions(m.error(), c.problem));
  }
  auto oos = load_bytes(with_field(base, "oos_label", "nowhere"), "oos_label");
  REQUIRE(!oos);
  CHECK(mentions(oos.error(), "'oos_label'"));
}

TEST_CASE("NaN, infinite, huge or non-positive tensor values are refused at load",
          "[models][validation]") {
  const std::string& base = small_model();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  struct Case {
    const char* tensor;
    std::size_t index;
    float value;
  };
  const Case cases[] = {{"bias", 0, nan},        {"bias", 3, -inf},          {"idf", 5, inf},
                        {"idf", 0, -1.0f},       {"row_scale", 2, nan},      {"row_scale", 0, 0.0f},
                        {"row_scale", 1, -1.0f}, {"dense_centroids", 7, nan},
                        // Finite but beyond any trained value: the scores
                        // would overflow to Inf and the softmax give NaN
                        // (fuzz_intent_model found a row_scale of 3e38).
                        {"row_scale", 3, 3e38f}, {"bias", 1, -2e6f},
                        {"idf", 4, 1.5e6f},      {"dense_centroids", 2, 1e30f}};
  for (const auto& c : cases) {
    INFO(c.tensor << "[" << c.index << "] = " << c.value);
    auto m = load_bytes(with_f32(base, c.tensor, c.index, c.value), "nan");
    REQUIRE(!m);
    CHECK(m.error().code == ErrorCode::corrupt);
    CHECK(mentions(m.error(),
                   std::string("tensor '") + c.tensor + "' element " + std::to_string(c.index)));
    CHECK(mentions(m.error(), "/tmp/snlp_nan_"));
  }
}

TEST_CASE("tensor values at the trained-value bound load and answer within bounds",
          "[models][validation]") {
  // The bound (1e6 in magnitude) keeps every sum finite: a model at it is
  // useless but must still give probabilities in [0, 1].
  std::string bytes = small_model();
  for (std::size_t i = 0; i < 4; ++i)
    bytes = with_f32(bytes, "bias", i, i % 2 ? 1e6f : -1e6f);
  for (std::size_t i = 0; i < 64; ++i)
    bytes = with_f32(bytes, "row_scale", i, 1e6f);
  for (std::size_t i = 0; i < 64; ++i)
    bytes = with_f32(bytes, "idf", i, 1e6f);
  auto m = load_bytes(bytes, "at_bound");
  REQUIRE(m);
  check_answers(*m);
}

TEST_CASE("an i8 tensor's scale of 0, -1 or NaN is refused by the container",
          "[models][validation]") {
  const std::string& base = small_model();
  for (float scale : {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN()}) {
    INFO("scale " << scale);
    auto m = load_bytes(with_scale(base, "weights", scale), "i8_scale");
    REQUIRE(!m);
    CHECK(m.error().code == ErrorCode::corrupt);
    CHECK(mentions(m.error(), "tensor 'weights': invalid scale"));
  }
}

TEST_CASE("a dense view without its tensors fails instead of changing predictions",
          "[models][validation]") {
  const std::string& base = small_model();
  auto m = load_bytes(without(base, "dense_encoder"), "no_dense");
  REQUIRE(!m);
  CHECK(m.error().code == ErrorCode::corrupt);
  CHECK(mentions(m.error(), "'dense_encoder' is missing"));
  auto c = load_bytes(without(base, "dense_centroids"), "no_centroids");
  REQUIRE(!c);
  CHECK(mentions(c.error(), "dense_centroids"));
}

// The reproducers on the shipped routing model itself.
TEST_CASE("shipped intent model: NaN bias, missing dense_encoder and a string temperature",
          "[models][validation]") {
  const std::string base = read_bytes(kIntent);
  REQUIRE(base.size() > 1000000);
  auto nan = load_bytes(with_f32(base, "bias", 0, std::numeric_limits<float>::quiet_NaN()),
                        "shipped_nan_bias");
  REQUIRE(!nan);
  CHECK(mentions(nan.error(), "tensor 'bias' element 0 is NaN"));
  auto dense = load_bytes(without(base, "dense_encoder"), "shipped_no_dense");
  REQUIRE(!dense);
  CHECK(mentions(dense.error(), "'dense_encoder' is missing"));
  auto type = load_bytes(with_field(base, "temperature", "hot"), "shipped_type");
  REQUIRE(!type);
  CHECK(mentions(type.error(), "metadata field 'temperature' is the string \"hot\""));
  auto chars = load_bytes(with_field(base, "features/char_min_n", -1), "shipped_char_min_n");
  REQUIRE(!chars);
  CHECK(mentions(chars.error(), "'features.char_min_n' is -1"));
}
