// The learned sentiment model: training on labelled data, label checks,
// save/load round trip, damaged and foreign files, inference on bad input
// and from several threads.
#include <catch2/catch.hpp>

#include <supportnlp/io/model_file.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace supportnlp::models;
using supportnlp::ErrorCode;

namespace {

// A small training set in support language written for this test.
std::vector<LabeledText> toy_data() {
  const char* neg[] = {"still waiting for my refund",   "the app keeps crashing",
                       "worst support I have ever had", "I was charged twice",
                       "nobody answers the phone",      "my order never arrived",
                       "this is unacceptable",          "cancel my account now",
                       "third time I ask, no reply",    "the update broke everything"};
  const char* neu[] = {"how do I change my address",      "what are your opening hours",
                       "is there an app for android",     "where can I find my invoice",
                       "can I pay by bank transfer",      "which plan includes exports",
                       "do you ship to canada",           "how long is the trial",
                       "what is the order number format", "can I add a second user"};
  const char* pos[] = {"thanks for the quick fix",
                       "great support, problem solved",
                       "love the new dashboard",
                       "the agent was very helpful",
                       "works perfectly now, thank you",
                       "amazing service as always",
                       "refund received, much appreciated",
                       "you guys rock",
                       "smooth and easy checkout",
                       "happy with the upgrade"};
  std::vector<LabeledText> data;
  for (int rep = 0; rep < 3; ++rep) {
    for (const char* t : neg)
      data.push_back({t, "negative"});
    for (const char* t : neu)
      data.push_back({t, "neutral"});
    for (const char* t : pos)
      data.push_back({t, "positive"});
  }
  return data;
}

SentimentTrainOptions small_options() {
  SentimentTrainOptions o;
  o.classifier.features.buckets = 1u << 14;
  o.classifier.validation_fraction = 0.2;
  o.nb.features.buckets = 1u << 14;
  return o;
}

const SentimentModel& toy_model() {
  static const SentimentModel model = [] {
    auto m = SentimentModel::train(toy_data(), {}, small_options());
    REQUIRE(m);
    return std::move(m.value());
  }();
  return model;
}

// Stacked, with every input rewriting on.
const SentimentModel& stacked_model() {
  static const SentimentModel model = [] {
    auto o = small_options();
    o.stack_folds = 5;
    o.nb.weight = 0; // stacking replaces the NB-LR view
    o.input = {true, true, true, true};
    auto m = SentimentModel::train(toy_data(), {}, o);
    REQUIRE(m);
    return std::move(m.value());
  }();
  return model;
}

std::string temp_path(const char* name) {
  return std::string("/tmp/snlp_test_sentiment_model_") + name + ".snlp";
}

} // namespace

TEST_CASE("sentiment model learns and explains", "[models][sentiment]") {
  const auto& m = toy_model();
  const auto r = m.analyze("still waiting, the app keeps crashing");
  CHECK(r.label == SentimentLabel::negative);
  CHECK(r.score < 0);
  float sum = 0;
  for (float p : r.probabilities) {
    CHECK(p >= 0);
    sum += p;
  }
  CHECK(sum == Approx(1.0f).margin(1e-4));
  CHECK(r.score == Approx(r.probabilities[2] - r.probabilities[0]));
  CHECK(m.analyze("thanks, great support").label == SentimentLabel::positive);
  // Evidence comes from the lexicon and points into the caller's text.
  const std::string text = "Ｗｏｗ, thanks for the quick fix!";
  const auto e = m.analyze(text);
  REQUIRE_FALSE(e.evidence.empty());
  for (const auto& ev : e.evidence)
    CHECK(ev.end <= text.size());
}

TEST_CASE("sentiment model rejects labels it does not know", "[models][sentiment]") {
  auto data = toy_data();
  data[3].label = "angry";
  auto m = SentimentModel::train(data, {}, small_options());
  REQUIRE_FALSE(m);
  CHECK(m.error().code == ErrorCode::invalid_data);
  CHECK(m.error().message.find("angry") != std::string::npos);
  auto empty = SentimentModel::train({}, {}, small_options());
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::invalid_data);
}

TEST_CASE("sentiment model round-trips through its file", "[models][sentiment]") {
  const auto path = temp_path("roundtrip");
  REQUIRE(toy_model().save(path));
  auto loaded = SentimentModel::load(path);
  REQUIRE(loaded);
  for (const char* t : {"charged twice!!", "how do I reset my password", "love it 😍", ""}) {
    const auto a = toy_model().analyze(t);
    const auto b = loaded->analyze(t);
    CHECK(a.label == b.label);
    CHECK(a.score == Approx(b.score).margin(1e-6));
  }
  SECTION("a truncated file is an error") {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto cut = temp_path("truncated");
    std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() / 2));
    auto bad = SentimentModel::load(cut);
    CHECK_FALSE(bad);
    std::remove(cut.c_str());
  }
  std::remove(path.c_str());
}

