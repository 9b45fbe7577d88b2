// The Analyzer tokenizes a ticket once and hands the tokens to sentiment,
// intent, the encoder and BM25 (issue 16). Each token-taking entry point must
// give exactly what the same component gives from the text, bit for bit:
// tokenizing once is a saving, never a change of answer.
#include "../../common/sample_tickets.hpp"

#include <supportnlp/embed/static_encoder.hpp>
#include <supportnlp/features/ngrams.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/models/sentiment/sentiment.hpp>
#include <supportnlp/pipeline/analyzer.hpp>
#include <supportnlp/search/knowledge_base.hpp>
#include <supportnlp/search/lexical_index.hpp>
#include <supportnlp/text/tokenizer.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

const std::string kData = std::string(SUPPORTNLP_SOURCE_DIR) + "/data";

// The sample tickets, and texts that stress the token stream: punctuation
// between phrase words (BM25's "log-in"), entities, invalid UTF-8, emoji,
// other scripts, nothing at all.
std::vector<std::string> texts() {
  std::vector<std::string> out = sample_tickets::texts();
  for (const char* t :
       {"I can't log-in, log - in, log, in or sign... up!", "Logging  in fails; signing-up too",
        "Refund ORD-99812 to bob@x.com, see https://x.com/a?b=1 :-) 😡😡", "bad \xff\xfe utf8 \xc3",
        "Где мой заказ? 注文はどこですか", "", "   ", "?!", "log in",
        "password reset link expired, reset again!!!"})
    out.emplace_back(t);
  return out;
}

} // namespace

