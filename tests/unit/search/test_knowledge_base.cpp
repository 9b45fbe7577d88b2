#include "supportnlp/search/knowledge_base.hpp"

#include "hashed_encoder.hpp"
#include "supportnlp/search/gap_report.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace supportnlp::search;
using supportnlp::ErrorCode;

namespace {

std::vector<Article> sample_articles() {
  return {
      {"reset-password",
       "Reset your password",
       "Open the sign-in page and choose Forgot password. We email you a reset link that is "
       "valid for one hour.\n\nIf the email does not arrive, check your spam folder.",
       "https://help.example.com/reset",
       {"account"}},
      {"refunds",
       "Refunds",
       "Refunds go back to the original card within ten business days.",
       "",
       {"billing"}},
      {"shipping", "Shipping times", "Standard delivery takes three to five days.", "", {}},
      {"cancel",
       "Cancel a subscription",
       "Go to Billing, then Plans, and choose Cancel plan.",
       "",
       {}},
  };
}

KnowledgeBase make_kb(KnowledgeBaseOptions options = {}) {
  auto kb = KnowledgeBase::create(std::make_shared<testing::HashedEncoder>(), options);
  REQUIRE(kb.ok());
  REQUIRE(kb.value().add(sample_articles()).ok());
  return std::move(kb.value());
}

std::string temp_path(const char* name) {
  return std::string("/tmp/supportnlp_kb_test_") + name + "_" + std::to_string(::getpid());
}

} // namespace

TEST_CASE("passages split at paragraphs and sentences within the byte limit", "[search]") {
  const std::string body = "First sentence here. Second sentence is here too.\n\nNew paragraph.";
  auto spans = split_passages(body, 30);
  REQUIRE(spans.size() == 3);
  CHECK(body.substr(spans[0].begin, spans[0].end - spans[0].begin) == "First sentence here.");
  CHECK(body.substr(spans[2].begin, spans[2].end - spans[2].begin) == "New paragraph.");
  for (auto s : spans)
    CHECK(s.end - s.begin <= 30);
  CHECK(split_passages("   \n\n  ", 100).empty());
  // One huge sentence without spaces is cut at UTF-8 character boundaries.
  std::string huge;
  for (int i = 0; i < 1000; ++i)
    huge += "é";
  auto cut = split_passages(huge, 101);
  std::size_t total = 0;
  for (auto s : cut) {
    CHECK(s.end - s.begin <= 101);
    CHECK((static_cast<unsigned char>(huge[s.begin]) & 0xC0) != 0x80);
    total += s.end - s.begin;
  }
  CHECK(total == huge.size());
}

TEST_CASE("every search mode finds the matching article with highlights", "[search]") {
  KnowledgeBase kb = make_kb();
  CHECK(kb.size() == 4);
  for (auto mode : {SearchMode::dense, SearchMode::lexical, SearchMode::hybrid}) {
    SearchOptions o;
    o.mode = mode;
    auto hits = kb.search("forgot my password", o);
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0].article_id == "reset-password");
    CHECK(hits[0].url == "https://help.example.com/reset");
    const Article* a = kb.find("reset-password");
    REQUIRE(a != nullptr);
    CHECK(a->body.substr(hits[0].passage_begin, hits[0].passage_end - hits[0].passage_begin) ==
          hits[0].passage);
    if (mode != SearchMode::dense) {
      REQUIRE_FALSE(hits[0].highlights.empty());
      for (auto s : hits[0].highlights) {
        CHECK(s.begin >= hits[0].passage_begin);
        CHECK(s.end <= hits[0].passage_end);
      }
      REQUIRE(hits[0].title_highlights.size() == 1);
      CHECK(a->title.substr(hits[0].title_highlights[0].begin, 8) == "password");
    }
  }
  SearchOptions rrf;
  rrf.fusion = Fusion::rrf;
  auto hits = kb.search("cancel subscription plan", rrf);
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "cancel");
}

TEST_CASE("empty KB, empty query, k <= 0 give no hits", "[search]") {
  auto empty = KnowledgeBase::create(std::make_shared<testing::HashedEncoder>());
  REQUIRE(empty.ok());
  CHECK(empty->search("anything").empty());
  KnowledgeBase kb = make_kb();
  CHECK(kb.search("").empty());
  CHECK(kb.search("   \n").empty());
  SearchOptions o;
  o.top_k = 0;
  CHECK(kb.search("refund", o).empty());
  o.top_k = 100;
  CHECK(kb.search("refund", o).size() <= 4);
  // Invalid UTF-8 is searched, not rejected.
  CHECK_NOTHROW(kb.search(std::string("refund \xff\xfe card")));
}