TEST_CASE("sentiment model short marker words are stored, and refused by older versions",
          "[models][sentiment]") {
  auto o = small_options();
  o.input.short_markers = true;
  auto m = SentimentModel::train(toy_data(), {}, o);
  REQUIRE(m);
  const auto path = temp_path("short");
  REQUIRE(m->save(path));
  auto loaded = SentimentModel::load(path);
  REQUIRE(loaded);
  for (const char* t : {"charged twice!!", "not happy at all", "@united thanks", ""})
    CHECK(loaded->analyze(t).score == Approx(m->analyze(t).score).margin(1e-6));
  // The file says version 3, so a library that reads only 1 and 2 refuses
  // it rather than reading the short markers as long ones.
  auto file = supportnlp::io::ModelFile::open(path, "sentiment");
  REQUIRE(file);
  CHECK(file->metadata().find("\"short_markers\":true") != std::string::npos);
  CHECK(file->metadata().find("\"version\":3") != std::string::npos);
  // A model without them stays at version 2 (the NB-LR view).
  const auto plain = temp_path("plain");
  REQUIRE(toy_model().save(plain));
  auto plain_file = supportnlp::io::ModelFile::open(plain, "sentiment");
  REQUIRE(plain_file);
  CHECK(plain_file->metadata().find("\"short_markers\":false") != std::string::npos);
  CHECK(plain_file->metadata().find("\"version\":3") == std::string::npos);
  std::remove(path.c_str());
  std::remove(plain.c_str());
}

TEST_CASE("sentiment model refuses other kinds and missing files", "[models][sentiment]") {
  const auto path = temp_path("intent");
  supportnlp::io::ModelWriter w("intent");
  w.set_metadata("{}");
  REQUIRE(w.save(path));
  auto wrong = SentimentModel::load(path);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == ErrorCode::wrong_kind);
  std::remove(path.c_str());
  auto missing = SentimentModel::load("/nonexistent/sentiment.snlp");
  CHECK_FALSE(missing);
}

TEST_CASE("sentiment model inference never fails and is thread-safe", "[models][sentiment]") {
  const auto& m = toy_model();
  const auto bad = m.analyze("refund \xff\xfe not received");
  CHECK(bad.repaired_utf8);
  std::string huge;
  while (huge.size() < (1u << 20))
    huge += "still waiting, unacceptable. ";
  CHECK(std::isfinite(m.analyze(huge).score));
  const std::vector<std::string> texts = {"worst service", "thanks a lot", "opening hours?"};
  std::vector<float> expected;
  for (const auto& t : texts)
    expected.push_back(m.analyze(t).score);
  std::vector<int> mismatches(3, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 3; ++k)
    threads.emplace_back([&, k] {
      SentimentResult r;
      for (int rep = 0; rep < 200; ++rep)
        for (std::size_t i = 0; i < texts.size(); ++i) {
          m.analyze(texts[i], r);
          mismatches[k] += r.score != expected[i];
        }
    });
  for (auto& t : threads)
    t.join();
  for (int x : mismatches)
    CHECK(x == 0);
}

TEST_CASE("sentiment model stacking is stored and optional", "[models][sentiment]") {
  const auto& stacked = stacked_model();
  CHECK(stacked.stacked());
  CHECK_FALSE(toy_model().stacked()); // the default
  CHECK(stacked.analyze("still waiting, the app keeps crashing").label == SentimentLabel::negative);
  CHECK(stacked.analyze("thanks, great support").label == SentimentLabel::positive);
  // The stacker and input options survive a save/load round trip.
  const auto path = temp_path("stacked");
  REQUIRE(stacked.save(path));
  auto loaded = SentimentModel::load(path);
  REQUIRE(loaded);
  CHECK(loaded->stacked());
  const std::string tweet = "@united lost my bag again #NeverAgain 😡";
  CHECK(loaded->analyze(tweet).score == Approx(stacked.analyze(tweet).score).margin(1e-6));
  std::remove(path.c_str());
}

TEST_CASE("sentiment model reports validation accuracy of the whole model", "[models][sentiment]") {
  auto data = toy_data();
  std::vector<LabeledText> train, valid;
  for (std::size_t i = 0; i < data.size(); ++i)
    (i % 5 == 0 ? valid : train).push_back(data[i]);
  auto m = SentimentModel::train(train, valid, small_options());
  REQUIRE(m);
  CHECK(m->validation_accuracy() > 0.5);
  CHECK(m->validation_accuracy() <= 1.0);
}

