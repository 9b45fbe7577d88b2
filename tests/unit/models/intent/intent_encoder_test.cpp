// Intent models whose dense view is a frozen pretrained encoder (issue 14,
// `train intent --encoder`): trained on the tiny random-weight BERT fixture
// of tests/data/transformer, so the tests check behaviour (each text encoded
// once, the nearest-centroid view, the fingerprint contract), not accuracy.
#include "supportnlp/embed/transformer_encoder.hpp"
#include "supportnlp/models/intent/intent.hpp"

#include <catch2/catch.hpp>

#include "../../../common/transformer_fixtures.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace supportnlp;
using models::IntentClassifier;

namespace {


using test::fixture_encoder;

// Counts what training asks of the encoder it wraps.
class CountingEncoder final : public embed::Encoder {
public:
  explicit CountingEncoder(std::shared_ptr<const embed::Encoder> inner)
      : inner_(std::move(inner)) {}
  int dim() const noexcept override { return inner_->dim(); }
  std::string fingerprint() const override { return inner_->fingerprint(); }
  void encode(std::string_view text, float* out) const override {
    ++single_;
    inner_->encode(text, out);
  }
  void encode_batch(const std::vector<std::string_view>& texts, float* out) const override {
    batched_ += texts.size();
    ++batches_;
    inner_->encode_batch(texts, out);
  }
  mutable std::atomic<std::size_t> single_{0}, batched_{0}, batches_{0};

private:
  std::shared_ptr<const embed::Encoder> inner_;
};

std::vector<models::LabeledText> tickets() {
  std::vector<models::LabeledText> data;
  const char* refund[] = {"where is my refund",        "refund not received yet",
                          "I want my money back",      "when will the refund arrive",
                          "refund still missing",      "please refund my order",
                          "money back for the return", "my refund is late"};
  const char* login[] = {"I can't log in",           "password reset does not work",
                         "locked out of my account", "login fails every time",
                         "cannot sign in",           "two factor code never arrives",
                         "forgot my password",       "account login error"};
  const char* delivery[] = {"where is my parcel",       "package not delivered",
                            "tracking shows no update", "delivery is late",
                            "the courier lost my box",  "order still not shipped",
                            "parcel stuck in transit",  "when will my order arrive"};
  for (const char* t : refund)
    data.push_back({t, "billing.refund"});
  for (const char* t : login)
    data.push_back({t, "account.login"});
  for (const char* t : delivery)
    data.push_back({t, "orders.delivery"});
  return data;
}

models::ClassifierTrainOptions options_with(std::shared_ptr<const embed::Encoder> encoder) {
  auto o = IntentClassifier::default_options();
  o.encoder = std::move(encoder);
  o.features.buckets = 1u << 16;
  o.max_epochs = 10;
  return o;
}

std::string temp_path(const char* name) {
  return "/tmp/snlp_intent_encoder_" + std::to_string(getpid()) + "_" + name;
}

} // namespace

TEST_CASE("train intent with a frozen encoder: each text encoded once, in batches",
          "[intent][encoder]") {
  auto counting = std::make_shared<CountingEncoder>(fixture_encoder("bert-bare"));
  const auto data = tickets();
  auto model = IntentClassifier::train(data, {}, options_with(counting));
  REQUIRE(model);
  // Training (split, calibration, refit) encodes every example exactly once,
  // through encode_batch; nothing is encoded one text at a time.
  CHECK(counting->batched_ == data.size());
  CHECK(counting->single_ == 0);
  CHECK(counting->batches_ <= 2); // the training split and the validation split
  CHECK(model->encoder_fingerprint() == counting->fingerprint());
  CHECK(model->classifier().metrics().dense_weight == Approx(0.5));
  const auto r = model->classify("my refund has not arrived", 3);
  CHECK(std::find(model->labels().begin(), model->labels().end(), r.label) !=
        model->labels().end());
  CHECK(r.top.size() == 3);
}

