// The one face of sentiment: the lexicon analyzer and learned models behave
// the same through SentimentScorer, the token-taking entry point gives the
// answer of the text-taking one, and load_sentiment() picks the
// implementation by the kind recorded in the file and refuses the rest.
#include "../../../common/toy_sentiment.hpp"

#include <catch2/catch.hpp>

#include <supportnlp/io/model_file.hpp>
#include <supportnlp/models/sentiment/scorer.hpp>
#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

using namespace supportnlp::models;
using supportnlp::ErrorCode;

namespace {

SentimentTrainOptions small_options() {
  SentimentTrainOptions o = toy_sentiment::options();
  o.classifier.validation_fraction = 0.2;
  return o;
}

std::shared_ptr<const SentimentModel> train(const SentimentTrainOptions& o) {
  auto m = SentimentModel::train(toy_sentiment::data(), {}, o);
  REQUIRE(m);
  return std::make_shared<SentimentModel>(std::move(m).value());
}

// Every implementation: the lexicon, the NB-LR view alone (the default), the
// classifier and NB-LR view averaged, and the stacked classifier with every
// input rewriting on (the only one whose NB-LR view is absent).
std::vector<std::shared_ptr<const SentimentScorer>> scorers() {
  static const std::vector<std::shared_ptr<const SentimentScorer>> all = [] {
    std::vector<std::shared_ptr<const SentimentScorer>> s;
    s.push_back(std::make_shared<LexiconSentiment>());
    s.push_back(train(small_options()));
    auto mixed = small_options();
    mixed.nb.weight = 0.5;
    s.push_back(train(mixed));
    auto stacked = small_options();
    stacked.stack_folds = 3;
    stacked.nb.weight = 0;
    stacked.input = {true, true, true, true};
    s.push_back(train(stacked));
    return s;
  }();
  return all;
}

const std::vector<std::string>& texts() {
  static const std::vector<std::string> t = {
      "Still waiting for my refund, third time asking!",
      "no problems at all, thanks :)",
      "The agent was NOT helpful but the app works #NeverAgain @united 😡",
      "¿Dónde está mi pedido? Llevo dos semanas esperando.",
      "refund \xff\xfe not received",
      "",
      "!!!",
      "ＷＯＷ great support 👍🏽",
  };
  return t;
}

void check_same(const SentimentResult& a, const SentimentResult& b) {
  CHECK(a.label == b.label);
  CHECK(a.score == b.score);
  CHECK(a.probabilities == b.probabilities);
  CHECK(a.repaired_utf8 == b.repaired_utf8);
  REQUIRE(a.evidence.size() == b.evidence.size());
  for (std::size_t i = 0; i < a.evidence.size(); ++i) {
    CHECK(a.evidence[i].begin == b.evidence[i].begin);
    CHECK(a.evidence[i].end == b.evidence[i].end);
    CHECK(a.evidence[i].contribution == b.evidence[i].contribution);
    CHECK(a.evidence[i].kind == b.evidence[i].kind);
    CHECK(a.evidence[i].negated == b.evidence[i].negated);
  }
}

std::string temp_path(const char* name) {
  return std::string("/tmp/snlp_test_sentiment_scorer_") + name + ".snlp";
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

} // namespace

TEST_CASE("every sentiment scorer answers through the interface", "[models][sentiment]") {
  const auto all = scorers();
  CHECK(std::string(all[0]->kind()) == "lexicon");
  for (std::size_t i = 1; i < all.size(); ++i)
    CHECK(std::string(all[i]->kind()) == "sentiment");
  for (const auto& s : all) {
    INFO(s->kind());
    // Trained without languages recorded: the learned models answer for the
    // lexicon's, whose signals they read.
    CHECK(s->languages() == lexicon_languages());
    CHECK(s->covers_language("en"));
    CHECK_FALSE(s->covers_language("ja"));
    const auto neg = s->analyze("still waiting, the app keeps crashing, worst support");
    CHECK(neg.label == SentimentLabel::negative);
    CHECK(neg.score < 0);
    const auto empty = s->analyze("");
    CHECK(empty.evidence.empty());
    for (const auto& t : texts()) {
      INFO(t);
      const auto r = s->analyze(t);
      CHECK(r.score >= -1.0f);
      CHECK(r.score <= 1.0f);
      for (const auto& e : r.evidence)
        CHECK(e.end <= t.size());
    }
  }
}

TEST_CASE("the token-taking entry point gives the text-taking one's answer",
          "[models][sentiment]") {
  const supportnlp::text::Tokenizer tokenizer;
  supportnlp::text::TokenizedText tokens;
  for (const auto& s : scorers()) {
    INFO(s->kind());
    SentimentResult reused;
    for (const auto& t : texts()) {
      INFO(t);
      tokenizer.tokenize(t, tokens);
      const auto expected = s->analyze(t);
      check_same(s->analyze(t, tokens), expected);
      // The output object's old contents never leak into the next answer.
      s->analyze(t, tokens, reused);
      check_same(reused, expected);
      // Tokens of a copy of the text (other memory, the same bytes) are used.
      const std::string copy = t;
      check_same(s->analyze(copy, tokens), expected);
    }
  }
}

TEST_CASE("tokens of another text are not trusted", "[models][sentiment]") {
  const supportnlp::text::Tokenizer tokenizer;
  const std::string other = "thanks, great support, problem solved!";
  const auto tokens = tokenizer.tokenize(other);
  for (const auto& s : scorers()) {
    INFO(s->kind());
    for (const std::string t : {"still waiting for my refund", "still waiting for my refunD"}) {
      INFO(t);
      check_same(s->analyze(t, tokens), s->analyze(t));
    }
  }
}

TEST_CASE("load_sentiment picks the implementation by the file's kind", "[models][sentiment]") {
  auto lexicon = load_sentiment("");
  REQUIRE(lexicon);
  CHECK(std::string(lexicon.value()->kind()) == "lexicon");
  const LexiconSentiment reference;
  for (const auto& t : texts())
    check_same(lexicon.value()->analyze(t), reference.analyze(t));

  const auto path = temp_path("model");
  const auto& model = dynamic_cast<const SentimentModel&>(*scorers()[2]);
  REQUIRE(model.save(path));
  auto loaded = load_sentiment(path);
  REQUIRE(loaded);
  CHECK(std::string(loaded.value()->kind()) == "sentiment");
  REQUIRE(dynamic_cast<const SentimentModel*>(loaded.value().get()) != nullptr);
  for (const auto& t : texts()) {
    INFO(t);
    const auto a = model.analyze(t);
    const auto b = loaded.value()->analyze(t);
    CHECK(a.label == b.label);
    CHECK(a.score == Approx(b.score).margin(1e-6));
  }
  std::remove(path.c_str());
}

TEST_CASE("load_sentiment refuses other kinds and damaged files with clear errors",
          "[models][sentiment]") {
  SECTION("a model file of another kind") {
    const auto path = temp_path("intent");
    supportnlp::io::ModelWriter w("intent");
    w.set_metadata("{}");
    REQUIRE(w.save(path));
    auto r = load_sentiment(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::wrong_kind);
    // The message names the file, its kind and the kinds accepted.
    CHECK(r.error().message.find(path) != std::string::npos);
    CHECK(r.error().message.find("'intent'") != std::string::npos);
    CHECK(r.error().message.find("sentiment") != std::string::npos);
    std::remove(path.c_str());
  }
  SECTION("a missing file") {
    auto r = load_sentiment("/nonexistent/sentiment.snlp");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::not_found);
    CHECK(r.error().message.find("/nonexistent/sentiment.snlp") != std::string::npos);
  }
  SECTION("a file that is no model file") {
    const auto path = temp_path("text");
    write_bytes(path, "negative\tstill waiting\npositive\tthanks\n");
    auto r = load_sentiment(path);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::bad_magic);
    std::remove(path.c_str());
  }
  SECTION("a sentiment model cut short or with a flipped byte") {
    const auto path = temp_path("whole");
    REQUIRE(dynamic_cast<const SentimentModel&>(*scorers()[1]).save(path));
    const std::string bytes = read_bytes(path);
    const auto cut = temp_path("cut");
    write_bytes(cut, bytes.substr(0, bytes.size() / 2));
    auto r = load_sentiment(cut);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::truncated);
    CHECK(r.error().message.find(cut) != std::string::npos);
    // A changed letter in the metadata (checksummed like everything else).
    std::string flipped = bytes;
    const auto at = flipped.find("negative");
    REQUIRE(at != std::string::npos);
    flipped[at] = 'N';
    const auto bad = temp_path("flipped");
    write_bytes(bad, flipped);
    auto f = load_sentiment(bad);
    REQUIRE_FALSE(f);
    CHECK(f.error().code == ErrorCode::checksum_mismatch);
    std::remove(path.c_str());
    std::remove(cut.c_str());
    std::remove(bad.c_str());
  }
}

TEST_CASE("a learned model answers for the languages recorded at training", "[models][sentiment]") {
  auto o = small_options();
  o.classifier.languages = {"en", "nl"};
  const auto m = train(o);
  CHECK(m->languages() == std::vector<std::string>{"en", "nl"});
  CHECK(m->covers_language("nl"));
  CHECK_FALSE(m->covers_language("es"));
}
