// The learned sentiment model's NB-LR view is calibrated by a softmax
// temperature fitted on held-out data: the temperature is fitted and stored,
// it never moves the argmax, files written before it load at temperature 1,
// and damaged temperatures are refused.
#include <catch2/catch.hpp>

#include <supportnlp/io/model_file.hpp>
#include <supportnlp/models/linear/classifier_data.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using namespace supportnlp::models;
using supportnlp::ErrorCode;

namespace {

// The first 3,500 texts of airline train (CC BY-NC-SA; read, never copied):
// real tweets, where a few AdaGrad epochs leave the view's confidence off.
// Empty when the shared datasets are not there.
const std::vector<LabeledText>& airline_part() {
  static const std::vector<LabeledText> data = [] {
    auto all = read_labeled_file(std::string(SUPPORTNLP_SHARED_DIR) +
                                     "/datasets/twitter_airline_sentiment/train.tsv",
                                 nullptr);
    std::vector<LabeledText> part;
    if (all)
      for (std::size_t i = 0; i < all->size() && i < 3500; ++i)
        part.push_back((*all)[i]);
    return part;
  }();
  return data;
}

SentimentTrainOptions fast_options(bool calibrate) {
  SentimentTrainOptions o;
  o.classifier.features.buckets = 1u << 16;
  o.classifier.max_epochs = 3;
  o.classifier.threads = 1;
  o.nb.features.buckets = 1u << 18;
  o.nb.bags = 2;
  o.nb.calibrate = calibrate;
  return o;
}

std::vector<LabeledText> head(const std::vector<LabeledText>& d, std::size_t n) {
  return {d.begin(), d.begin() + static_cast<std::ptrdiff_t>(std::min(n, d.size()))};
}

std::string temp_path(const char* name) {
  return std::string("/tmp/snlp_test_sentiment_calibration_") + name + ".snlp";
}

// Writes `path`'s file again with the sentiment section's "nb" object
// changed by `edit`.
template <class Edit> std::string rewrite_nb(const std::string& path, const char* name, Edit edit) {
  auto file = supportnlp::io::ModelFile::open(path, "sentiment");
  REQUIRE(file);
  auto meta = nlohmann::json::parse(file->metadata());
  edit(meta["sentiment"]["nb"]);
  const auto out = temp_path(name);
  supportnlp::io::ModelWriter w("sentiment");
  w.set_metadata(meta.dump());
  for (const auto& t : file->tensors())
    w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
  REQUIRE(w.save(out));
  return out;
}

} // namespace

