#include "supportnlp/search/lexical_index.hpp"

#include "search/porter_stemmer.hpp"
#include "supportnlp/io/model_file.hpp"

#include "same_results.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace supportnlp::search;

namespace {
std::string stem(std::string w) {
  detail::porter_stem(w);
  return w;
}
} // namespace

TEST_CASE("Porter stemmer follows the published examples", "[search]") {
  // Examples from Porter (1980).
  CHECK(stem("caresses") == "caress");
  CHECK(stem("ponies") == "poni");
  CHECK(stem("cats") == "cat");
  CHECK(stem("agreed") == "agre");
  CHECK(stem("plastered") == "plaster");
  CHECK(stem("motoring") == "motor");
  CHECK(stem("hopping") == "hop");
  CHECK(stem("filing") == "file");
  CHECK(stem("happy") == "happi");
  CHECK(stem("relational") == "relat");
  CHECK(stem("generalization") == "gener");
  CHECK(stem("adjustment") == "adjust");
  CHECK(stem("controll") == "control");
  // Support vocabulary: inflections meet.
  CHECK(stem("refunds") == stem("refunded"));
  CHECK(stem("refunding") == stem("refund"));
  CHECK(stem("passwords") == "password");
  // Non-ASCII and short words are left alone.
  CHECK(stem("été") == "été");
  CHECK(stem("is") == "is");
}

TEST_CASE("BM25 ranks the document sharing the rare query terms first", "[search]") {
  LexicalIndex index;
  index.add("How do I reset my password?");
  index.add("Refunds take five to ten business days to reach your card.");
  index.add("Shipping: how long does delivery take?");
  index.add("How do I change my email address?");
  std::vector<ScoredId> out;
  index.search("password resetting", 10, out);
  REQUIRE_FALSE(out.empty());
  CHECK(out[0].id == 0);
  CHECK(out.size() == 1); // only documents sharing a term are returned
  index.search("refunded to my card", 10, out);
  REQUIRE_FALSE(out.empty());
  CHECK(out[0].id == 1);
  index.search("", 10, out);
  CHECK(out.empty());
  index.search("zzzz qqqq", 10, out);
  CHECK(out.empty());
}

TEST_CASE("BM25 scores match the formula", "[search]") {
  LexicalIndex index(Bm25Options{1.2f, 0.75f, false});
  index.add("apple banana");
  index.add("banana banana cherry date");
  std::vector<ScoredId> out;
  index.search("cherry", 10, out);
  REQUIRE(out.size() == 1);
  // N = 2, df = 1: idf = ln(1 + 1.5 / 1.5); tf = 1, dl = 4, avgdl = 3.
  const double idf = std::log(2.0);
  const double norm = 1.2 * (1 - 0.75 + 0.75 * 4.0 / 3.0);
  CHECK(out[0].score == Approx(idf * 2.2 / (1 + norm)).epsilon(1e-5));
}

TEST_CASE("match_spans gives byte offsets of matching words in the original text", "[search]") {
  LexicalIndex index;
  const std::string text = "To reset your Password, open Settings. Passwords expire.";
  auto spans = index.match_spans("password reset", text);
  std::vector<std::string> words;
  for (auto s : spans)
    words.push_back(text.substr(s.begin, s.end - s.begin));
  CHECK(words == std::vector<std::string>{"reset", "Password", "Passwords"});
}

TEST_CASE("removing documents renumbers and keeps scores consistent", "[search]") {
  LexicalIndex index;
  index.add("alpha beta");
  index.add("gamma delta");
  index.add("alpha gamma");
  LexicalIndex copy = index;
  index.remove_docs({0});
  CHECK(index.size() == 2);
  CHECK(copy.size() == 3);
  std::vector<ScoredId> out;
  index.search("alpha", 10, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].id == 1); // was document 2
  LexicalIndex fresh;
  fresh.add("gamma delta");
  fresh.add("alpha gamma");
  std::vector<ScoredId> ref;
  fresh.search("alpha", 10, ref);
  CHECK(out[0].score == Approx(ref[0].score));
}

TEST_CASE("lexical index round-trips through the model container", "[search]") {
  LexicalIndex index(Bm25Options{0.9f, 0.4f, true});
  index.add("Cancel my subscription");
  index.add("Subscriptions renew monthly");
  supportnlp::io::ModelWriter w("test");
  index.write(w, "lex.");
  auto bytes = w.serialize();
  REQUIRE(bytes.ok());
  auto file = supportnlp::io::ModelFile::from_bytes(bytes.value());
  REQUIRE(file.ok());
  auto loaded = LexicalIndex::read(file.value(), "lex.");
  REQUIRE(loaded.ok());
  CHECK(loaded->options().k1 == 0.9f);
  std::vector<ScoredId> a, b;
  index.search("subscription", 5, a);
  loaded->search("subscription", 5, b);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].score == b[i].score);
  }
  auto missing = LexicalIndex::read(file.value(), "other.");
  CHECK_FALSE(missing.ok());
}

TEST_CASE("sign-in phrases are one term, apart from the noun 'log'", "[search]") {
  LexicalIndex index;
  auto terms = [&](const char* text) { return index.analyze(text); };
  using V = std::vector<std::string>;
  CHECK(terms("can't log in") == V{"can't", "login"});
  CHECK(terms("Logging into the app") == V{"login", "app"});
  CHECK(terms("log-in page") == terms("login page"));
  CHECK(terms("signed up yesterday") == V{"signup", "yesterdai"});
  CHECK(terms("sign out") == V{"signout"});
  CHECK(terms("review the audit log") == V{"review", "audit", "log"});
  // Only spaces or hyphens may join the words of a phrase.
  CHECK(terms("see the log. In the file") == V{"see", "log", "file"});
  // "log in" does not match a document about logs.
  index.add("Review the audit log for unexpected calls");               // 0
  index.add("Sign in with your email; if you cannot log in, reset it"); // 1
  std::vector<ScoredId> out;
  index.search("can't log in", 5, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].id == 1);
  // Highlights cover both words of the phrase.
  const std::string doc = "If you cannot log in, reset it";
  auto spans = index.match_spans("log in", doc);
  REQUIRE(spans.size() == 1);
  CHECK(doc.substr(spans[0].begin, spans[0].end - spans[0].begin) == "log in");
  // Off: the words stay apart, as in indexes written before phrase terms.
  LexicalIndex plain(Bm25Options{1.2f, 0.75f, true, true, false});
  CHECK(plain.analyze("can't log in") == V{"can't", "log"});
}

TEST_CASE("BM25 with ResultOrder::any returns the same documents, unsorted", "[search]") {
  LexicalIndex index;
  const char* words[] = {"refund", "card", "password", "reset", "delivery", "parcel", "invoice"};
  for (int d = 0; d < 60; ++d) {
    std::string text;
    for (int w = 0; w < 7; ++w)
      if ((d * 7 + w * 3) % (w + 2) == 0) text += std::string(words[w]) + " ";
    index.add(text + "doc");
  }
  std::vector<ScoredId> sorted, any;
  for (const int k : {1, 5, 20, 100}) {
    index.search("refund my card, reset the password of the invoice", k, sorted);
    index.search("refund my card, reset the password of the invoice", k, any, ResultOrder::any);
    testing::check_same_results(sorted, any);
  }
}
