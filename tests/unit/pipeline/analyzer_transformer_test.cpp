// The Analyzer's transformer slot (issue 14): a bundle's models/transformer/
// folder serves the KB and the intent model built or trained with it,
// matched by fingerprint; a model needing an encoder the bundle lacks is an
// error naming it. The encoder is the random-weight BERT fixture of
// tests/data/transformer, so answers are checked for shape, not quality.
#include <supportnlp/embed/transformer_encoder.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/search/knowledge_base.hpp>

#include <catch2/catch.hpp>

#include "../../common/transformer_fixtures.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace supportnlp;
namespace fs = std::filesystem;
using pipeline::Analyzer;

namespace {

const std::string& kFixtures = test::kTransformerFixtures;
using test::fixture_encoder;

std::vector<search::Article> articles() {
  return {{"refund-timing",
           "When will I get my refund",
           "Refunds reach your card within five days of the return.",
           "",
           {}},
          {"reset-password",
           "Reset your password",
           "Open the login page and choose forgot password.",
           "",
           {}},
          {"track-order",
           "Track your parcel",
           "The tracking link is in your delivery e-mail.",
           "",
           {}}};
}

// A scratch bundle directory, removed at the end of the test.
struct Bundle {
  fs::path dir;
  Bundle() {
    dir = fs::temp_directory_path() / ("snlp_transformer_bundle_" + std::to_string(getpid()) + "_" +
                                       std::to_string(counter()++));
    fs::create_directories(dir / "models");
    fs::create_directories(dir / "kb");
  }
  ~Bundle() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  void add_transformer(const std::string& fixture) {
    fs::copy(kFixtures + fixture, dir / "models" / "transformer", fs::copy_options::recursive);
  }
  void add_intent(std::shared_ptr<const embed::Encoder> encoder) {
    auto o = models::IntentClassifier::default_options();
    o.encoder = std::move(encoder);
    o.features.buckets = 1u << 16;
    o.max_epochs = 10;
    auto model = models::IntentClassifier::train(test::refund_login_tickets(), {}, o);
    REQUIRE(model);
    REQUIRE(model->save((dir / "models" / "intent.snlp").string()));
  }
  void add_kb(std::shared_ptr<const embed::Encoder> encoder) {
    auto kb = search::KnowledgeBase::create(std::move(encoder));
    REQUIRE(kb);
    REQUIRE(kb->add(articles()));
    REQUIRE(kb->save((dir / "kb" / "kb.snlp").string()));
  }
  std::string path() const { return dir.string(); }
};

// A bundle with the fixture transformer and an intent model and KB built
// with it: what the Analyzer shares one vector between.
struct SharedTransformerBundle : Bundle {
  std::shared_ptr<const embed::Encoder> bert = fixture_encoder("bert-bare");
  SharedTransformerBundle() {
    add_transformer("bert-bare");
    add_intent(bert);
    add_kb(bert);
  }
};

} // namespace

TEST_CASE_METHOD(SharedTransformerBundle,
                 "a bundle's transformer serves the KB and intent model built with it",
                 "[pipeline][encoder]") {
  CHECK(pipeline::BundlePaths::in_directory(path()).transformer_encoder ==
        (dir / "models" / "transformer").string());
  auto analyzer = Analyzer::open_directory(path());
  REQUIRE(analyzer);
  CHECK(analyzer->transformer_encoder() == bert->fingerprint());
  CHECK(analyzer->kb_encoder() == bert->fingerprint());
  CHECK(analyzer->intent_encoder() == bert->fingerprint());
  CHECK(analyzer->kb_dense());
  const auto a = analyzer->analyze("where is my refund?");
  REQUIRE(a.intent);
  CHECK((a.intent->label == "billing.refund" || a.intent->label == "account.login" ||
         a.intent->out_of_scope));
  REQUIRE_FALSE(a.kb_hits.empty());
  CHECK(a.kb_hits.size() <= 3);
}

