// The article reader (search/articles.hpp): every rule of its policy, the
// same file judged alike by kb build's path and the Analyzer's, and bad
// lines reported with the rest kept.
#include "supportnlp/search/articles.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace supportnlp;
using search::Article;
using search::ArticleFormat;

namespace {

std::vector<Article> read(const std::string& text, ArticleFormat format,
                          std::vector<io::RecordIssue>& issues) {
  std::istringstream in(text);
  std::vector<Article> out;
  search::read_articles(in, format, out, [&](const io::RecordIssue& i) { issues.push_back(i); });
  return out;
}

} // namespace

TEST_CASE("articles: JSON Lines fields, numeric ids and the text fallback", "[search][articles]") {
  std::vector<io::RecordIssue> issues;
  const auto a = read(
      "{\"id\":\"reset\",\"title\":\"Reset\",\"body\":\"Open settings.\",\"url\":\"https://x/r\","
      "\"tags\":[\"account\",3]}\n"
      "{\"id\":12,\"title\":\"Refunds\",\"text\":\"Ten days.\"}\n"
      "\n"
      "{\"id\":\"both\",\"body\":\"the body\",\"text\":\"not this\",\"tags\":\"x\"}\n",
      ArticleFormat::jsonl, issues);
  CHECK(issues.empty());
  REQUIRE(a.size() == 3);
  CHECK(a[0].url == "https://x/r");
  CHECK(a[0].tags == std::vector<std::string>{"account"}); // non-strings ignored
  CHECK(a[1].id == "12");                                  // an integer id as its decimal text
  CHECK(a[1].body == "Ten days.");                         // "text" when there is no body
  CHECK(a[2].body == "the body");                          // "body" wins over "text"
  CHECK(a[2].tags.empty());                                // "tags" not an array: ignored
}

TEST_CASE("articles: bad lines are reported with their line and skipped", "[search][articles]") {
  std::vector<io::RecordIssue> issues;
  const auto a = read("{\"id\":\"a\",\"body\":\"x\"}\n"
                      "not json\n"
                      "{\"title\":\"no id\"}\n"
                      "{\"id\":\"\",\"body\":\"x\"}\n"
                      "{\"id\":1.5,\"body\":\"x\"}\n"
                      "{\"id\":\"b\",\"title\":7}\n"
                      "[1]\n"
                      "{\"id\":\"a\",\"body\":\"again\"}\n"
                      "{\"id\":\"c\",\"body\":\"kept\"}\n",
                      ArticleFormat::jsonl, issues);
  REQUIRE(a.size() == 2);
  CHECK(a[0].id == "a");
  CHECK(a[0].body == "x"); // the first copy of a repeated id is kept
  CHECK(a[1].id == "c");
  REQUIRE(issues.size() == 7);
  const std::vector<std::pair<std::uint64_t, std::string>> want{
      {2, "malformed JSON"},
      {3, "missing \"id\""},
      {4, "missing \"id\""},
      {5, "\"id\" is not a string or an integer"},
      {6, "\"title\" is not a string"},
      {7, "not a JSON object"},
      {8, "duplicate article id 'a'"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(issues[i].line == want[i].first);
    CHECK(issues[i].message == want[i].second);
  }
}

TEST_CASE("articles: TSV with header, url column and short rows", "[search][articles]") {
  std::vector<io::RecordIssue> issues;
  const auto a = read("id\ttitle\tbody\n"
                      "d1\tReset password\tUse the link.\thttps://x/d1\n"
                      "d2\tonly two\n"
                      "\tno id\tbody\n"
                      "d3\tRefunds\tTen days.\n"
                      "d1\tagain\tagain\n",
                      ArticleFormat::tsv, issues);
  REQUIRE(a.size() == 2);
  CHECK(a[0].url == "https://x/d1");
  CHECK(a[1].id == "d3");
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].line == 3);
  CHECK(issues[0].message == "expected id<TAB>title<TAB>body, got 2 columns");
  CHECK(issues[1].line == 4);
  CHECK(issues[2].line == 6);
  CHECK(search::article_format_of("kb/articles.tsv") == ArticleFormat::tsv);
  CHECK(search::article_format_of("kb/articles.jsonl") == ArticleFormat::jsonl);
}

TEST_CASE("articles: open_knowledge_base reads the policy, refusing a bad line by number",
          "[search][articles]") {
  char dir[] = "/tmp/snlp_articles_XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string good = std::string(dir) + "/good.jsonl";
  const std::string bad = std::string(dir) + "/bad.jsonl";
  std::ofstream(good)
      << "{\"id\":1,\"title\":\"Refunds\",\"text\":\"Refunds take ten days.\"}\n"
         "{\"id\":\"track\",\"title\":\"Track an order\",\"body\":\"Open orders.\"}\n";
  std::ofstream(bad) << "{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"a\",\"body\":\"y\"}\n";
  auto kb = search::open_knowledge_base(good, nullptr);
  REQUIRE(kb.ok());
  CHECK(kb->size() == 2);
  CHECK(kb->search("refund days", {}).at(0).article_id == "1");
  auto refused = search::open_knowledge_base(bad, nullptr);
  REQUIRE(!refused.ok());
  CHECK(refused.error().code == ErrorCode::parse_error);
  CHECK(refused.error().message == bad + ":2: duplicate article id 'a'");
  std::remove(good.c_str());
  std::remove(bad.c_str());
  rmdir(dir);
}