TEST_CASE("bad articles are rejected and leave the KB unchanged", "[search]") {
  KnowledgeBaseOptions options;
  options.max_article_bytes = 10000;
  KnowledgeBase kb = make_kb(options);
  auto dup = kb.add(Article{"refunds", "Again", "text", "", {}});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::invalid_argument);
  CHECK(dup.error().message.find("refunds") != std::string::npos);
  CHECK_FALSE(kb.add(Article{"", "No id", "text", "", {}}).ok());
  CHECK_FALSE(kb.add(Article{"blank", " ", "\n", "", {}}).ok());
  auto huge = kb.add(Article{"huge", "Huge", std::string(20000, 'a'), "", {}});
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message.find("max_article_bytes") != std::string::npos);
  // A batch with one bad article adds nothing.
  CHECK_FALSE(
      kb.add({Article{"new1", "New", "text", "", {}}, Article{"new1", "Dup", "x", "", {}}}).ok());
  CHECK(kb.size() == 4);
  CHECK(kb.find("new1") == nullptr);
  // A long (but allowed) article becomes many passages, all searchable.
  std::string body;
  for (int i = 0; i < 100; ++i)
    body += "Sentence number " + std::to_string(i) + " about widgets. ";
  body += "The secret word is zanzibar.";
  REQUIRE(kb.add(Article{"long", "Long article", body, "", {}}).ok());
  CHECK(kb.passages() > 5);
  auto hits = kb.search("zanzibar");
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "long");
  CHECK(hits[0].passage.find("zanzibar") != std::string::npos);
}

TEST_CASE("articles are added, updated and removed without a rebuild", "[search]") {
  KnowledgeBase kb = make_kb();
  KnowledgeBase before = kb; // copies share indexes until one changes
  REQUIRE(kb.add(Article{"gift-cards", "Gift cards", "Gift cards never expire.", "", {}}).ok());
  auto hits = kb.search("do gift cards expire");
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "gift-cards");
  CHECK(before.find("gift-cards") == nullptr);

  REQUIRE(
      kb.update(Article{"refunds", "Refunds", "Refunds now arrive within 48 hours.", "", {}}).ok());
  hits = kb.search("refund 48 hours");
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "refunds");
  CHECK(hits[0].passage.find("48 hours") != std::string::npos);
  CHECK(kb.update(Article{"nope", "x", "y", "", {}}).error().code == ErrorCode::not_found);

  REQUIRE(kb.remove("shipping").ok());
  CHECK(kb.remove("shipping").error().code == ErrorCode::not_found);
  CHECK(kb.size() == 4);
  for (auto mode : {SearchMode::dense, SearchMode::lexical, SearchMode::hybrid}) {
    SearchOptions o;
    o.mode = mode;
    o.top_k = 10;
    for (const auto& h : kb.search("delivery shipping times days", o))
      CHECK(h.article_id != "shipping");
  }
  // Surviving articles are still found after the renumbering.
  hits = kb.search("gift cards");
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "gift-cards");
}

TEST_CASE("a saved KB loads and searches identically", "[search]") {
  auto encoder = std::make_shared<testing::HashedEncoder>();
  for (auto storage : {VectorStorage::f32, VectorStorage::i8}) {
    KnowledgeBaseOptions options;
    options.storage = storage;
    auto kb = KnowledgeBase::create(encoder, options);
    REQUIRE(kb.ok());
    REQUIRE(kb->add(sample_articles()).ok());
    const std::string path = temp_path("kb");
    REQUIRE(kb->save(path).ok());
    auto loaded = KnowledgeBase::load(path, encoder);
    REQUIRE(loaded.ok());
    CHECK(loaded->size() == 4);
    CHECK(loaded->find("refunds")->tags == std::vector<std::string>{"billing"});
    CHECK(loaded->options().bm25.phrases == options.bm25.phrases);
    for (const char* q : {"password", "refund to card", "cancel plan", "can't log in"}) {
      auto a = kb->search(q), b = loaded->search(q);
      REQUIRE(a.size() == b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].article_id == b[i].article_id);
        CHECK(a[i].score == Approx(b[i].score));
      }
    }
    // A loaded KB can still be changed.
    REQUIRE(loaded.value().add(Article{"new", "New", "Brand new article", "", {}}).ok());
    CHECK(loaded->size() == 5);
    // Another encoder is refused, and so is no encoder.
    auto other = KnowledgeBase::load(path, std::make_shared<testing::HashedEncoder>(64, "other"));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::invalid_argument);
    CHECK_FALSE(KnowledgeBase::load(path, nullptr).ok());
    std::remove(path.c_str());
  }
}