TEST_CASE_METHOD(SharedTransformerBundle,
                 "intent and KB share one transformer vector per ticket, with unshared answers",
                 "[pipeline][encoder]") {
  // The Analyzer encodes a ticket once for both stages (its per-ticket
  // features, ticket_features.hpp): the KB's search reuses the vector the
  // intent model read. Its answers
  // must be those of the same models loaded on their own, for each ticket
  // in turn, a repeated ticket included.
  auto analyzer = Analyzer::open_directory(path());
  REQUIRE(analyzer);
  auto intent = models::IntentClassifier::load((dir / "models" / "intent.snlp").string(), bert);
  REQUIRE(intent);
  auto kb = search::KnowledgeBase::load((dir / "kb" / "kb.snlp").string(), bert);
  REQUIRE(kb);
  for (const char* text : {"where is my refund", "i cannot log in to my account",
                           "where is my refund", "my parcel has not arrived"}) {
    INFO(text);
    const auto a = analyzer->analyze(text);
    REQUIRE(a.intent);
    const auto direct = intent->classify(text, 3);
    CHECK(a.intent->label == direct.label);
    CHECK(a.intent->confidence == direct.confidence);
    search::SearchOptions so;
    so.top_k = 3;
    const auto hits = kb->search(text, so);
    REQUIRE(a.kb_hits.size() == hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
      CHECK(a.kb_hits[i].article_id == hits[i].article_id);
      CHECK(a.kb_hits[i].dense_score == hits[i].dense_score);
    }
  }
}

TEST_CASE("a model needing an encoder the bundle lacks is an error naming it",
          "[pipeline][encoder]") {
  auto bert = fixture_encoder("bert-bare");
  SECTION("intent model, no transformer in the bundle") {
    Bundle b;
    b.add_intent(bert);
    auto analyzer = Analyzer::open_directory(b.path());
    REQUIRE_FALSE(analyzer);
    CHECK(analyzer.error().code == ErrorCode::invalid_argument);
    CHECK_THAT(analyzer.error().message, Catch::Contains(bert->fingerprint()));
    CHECK_THAT(analyzer.error().message, Catch::Contains("lacks"));
    CHECK_THAT(analyzer.error().message, Catch::Contains("intent model"));
  }
  SECTION("KB, another transformer in the bundle") {
    Bundle b;
    b.add_transformer("bert-prefixed");
    b.add_kb(bert);
    const auto other = fixture_encoder("bert-prefixed")->fingerprint();
    auto analyzer = Analyzer::open_directory(b.path());
    REQUIRE_FALSE(analyzer);
    CHECK(analyzer.error().code == ErrorCode::invalid_argument);
    CHECK_THAT(analyzer.error().message, Catch::Contains(bert->fingerprint()));
    CHECK_THAT(analyzer.error().message, Catch::Contains(other));
    CHECK_THAT(analyzer.error().message, Catch::Contains("knowledge base"));
  }
  SECTION("the stage left out: the bundle opens") {
    Bundle b;
    b.add_intent(bert);
    auto paths = pipeline::BundlePaths::in_directory(b.path());
    paths.intent_model.clear();
    auto analyzer = Analyzer::open(paths);
    REQUIRE(analyzer);
    CHECK_FALSE(analyzer->has_intent());
  }
}

TEST_CASE("articles are indexed with the bundle's transformer; a lexical KB needs none",
          "[pipeline][encoder]") {
  auto bert = fixture_encoder("bert-bare");
  SECTION("kb/articles.jsonl") {
    Bundle b;
    b.add_transformer("bert-bare");
    std::ofstream out(b.dir / "kb" / "articles.jsonl");
    out << R"({"id":"refund-timing","title":"When will I get my refund","body":"Within five days."})"
        << '\n';
    out.close();
    auto analyzer = Analyzer::open_directory(b.path());
    REQUIRE(analyzer);
    CHECK(analyzer->kb_articles() == 1);
    CHECK(analyzer->kb_encoder() == bert->fingerprint());
    CHECK(analyzer->intent_encoder().empty());
  }
  SECTION("a BM25-only KB file") {
    Bundle b;
    b.add_transformer("bert-bare");
    b.add_kb(nullptr);
    auto analyzer = Analyzer::open_directory(b.path());
    REQUIRE(analyzer);
    CHECK(analyzer->kb_encoder().empty());
    CHECK_FALSE(analyzer->kb_dense());
    CHECK(analyzer->transformer_encoder() == bert->fingerprint());
  }
  SECTION("a transformer folder that does not load is the bundle's error") {
    Bundle b;
    fs::create_directories(b.dir / "models" / "transformer");
    auto analyzer = Analyzer::open_directory(b.path());
    REQUIRE_FALSE(analyzer);
    CHECK_THAT(analyzer.error().message, Catch::Contains("transformer"));
  }
}