TEST_CASE("sentiment NB-LR view temperature is fitted and never moves the argmax",
          "[models][sentiment]") {
  const auto& data = airline_part();
  if (data.size() < 3500) {
    WARN("airline train split not found; skipped");
    return;
  }
  const auto train = head(data, 3000);
  const std::vector<LabeledText> unseen(data.begin() + 3000, data.end());

  auto calibrated = SentimentModel::train(train, {}, fast_options(true));
  REQUIRE(calibrated);
  auto raw = SentimentModel::train(train, {}, fast_options(false));
  REQUIRE(raw);

  // Fitted on the classifier's held-out tenth, by a view trained on the rest.
  const auto& cal = calibrated->nb_calibration();
  CHECK_FALSE(cal.from_validation);
  CHECK(cal.held_out >= 280);
  CHECK(cal.held_out <= 320);
  CHECK(cal.accuracy > 0.6);
  CHECK(cal.temperature >= 0.05);
  CHECK(cal.temperature <= 5.0);
  CHECK(std::fabs(cal.temperature - 1.0) > 0.02); // it matters here
  CHECK(raw->nb_calibration().temperature == 1.0);
  CHECK(raw->nb_calibration().held_out == 0);

  // Same weights, scaled logits: the labels agree on every unseen text, the
  // probabilities sum to 1 and their log-ratios are the raw ones / T.
  const double t = cal.temperature;
  int moved = 0;
  for (const auto& e : unseen) {
    const auto a = calibrated->analyze(e.text);
    const auto b = raw->analyze(e.text);
    moved += a.label != b.label;
    CHECK(a.probabilities[0] + a.probabilities[1] + a.probabilities[2] ==
          Approx(1.0f).margin(1e-5));
    for (int c = 1; c < 3; ++c) {
      const double la = std::log(a.probabilities[c] / a.probabilities[0]);
      const double lb = std::log(b.probabilities[c] / b.probabilities[0]);
      if (std::isfinite(la) && std::isfinite(lb) && std::fabs(lb) < 20)
        CHECK(la == Approx(lb / t).margin(1e-3).epsilon(1e-3));
    }
  }
  CHECK(moved == 0);

  SECTION("validation data given: fitted on it, with the stored view") {
    auto with_valid = SentimentModel::train(train, unseen, fast_options(true));
    REQUIRE(with_valid);
    CHECK(with_valid->nb_calibration().from_validation);
    CHECK(with_valid->nb_calibration().held_out == unseen.size());
    CHECK(with_valid->nb_calibration().temperature != 1.0);
  }

  SECTION("round trip, files from before calibration, damaged temperatures") {
    const auto path = temp_path("cal");
    REQUIRE(calibrated->save(path));
    auto loaded = SentimentModel::load(path);
    REQUIRE(loaded);
    CHECK(loaded->nb_calibration().temperature == Approx(t).epsilon(1e-6));
    CHECK(loaded->nb_calibration().held_out == cal.held_out);
    CHECK(loaded->nb_calibration().ece == Approx(cal.ece));
    for (std::size_t i = 0; i < 50; ++i)
      CHECK(loaded->analyze(unseen[i].text).score ==
            Approx(calibrated->analyze(unseen[i].text).score).margin(1e-6));

    // A file written before calibration has neither field: temperature 1,
    // i.e. exactly the uncalibrated view's probabilities.
    const auto old = rewrite_nb(path, "old", [](nlohmann::json& nb) {
      nb.erase("temperature");
      nb.erase("calibration");
    });
    auto old_model = SentimentModel::load(old);
    REQUIRE(old_model);
    CHECK(old_model->nb_calibration().temperature == 1.0);
    CHECK(old_model->nb_calibration().held_out == 0);
    for (std::size_t i = 0; i < 50; ++i) {
      const auto a = old_model->analyze(unseen[i].text);
      const auto b = raw->analyze(unseen[i].text);
      for (int c = 0; c < 3; ++c)
        CHECK(a.probabilities[c] == b.probabilities[c]);
    }
    std::remove(old.c_str());

    // 0, negative, NaN (JSON writes it as null), text, absurdly large.
    for (const nlohmann::json& bad :
         {nlohmann::json(0.0), nlohmann::json(-0.9), nlohmann::json(std::nan("")),
          nlohmann::json("0.9"), nlohmann::json(1e30)}) {
      const auto damaged =
          rewrite_nb(path, "bad_t", [&](nlohmann::json& nb) { nb["temperature"] = bad; });
      auto r = SentimentModel::load(damaged);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::corrupt);
      CHECK(r.error().message.find("temperature") != std::string::npos);
      std::remove(damaged.c_str());
    }
    const auto bad_record = rewrite_nb(path, "bad_cal", [](nlohmann::json& nb) {
      nb["calibration"] = {{"x", 1}};
    });
    auto r = SentimentModel::load(bad_record);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::corrupt);
    std::remove(bad_record.c_str());
    std::remove(path.c_str());
  }
}

TEST_CASE("sentiment NB-LR calibration needs held-out data", "[models][sentiment]") {
  // Without validation data and with nothing held out, the view stays at 1.
  std::vector<LabeledText> data;
  for (int i = 0; i < 12; ++i) {
    data.push_back({"refund still missing " + std::to_string(i), "negative"});
    data.push_back({"opening hours question " + std::to_string(i), "neutral"});
    data.push_back({"thanks, great help " + std::to_string(i), "positive"});
  }
  auto o = fast_options(true);
  o.classifier.validation_fraction = 0;
  auto m = SentimentModel::train(data, {}, o);
  REQUIRE(m);
  CHECK(m->nb_calibration().temperature == 1.0);
  CHECK(m->nb_calibration().held_out == 0);
}
