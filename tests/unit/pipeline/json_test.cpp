// The per-command JSON writers (pipeline/json.hpp): field names, the id as a
// string, rounding and escaping, checked on parsed output.
#include "supportnlp/pipeline/json.hpp"

#include "supportnlp/models/sentiment/sentiment.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace supportnlp;

TEST_CASE("json: tokens carry text, offsets, kind and normalized", "[pipeline][json]") {
  const text::Tokenizer tokenizer;
  const std::string input = "Refund \"ORD-99812\"\tnow\x01";
  const auto t = tokenizer.tokenize(input);
  const auto line = pipeline::tokens_json(t, {"T-1", 3}, /*normalized=*/true);
  const auto j = nlohmann::json::parse(line); // control bytes and quotes escaped
  CHECK(j["id"] == "T-1");
  CHECK(j["line"] == 3);
  REQUIRE(j["tokens"].size() >= 2);
  CHECK(j["tokens"][0] == nlohmann::json{{"text", "Refund"},
                                         {"begin", 0},
                                         {"end", 6},
                                         {"kind", "word"},
                                         {"normalized", "refund"}});
  CHECK(line.rfind("{\"id\":\"T-1\",\"line\":3,\"tokens\":[{\"text\":\"Refund\",", 0) == 0);
  CHECK_FALSE(j.contains("repaired_utf8"));
  const auto bad = pipeline::tokens_json(tokenizer.tokenize("caf\xe9"), {"1", 1}, false);
  const auto jb = nlohmann::json::parse(bad); // repaired, still valid JSON
  CHECK(jb["repaired_utf8"] == true);
  CHECK_FALSE(jb["tokens"][0].contains("normalized"));
}

TEST_CASE("json: sentiment rounds and explains with span text", "[pipeline][json]") {
  models::LexiconSentiment lexicon;
  models::SentimentResult r;
  const std::string text = "this is not good, terrible service";
  lexicon.analyze(text, r);
  const auto j = nlohmann::json::parse(pipeline::sentiment_json(r, {"42", 7}, text, true));
  CHECK(j["id"] == "42"); // always a string
  CHECK(j["line"] == 7);
  CHECK(j["label"] == "negative");
  const double score = j["score"];
  CHECK(score == Approx(std::round(double(r.score) * 1e4) / 1e4));
  REQUIRE(!j["evidence"].empty());
  for (const auto& e : j["evidence"]) {
    const std::size_t b = e["begin"], end = e["end"];
    CHECK(e["text"] == text.substr(b, end - b));
  }
  CHECK_FALSE(nlohmann::json::parse(pipeline::sentiment_json(r, {"x", 1}, text, false))
                  .contains("evidence"));
}

TEST_CASE("json: search hits use article_id", "[pipeline][json]") {
  search::SearchHit h;
  h.article_id = "reset-password";
  h.title = "Reset";
  h.score = 0.123456f;
  h.passage = "Open settings.";
  h.highlights = {{0, 4}};
  const auto j = nlohmann::json::parse(pipeline::search_json({h}, {"q1", 2}, "reset", true));
  CHECK(j["hits"][0]["article_id"] == "reset-password");
  CHECK(j["hits"][0]["score"] == Approx(0.1235));
  CHECK(j["hits"][0]["highlights"] == nlohmann::json::parse("[[0,4]]"));
  CHECK(j["truncated"] == true);
  CHECK(j["id"] == "q1");
}