TEST_CASE("corrupt KB files are rejected with a clear error", "[search]") {
  KnowledgeBase kb = make_kb();
  const std::string path = temp_path("corrupt_kb");
  REQUIRE(kb.save(path).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto encoder = kb.encoder();
  for (std::size_t at : {bytes.size() / 3, bytes.size() / 2, bytes.size() - 70}) {
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x5A);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bad.data(), std::streamsize(bad.size()));
    auto r = KnowledgeBase::load(path, encoder);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find(path) != std::string::npos);
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), 100);
  CHECK_FALSE(KnowledgeBase::load(path, encoder).ok());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "not a model file at all";
  CHECK_FALSE(KnowledgeBase::load(path, encoder).ok());
  std::remove(path.c_str());
}

TEST_CASE("a lexical-only KB works without an encoder", "[search]") {
  auto kb = KnowledgeBase::create(nullptr);
  REQUIRE(kb.ok());
  REQUIRE(kb->add(sample_articles()).ok());
  SearchOptions o;
  o.mode = SearchMode::dense; // falls back to BM25
  auto hits = kb->search("refunds", o);
  REQUIRE_FALSE(hits.empty());
  CHECK(hits[0].article_id == "refunds");
  const std::string path = temp_path("lexical_kb");
  REQUIRE(kb->save(path).ok());
  auto loaded = KnowledgeBase::load(path, nullptr);
  REQUIRE(loaded.ok());
  CHECK(loaded->search("refunds")[0].article_id == "refunds");
  std::remove(path.c_str());
}

TEST_CASE("concurrent searches on one KB agree with a single thread", "[search]") {
  KnowledgeBase kb = make_kb();
  const std::vector<std::string> queries = {"forgot password", "refund card", "delivery days",
                                            "cancel plan", "reset link spam"};
  std::vector<std::vector<std::string>> expected;
  for (const auto& q : queries) {
    std::vector<std::string> ids;
    for (const auto& h : kb.search(q))
      ids.push_back(h.article_id);
    expected.push_back(ids);
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::size_t qi = static_cast<std::size_t>(i + t) % queries.size();
        SearchOptions o;
        o.mode = static_cast<SearchMode>(2);
        std::vector<std::string> ids;
        for (const auto& h : kb.search(queries[qi], o))
          ids.push_back(h.article_id);
        if (ids != expected[qi]) ++mismatches;
      }
    });
  for (auto& th : threads)
    th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("gap report groups the queries the KB cannot answer", "[search]") {
  KnowledgeBase kb = make_kb();
  const std::vector<std::string> queries = {"forgot password reset link",
                                            "refunds original card",
                                            "",
                                            "pet insurance claim form",
                                            "pet insurance claim form online",
                                            "pet insurance claim form status",
                                            "tax invoice vat number germany"};
  GapReportOptions o;
  o.min_dense_score = 0.35f;
  o.cluster_similarity = 0.5f;
  auto report = find_gaps(kb, queries, o);
  CHECK(report.queries == 6);
  CHECK(report.gaps == 4);
  REQUIRE(report.groups.size() == 2);
  CHECK(report.groups[0].queries.size() == 3);
  for (const auto& g : report.groups[0].queries)
    CHECK(g.text.find("pet insurance") == 0);
  CHECK(report.groups[1].queries[0].text == "tax invoice vat number germany");
  auto none = find_gaps(kb, {}, o);
  CHECK(none.queries == 0);
  CHECK(none.groups.empty());
}

TEST_CASE("searches alternating between KBs of different sizes agree", "[search]") {
  // Search keeps per-thread scratch indexed by passage and article; results
  // must not depend on what the thread searched before.
  KnowledgeBase big = make_kb();
  auto small = KnowledgeBase::create(std::make_shared<testing::HashedEncoder>());
  REQUIRE(small.ok());
  REQUIRE(small->add(Article{"only", "Refunds", "Money back in ten days.", "", {}}).ok());
  SearchOptions o;
  o.top_k = 4;
  const auto summary = [](const std::vector<SearchHit>& hits) {
    std::string s;
    for (const auto& h : hits)
      s += h.article_id + ":" + std::to_string(h.score) + ":" + std::to_string(h.passage_begin) +
           " ";
    return s;
  };
  for (SearchMode mode : {SearchMode::dense, SearchMode::lexical, SearchMode::hybrid}) {
    o.mode = mode;
    const std::string first = summary(big.search("refund to my card", o));
    const std::string small_first = summary(small->search("refund", o));
    CHECK(summary(big.search("refund to my card", o)) == first);
    CHECK(summary(small->search("refund", o)) == small_first);
    CHECK(summary(big.search("refund to my card", o)) == first);
    if (mode == SearchMode::lexical) // no shared word: no lexical hit
      CHECK(small->search("shipping", o).empty());
  }
}