TEST_CASE("sentiment model rejects a damaged stacker section", "[models][sentiment]") {
  const auto path = temp_path("good");
  REQUIRE(stacked_model().save(path));
  auto file = supportnlp::io::ModelFile::open(path, "sentiment");
  REQUIRE(file);
  auto rewrite = [&](const std::string& from, const std::string& to, const char* name) {
    std::string meta = file->metadata();
    const auto at = meta.find(from);
    REQUIRE(at != std::string::npos);
    meta.replace(at, from.size(), to);
    supportnlp::io::ModelWriter w("sentiment");
    w.set_metadata(meta);
    for (const auto& t : file->tensors())
      w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
    const auto out = temp_path(name);
    REQUIRE(w.save(out));
    return out;
  };
  const auto renamed = rewrite("\"clf_logp_negative\"", "\"something_else\"", "renamed");
  auto a = SentimentModel::load(renamed);
  REQUIRE_FALSE(a);
  CHECK(a.error().code == ErrorCode::corrupt);
  const auto newer = rewrite("\"version\":1,\"weights\"", "\"version\":2,\"weights\"", "newer");
  auto b = SentimentModel::load(newer);
  REQUIRE_FALSE(b);
  CHECK(b.error().code == ErrorCode::unsupported_version);
  std::remove(renamed.c_str());
  std::remove(newer.c_str());
  std::remove(path.c_str());
}

TEST_CASE("sentiment model NB-LR view is learned, stored and optional", "[models][sentiment]") {
  auto o = small_options();
  CHECK(SentimentTrainOptions{}.nb.weight > 0); // on by default
  o.nb.weight = 1.0;                            // the NB-LR view alone decides
  auto nb_only = SentimentModel::train(toy_data(), {}, o);
  REQUIRE(nb_only);
  // It learns the training data on its own, away from the classifier.
  int correct = 0;
  const auto data = toy_data();
  for (const auto& t : data) {
    const auto r = nb_only->analyze(t.text);
    correct += to_string(r.label) == t.label;
    float sum = 0;
    for (float p : r.probabilities)
      sum += p;
    CHECK(sum == Approx(1.0f).margin(1e-4));
  }
  CHECK(correct >= static_cast<int>(data.size()) * 9 / 10);

  o.nb.weight = 0.0;
  auto svm_only = SentimentModel::train(toy_data(), {}, o);
  REQUIRE(svm_only);
  o.nb.weight = 0.5;
  auto mixed = SentimentModel::train(toy_data(), {}, o);
  REQUIRE(mixed);
  // The mix is the average of the two views' probabilities.
  const std::string text = "still waiting, thanks for nothing";
  const auto a = svm_only->analyze(text);
  const auto b = nb_only->analyze(text);
  const auto m = mixed->analyze(text);
  for (int c = 0; c < 3; ++c)
    CHECK(m.probabilities[c] ==
          Approx(0.5f * (a.probabilities[c] + b.probabilities[c])).margin(1e-5));

  // The view survives a save/load round trip; damaged views are refused.
  const auto path = temp_path("nb");
  REQUIRE(mixed->save(path));
  auto loaded = SentimentModel::load(path);
  REQUIRE(loaded);
  CHECK(loaded->nb_weight() == Approx(0.5));
  CHECK(svm_only->nb_weight() == 0.0);
  for (const char* t : {"charged twice!!", "how do I reset my password", "love it 😍", "",
                        "refund \xff not received"})
    CHECK(loaded->analyze(t).score == Approx(mixed->analyze(t).score).margin(1e-6));
  auto file = supportnlp::io::ModelFile::open(path, "sentiment");
  REQUIRE(file);
  const auto without = temp_path("nb_missing");
  {
    supportnlp::io::ModelWriter w("sentiment");
    w.set_metadata(file->metadata());
    for (const auto& t : file->tensors())
      if (t.name != "nb_weights") w.add_tensor(t.name, t.dtype, t.shape, t.data, t.bytes, t.scale);
    REQUIRE(w.save(without));
  }
  auto missing = SentimentModel::load(without);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("nb_weights") != std::string::npos);
  std::remove(without.c_str());
  std::remove(path.c_str());

  SECTION("bad options are refused") {
    auto bad = small_options();
    bad.nb.weight = 1.5;
    auto r = SentimentModel::train(toy_data(), {}, bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::invalid_argument);
    bad.nb.weight = 0.5;
    bad.stack_folds = 5;
    auto s = SentimentModel::train(toy_data(), {}, bad);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == ErrorCode::invalid_argument);
  }
}
