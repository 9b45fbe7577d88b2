// The Analyzer's sentiment is the learned model when one is configured (the
// bundle's models/sentiment.snlp, BundlePaths::sentiment_model, or
// AnalyzerOptions::sentiment, in reverse order of precedence) and the lexicon
// analyzer otherwise; either way a ticket in a language the model does not
// cover gets neutral sentiment marked unsupported_language.
#include "../../common/toy_sentiment.hpp"

#include <supportnlp/models/sentiment/scorer.hpp>
#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>
#include <supportnlp/pipeline/analyzer.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace supportnlp;
using pipeline::Analyzer;
using pipeline::AnalyzerOptions;
using pipeline::BundlePaths;

namespace {

const std::string kData = std::string(SUPPORTNLP_SOURCE_DIR) + "/data";

// A tiny learned model, trained once: it answers differently from the
// lexicon (its score is P(positive) - P(negative)), so a test can tell which
// one the Analyzer used.
const models::SentimentModel& toy_model() {
  static const models::SentimentModel model = [] {
    auto m = models::SentimentModel::train(toy_sentiment::data(), {}, toy_sentiment::options());
    REQUIRE(m.ok());
    return std::move(m).value();
  }();
  return model;
}

const std::vector<std::string>& tickets() {
  static const std::vector<std::string> t = {
      "Still waiting for my refund, the app keeps crashing. Worst support ever!",
      "Thanks for the quick fix, great support, problem solved :)",
      "How do I change the billing address on ORD-99812?",
      "bad \xff\xfe utf8 and no reply",
      "",
  };
  return t;
}

void check_same(const models::SentimentResult& a, const models::SentimentResult& b) {
  CHECK(a.label == b.label);
  CHECK(a.score == b.score);
  CHECK(a.probabilities == b.probabilities);
  CHECK(a.evidence.size() == b.evidence.size());
}

// A scratch bundle directory holding models/sentiment.snlp (and nothing
// else), removed when the test ends.
struct ScratchBundle {
  std::filesystem::path dir;
  explicit ScratchBundle(const char* name)
      : dir(std::filesystem::temp_directory_path() / (std::string("snlp_sentiment_") + name)) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "models");
  }
  ~ScratchBundle() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string model() const { return (dir / "models" / "sentiment.snlp").string(); }
};

} // namespace

TEST_CASE("analyzer: the lexicon answers when no sentiment model is configured", "[pipeline]") {
  CHECK(BundlePaths::in_directory(kData).sentiment_model.empty());
  auto analyzer = Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  const models::LexiconSentiment lexicon;
  for (const auto& t : tickets()) {
    INFO(t);
    check_same(analyzer->analyze(t).sentiment, lexicon.analyze(t));
  }
}

TEST_CASE("analyzer: a learned sentiment model in the bundle slot answers", "[pipeline]") {
  ScratchBundle bundle("slot");
  REQUIRE(toy_model().save(bundle.model()).ok());
  const auto paths = BundlePaths::in_directory(bundle.dir.string());
  CHECK(paths.sentiment_model == bundle.model());
  auto from_directory = Analyzer::open_directory(bundle.dir.string());
  REQUIRE(from_directory.ok());
  // The file named in BundlePaths directly, with the default bundle's other models.
  auto full = BundlePaths::in_directory(kData);
  full.sentiment_model = bundle.model();
  auto from_paths = Analyzer::open(full);
  REQUIRE(from_paths.ok());
  const models::LexiconSentiment lexicon;
  bool differs = false;
  for (const auto& t : tickets()) {
    INFO(t);
    const auto expected = toy_model().analyze(t);
    const auto a = from_directory->analyze(t);
    const auto b = from_paths->analyze(t);
    CHECK_FALSE(a.sentiment_unsupported_language);
    CHECK(a.sentiment.label == expected.label);
    CHECK(a.sentiment.score == Approx(expected.score).margin(1e-6));
    CHECK(b.sentiment.label == expected.label);
    CHECK(b.sentiment.score == Approx(expected.score).margin(1e-6));
    differs = differs || a.sentiment.score != lexicon.analyze(t).score;
  }
  CHECK(differs);
  CHECK(from_directory->analyze(tickets()[0]).sentiment.label == models::SentimentLabel::negative);
  CHECK(from_directory->analyze(tickets()[1]).sentiment.label == models::SentimentLabel::positive);
}

TEST_CASE("analyzer: AnalyzerOptions::sentiment comes before the bundle's", "[pipeline]") {
  ScratchBundle bundle("options");
  REQUIRE(toy_model().save(bundle.model()).ok());
  AnalyzerOptions o;
  o.sentiment = std::make_shared<models::LexiconSentiment>();
  auto analyzer = Analyzer::open_directory(bundle.dir.string(), o);
  REQUIRE(analyzer.ok());
  CHECK(analyzer->options().sentiment == o.sentiment);
  const models::LexiconSentiment lexicon;
  for (const auto& t : tickets())
    check_same(analyzer->analyze(t).sentiment, lexicon.analyze(t));

  // A model trained in memory, never written to a file.
  o.sentiment = std::make_shared<models::SentimentModel>(toy_model());
  auto learned = Analyzer::open_directory(kData, o);
  REQUIRE(learned.ok());
  for (const auto& t : tickets())
    check_same(learned->analyze(t).sentiment, toy_model().analyze(t));
}

TEST_CASE("analyzer: a learned model does not guess outside its languages", "[pipeline]") {
  AnalyzerOptions o;
  o.sentiment = std::make_shared<models::SentimentModel>(toy_model());
  auto analyzer = Analyzer::open_directory(kData, o);
  REQUIRE(analyzer.ok());
  REQUIRE(analyzer->has_language());
  // Recorded languages: none, so the lexicon's five.
  const auto ja = analyzer->analyze("注文した商品がまだ届きません。返金してください。");
  REQUIRE(ja.language.has_value());
  CHECK(ja.language->code == "ja");
  CHECK(ja.sentiment_unsupported_language);
  CHECK(ja.sentiment.label == models::SentimentLabel::neutral);
  CHECK(ja.sentiment.evidence.empty());
  const auto es = analyzer->analyze("Llevo dos semanas esperando mi reembolso, es inaceptable.");
  CHECK_FALSE(es.sentiment_unsupported_language);
}

TEST_CASE("analyzer: a sentiment slot holding another kind of file is an error", "[pipeline]") {
  BundlePaths paths;
  paths.sentiment_model = kData + "/models/intent.snlp";
  auto wrong = Analyzer::open(paths);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ErrorCode::wrong_kind);
  CHECK(wrong.error().message.find("intent.snlp") != std::string::npos);
  paths.sentiment_model = "/nonexistent/sentiment.snlp";
  auto missing = Analyzer::open(paths);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
}