TEST_CASE("token stream: every model answers the same from tokens as from text", "[pipeline]") {
  auto intent = supportnlp::models::IntentClassifier::load(kData + "/models/intent.snlp");
  REQUIRE(intent.ok());
  auto loaded = supportnlp::embed::StaticEncoder::load(kData + "/models/encoder.snlp");
  REQUIRE(loaded.ok());
  const auto encoder =
      std::make_shared<supportnlp::embed::StaticEncoder>(std::move(loaded).value());
  auto analyzer = supportnlp::pipeline::Analyzer::open_directory(kData);
  REQUIRE(analyzer.ok());
  REQUIRE(analyzer->kb_dense());
  // A KB like the bundle's, and its BM25 index on its own.
  auto kb = supportnlp::search::KnowledgeBase::create(encoder);
  REQUIRE(kb.ok());
  std::vector<supportnlp::search::Article> articles;
  {
    std::ifstream in(kData + "/kb/articles.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      articles.push_back(
          {j.value("id", ""), j.value("title", ""), j.value("body", ""), j.value("url", ""), {}});
    }
  }
  REQUIRE(articles.size() > 5);
  REQUIRE(kb->add(articles).ok());
  supportnlp::search::LexicalIndex bm25;
  for (const auto& a : articles)
    bm25.add(a.title + "\n" + a.body);
  const supportnlp::models::LexiconSentiment sentiment;
  const supportnlp::text::Tokenizer tokenizer;
  const auto& clf = intent->classifier();
  const auto dim = static_cast<std::size_t>(encoder->dim());

  supportnlp::text::TokenizedText tokens;
  supportnlp::models::Prediction p_text, p_tokens;
  supportnlp::models::Explanation why_text, why_tokens;
  std::vector<float> v_text(dim), v_tokens(dim);
  std::vector<supportnlp::search::ScoredId> l_text, l_tokens;
  const supportnlp::features::NgramExtractor intent_ngrams(clf.feature_options());
  const supportnlp::features::NgramExtractor encoder_ngrams(encoder->feature_options());
  REQUIRE(intent_ngrams.shares_hashes(encoder_ngrams)); // the bundle's models do
  supportnlp::features::SparseFeatures f_intent, f_encoder;
  supportnlp::models::Explanation why_shared;
  for (const auto& t : texts()) {
    INFO(t);
    tokenizer.tokenize(t, tokens);

    clf.predict_explain(t, 3, 3, p_text, why_text);
    clf.predict_explain(tokens, 3, 3, p_tokens, why_tokens);
    CHECK(p_tokens.label == p_text.label);
    CHECK(p_tokens.probabilities == p_text.probabilities); // bit for bit
    CHECK(p_tokens.repaired_utf8 == p_text.repaired_utf8);
    REQUIRE(why_tokens.toward.size() == why_text.toward.size());
    for (std::size_t k = 0; k < why_text.toward.size(); ++k) {
      CHECK(why_tokens.toward[k].begin == why_text.toward[k].begin);
      CHECK(why_tokens.toward[k].end == why_text.toward[k].end);
      CHECK(why_tokens.toward[k].weight == why_text.toward[k].weight);
    }
    clf.predict(tokens, 2, p_tokens);
    clf.predict(t, 2, p_text);
    CHECK(p_tokens.probabilities == p_text.probabilities);
    const auto c_text = intent->classify(t, 3);
    const auto c_tokens = intent->classify(tokens, 3);
    CHECK(c_tokens.label == c_text.label);
    CHECK(c_tokens.confidence == c_text.confidence);
    CHECK(c_tokens.queue_confidence == c_text.queue_confidence);

    encoder->encode(t, v_text.data());
    encoder->encode_tokens(tokens, v_tokens.data());
    CHECK(v_tokens == v_text);

    // One n-gram pass for the intent model and the encoder (as the
    // Analyzer does, features::extract_pair): the same answers again.
    supportnlp::features::extract_pair(tokens, intent_ngrams, f_intent, true, encoder_ngrams,
                                       f_encoder);
    std::vector<float> v_shared(dim);
    encoder->encode_features(f_encoder, v_shared.data());
    CHECK(v_shared == v_text);
    const auto c_shared = intent->classify_explained(tokens, {&f_intent}, 3, 3, why_shared);
    const auto c_alone = intent->classify_explained(tokens, 3, 3, why_tokens);
    CHECK(c_shared.label == c_alone.label);
    CHECK(c_shared.confidence == c_alone.confidence);
    CHECK(c_shared.queue_confidence == c_alone.queue_confidence);
    REQUIRE(why_shared.toward.size() == why_tokens.toward.size());
    for (std::size_t k = 0; k < why_tokens.toward.size(); ++k) {
      CHECK(why_shared.toward[k].begin == why_tokens.toward[k].begin);
      CHECK(why_shared.toward[k].weight == why_tokens.toward[k].weight);
    }
    supportnlp::features::extract_pair(tokens, intent_ngrams, f_intent, true, encoder_ngrams,
                                       f_encoder);
    clf.predict_explain(tokens, {&f_intent}, 3, 3, p_tokens, why_shared);
    clf.predict_explain(tokens, 3, 3, p_text, why_tokens);
    CHECK(p_tokens.probabilities == p_text.probabilities);
    // Without an explanation (n-grams without origins), as the Analyzer
    // classifies when it is asked for no evidence.
    supportnlp::features::extract_pair(tokens, intent_ngrams, f_intent, false, encoder_ngrams,
                                       f_encoder);
    clf.predict(tokens, {&f_intent}, 3, p_tokens);
    clf.predict(tokens, 3, p_text);
    CHECK(p_tokens.label == p_text.label);
    CHECK(p_tokens.probabilities == p_text.probabilities);

    bm25.search(t, 10, l_text);
    bm25.search(tokens, 10, l_tokens);
    REQUIRE(l_tokens.size() == l_text.size());
    for (std::size_t k = 0; k < l_text.size(); ++k) {
      CHECK(l_tokens[k].id == l_text[k].id);
      CHECK(l_tokens[k].score == l_text[k].score);
    }
    CHECK(bm25.analyze(tokens) == bm25.analyze(t));

    supportnlp::search::SearchOptions so;
    so.top_k = 3;
    so.highlight = true;
    const auto h_text = kb->search(t, so);
    const auto h_tokens = kb->search(tokens, so);
    REQUIRE(h_tokens.size() == h_text.size());
    for (std::size_t k = 0; k < h_text.size(); ++k) {
      CHECK(h_tokens[k].article_id == h_text[k].article_id);
      CHECK(h_tokens[k].score == h_text[k].score);
      CHECK(h_tokens[k].highlights.size() == h_text[k].highlights.size());
    }
    // With the query vector encoded beforehand (from the shared pass).
    const auto h_vector = kb->search(tokens, v_shared.data(), so);
    REQUIRE(h_vector.size() == h_text.size());
    for (std::size_t k = 0; k < h_text.size(); ++k) {
      CHECK(h_vector[k].article_id == h_text[k].article_id);
      CHECK(h_vector[k].score == h_text[k].score);
      CHECK(h_vector[k].dense_score == h_text[k].dense_score);
    }

    const auto s_text = sentiment.analyze(t);
    supportnlp::models::SentimentResult s_tokens;
    sentiment.analyze(tokens, s_tokens);
    CHECK(s_tokens.score == s_text.score);
    CHECK(s_tokens.evidence.size() == s_text.evidence.size());

    // And the Analyzer's KB hits are the KB's own answer for the text, and
    // its intent the model's.
    supportnlp::pipeline::TicketAnalysis a;
    analyzer->analyze(t, a);
    if (a.intent && !a.intent->out_of_scope && c_alone.reason == a.intent->reason) {
      CHECK(a.intent->label == c_alone.label);
      CHECK(a.intent->confidence == c_alone.confidence);
      REQUIRE(a.intent_evidence.size() == why_tokens.toward.size());
      for (std::size_t k = 0; k < why_tokens.toward.size(); ++k)
        CHECK(a.intent_evidence[k].weight == why_tokens.toward[k].weight);
    }
    so.highlight = false;
    const auto bundle_hits = kb->search(t, so);
    REQUIRE(a.kb_hits.size() == bundle_hits.size());
    for (std::size_t k = 0; k < bundle_hits.size(); ++k) {
      CHECK(a.kb_hits[k].article_id == bundle_hits[k].article_id);
      CHECK(a.kb_hits[k].score == bundle_hits[k].score);
    }
  }
}