TEST_CASE("the frozen encoder's view is the nearest label centroid of its vectors",
          "[intent][encoder]") {
  // Dense weight 1 and no out-of-scope label: the answer is the label whose
  // centroid (the unit mean of its texts' vectors, all texts after the
  // refit) is closest to the text's vector.
  auto encoder = fixture_encoder("bert-bare");
  const auto data = tickets();
  auto o = options_with(encoder);
  o.dense_weight = 1.0;
  o.oos_label.clear();
  auto model = IntentClassifier::train(data, {}, o);
  REQUIRE(model);
  const auto& labels = model->labels();
  const auto dim = static_cast<std::size_t>(encoder->dim());
  std::vector<std::vector<double>> centroid(labels.size(), std::vector<double>(dim, 0.0));
  for (const auto& e : data) {
    const auto j =
        static_cast<std::size_t>(std::find(labels.begin(), labels.end(), e.label) - labels.begin());
    const auto v = encoder->encode(e.text);
    for (std::size_t d = 0; d < dim; ++d)
      centroid[j][d] += v[d];
  }
  for (const char* text : {"refund please", "log in problem", "parcel delivery", "hello there",
                           "the order is lost", "reset password"}) {
    const auto v = encoder->encode(text);
    std::size_t best = 0;
    double best_cos = -2;
    for (std::size_t j = 0; j < labels.size(); ++j) {
      double dot = 0, norm = 0;
      for (std::size_t d = 0; d < dim; ++d) {
        dot += centroid[j][d] * v[d];
        norm += centroid[j][d] * centroid[j][d];
      }
      const double cos = dot / std::sqrt(norm);
      if (cos > best_cos) best_cos = cos, best = j;
    }
    INFO(text);
    CHECK(model->classify(text).label == labels[best]);
  }
}

TEST_CASE("a model trained with an encoder loads only with that encoder", "[intent][encoder]") {
  auto bert = fixture_encoder("bert-bare");
  auto model = IntentClassifier::train(tickets(), {}, options_with(bert));
  REQUIRE(model);
  const std::string path = temp_path("model.snlp");
  REQUIRE(model->save(path));

  SECTION("missing encoder: an error naming the one needed") {
    auto loaded = IntentClassifier::load(path);
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code == ErrorCode::invalid_argument);
    CHECK_THAT(loaded.error().message, Catch::Contains(bert->fingerprint()));
    CHECK_THAT(loaded.error().message, Catch::Contains("trained with encoder"));
  }
  SECTION("another encoder: an error naming both") {
    // xlmr: another model; bert-prefixed: the same weights pooled otherwise
    // (mean, not CLS), so other vectors and another fingerprint.
    for (const char* other : {"xlmr", "bert-prefixed"}) {
      auto encoder = fixture_encoder(other);
      REQUIRE(encoder->fingerprint() != bert->fingerprint());
      auto loaded = IntentClassifier::load(path, encoder);
      REQUIRE_FALSE(loaded);
      CHECK(loaded.error().code == ErrorCode::invalid_argument);
      CHECK_THAT(loaded.error().message, Catch::Contains(bert->fingerprint()));
      CHECK_THAT(loaded.error().message, Catch::Contains(encoder->fingerprint()));
    }
  }
  SECTION("the same checkpoint loaded again: the same answers as the trained model") {
    auto again = fixture_encoder("bert-bare"); // a second load of the same folder
    REQUIRE(again->fingerprint() == bert->fingerprint());
    auto loaded = IntentClassifier::load(path, again);
    REQUIRE(loaded);
    CHECK(loaded->encoder_fingerprint() == bert->fingerprint());
    auto file = io::ModelFile::open(path, models::kIntentKind);
    REQUIRE(file);
    auto needed = models::TextClassifier::required_encoder(file.value());
    REQUIRE(needed);
    CHECK(needed.value() == bert->fingerprint());
    for (const char* text : {"where is my refund", "I can't log in", "parcel late", ""}) {
      const auto a = model->classify(text, 3), b = loaded->classify(text, 3);
      CHECK(a.label == b.label);
      CHECK(a.confidence == Approx(b.confidence).margin(1e-6));
    }
  }
  std::remove(path.c_str());
}

TEST_CASE("models without a frozen encoder ignore one given at load", "[intent][encoder]") {
  auto o = IntentClassifier::default_options();
  o.features.buckets = 1u << 16;
  o.dense_view = false;
  auto model = IntentClassifier::train(tickets(), {}, o);
  REQUIRE(model);
  const std::string path = temp_path("plain.snlp");
  REQUIRE(model->save(path));
  auto loaded = IntentClassifier::load(path, fixture_encoder("bert-bare"));
  REQUIRE(loaded);
  CHECK(loaded->encoder_fingerprint().empty());
  auto file = io::ModelFile::open(path, models::kIntentKind);
  REQUIRE(file);
  auto needed = models::TextClassifier::required_encoder(file.value());
  REQUIRE(needed);
  CHECK(needed.value().empty());
  std::remove(path.c_str());
}
