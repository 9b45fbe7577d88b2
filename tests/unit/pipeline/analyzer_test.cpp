// Analyzer: the bundle in data/, a bundle with a small trained intent model,
// bad bundles, the JSON form, bad input and concurrent use.
#include <supportnlp/pipeline/analyzer.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using supportnlp::ErrorCode;
using supportnlp::pipeline::Analyzer;
using supportnlp::pipeline::BundlePaths;
using supportnlp::rules::PiiKind;
using supportnlp::rules::Urgency;

namespace {

const std::string kData = std::string(SUPPORTNLP_SOURCE_DIR) + "/data";

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("snlp_analyzer_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

} // namespace

TEST_CASE("analyzer: the bundled data answers a ticket in one call", "[pipeline]") {
  auto analyzer = Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  CHECK(analyzer->kb_articles() > 10);

  const std::string ticket =
      "I FORGOT my password and the reset email never arrives. Third time asking! "
      "Mail me at bob@example.com";
  const auto a = analyzer->analyze(ticket);
  CHECK(a.normalized_text.find("forgot my password") != std::string::npos);
  CHECK(a.sentiment.score < 0);
  CHECK(a.urgency.level >= Urgency::high);
  REQUIRE(!a.kb_hits.empty());
  CHECK(a.kb_hits.front().article_id == "reset-password");
  REQUIRE(a.pii.spans.size() == 1);
  CHECK(a.pii.spans[0].kind == PiiKind::email);
  CHECK(ticket.substr(a.pii.spans[0].begin, a.pii.spans[0].end - a.pii.spans[0].begin) ==
        "bob@example.com");
  CHECK(a.pii.text.find("[EMAIL]") != std::string::npos);
  CHECK(a.intent.has_value() == analyzer->has_intent());

  const auto j = nlohmann::json::parse(to_json(a, "T-1"));
  CHECK(j["id"] == "T-1");
  CHECK(j["urgency"]["level"] == to_string(a.urgency.level));
  CHECK(j["kb"][0]["article_id"] == "reset-password");
  CHECK(j["pii"]["spans"][0]["kind"] == "email");
  CHECK(j["repaired_utf8"] == false);
}

TEST_CASE("analyzer: a bundle with an intent model", "[pipeline]") {
  using namespace supportnlp::models;
  std::vector<LabeledText> train;
  const char* refund[] = {"I want my money back",     "refund please",
                          "where is my refund",       "can I get a refund for this order",
                          "please refund the charge", "refund not received yet"};
  const char* password[] = {
      "I forgot my password",       "reset my password",        "can't log in",
      "password reset link broken", "locked out of my account", "how do I change my password"};
  for (int round = 0; round < 3; ++round) {
    for (const char* t : refund)
      train.push_back({t, "refund"});
    for (const char* t : password)
      train.push_back({t, "password"});
  }
  ClassifierTrainOptions options;
  options.validation_fraction = 0.2;
  auto model = IntentClassifier::train(train, {}, options);
  REQUIRE(model.ok());
  const std::string path = temp_path("intent.snlp");
  REQUIRE(model->save(path).ok());

  BundlePaths paths;
  paths.intent_model = path;
  auto analyzer = Analyzer::open(paths);
  REQUIRE(analyzer.ok());
  CHECK(analyzer->has_intent());
  CHECK(analyzer->kb_articles() == 0);
  const auto a = analyzer->analyze("Please reset my password, I can't log in");
  REQUIRE(a.intent.has_value());
  CHECK(a.intent->label == "password");
  CHECK(a.intent->top.size() == 2);
  CHECK(a.kb_hits.empty());
  const auto j = nlohmann::json::parse(to_json(a));
  CHECK(j["intent"]["label"] == "password");
  CHECK(!j.contains("id"));

  // A damaged intent model is an error, not a silent fallback.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  write_file(path, bytes.substr(0, bytes.size() / 2));
  CHECK_FALSE(Analyzer::open(paths).ok());
  std::remove(path.c_str());
}

TEST_CASE("analyzer: bad bundles are reported", "[pipeline]") {
  auto missing = Analyzer::open_directory("/nonexistent/bundle");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);

  BundlePaths paths;
  paths.intent_model = "/nonexistent/intent.snlp";
  CHECK_FALSE(Analyzer::open(paths).ok());

  const std::string garbage = temp_path("garbage.snlp");
  write_file(garbage, "this is not a model file at all, just some bytes");
  paths.intent_model = garbage;
  CHECK_FALSE(Analyzer::open(paths).ok());
  std::remove(garbage.c_str());

  const std::string articles = temp_path("articles.jsonl");
  write_file(articles, "{\"id\":\"a\",\"title\":\"A\",\"body\":\"about a\"}\n{not json}\n");
  paths = {};
  paths.knowledge_base = articles;
  auto bad = Analyzer::open(paths);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::parse_error);
  CHECK(bad.error().message.find(":2:") != std::string::npos);
  write_file(articles,
             "{\"id\":\"a\",\"title\":\"A\",\"body\":\"x\"}\n{\"id\":\"a\",\"body\":\"y\"}\n");
  CHECK_FALSE(Analyzer::open(paths).ok()); // duplicate id
  std::remove(articles.c_str());
}

TEST_CASE("analyzer: empty, invalid and huge input; many threads", "[pipeline]") {
  auto analyzer = Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  const auto empty = analyzer->analyze("");
  CHECK(empty.urgency.level == Urgency::normal);
  CHECK(empty.pii.spans.empty());
  CHECK(empty.kb_hits.empty());

  const std::string bad = "charged twice \xff\xfe card 4111 1111 1111 1111 \xc3";
  const auto a = analyzer->analyze(bad);
  CHECK(a.repaired_utf8);
  CHECK(a.urgency.level >= Urgency::high);
  REQUIRE(a.pii.spans.size() == 1);
  const auto j = nlohmann::json::parse(to_json(a)); // valid UTF-8 JSON despite the input
  CHECK(j["repaired_utf8"] == true);

  std::string huge;
  while (huge.size() < (1u << 20))
    huge += "my parcel never arrived, order ORD-12345. ";
  CHECK(analyzer->analyze(huge).pii.spans.empty());

  const std::vector<std::string> tickets = {
      "Site is down for everyone!", "refund for order 123456789 please",
      "call me on +44 20 7946 0958", "I was charged twice, third time asking",
      "how do I change my email address?"};
  std::vector<std::string> expected;
  for (const auto& t : tickets)
    expected.push_back(to_json(analyzer->analyze(t)));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      supportnlp::pipeline::TicketAnalysis out;
      for (int round = 0; round < 50; ++round)
        for (std::size_t i = 0; i < tickets.size(); ++i) {
          analyzer->analyze(tickets[i], out);
          if (to_json(out) != expected[i]) ++mismatches[std::size_t(k)];
        }
    });
  }
  for (auto& t : threads)
    t.join();
  for (int m : mismatches)
    CHECK(m == 0);
}
