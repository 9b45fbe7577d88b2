#include "supportnlp/features/ngrams.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

using supportnlp::features::NgramExtractor;
using supportnlp::features::NgramOptions;
using supportnlp::features::SparseFeatures;
using supportnlp::text::Tokenizer;

namespace {
SparseFeatures features_of(const NgramExtractor& ex, std::string_view s, bool origins = false) {
  static const Tokenizer tok;
  auto t = tok.tokenize(s);
  SparseFeatures f;
  ex.extract(t, f, origins);
  return f;
}
} // namespace

TEST_CASE("ngram vectors are unique, in range and deterministic", "[features]") {
  NgramOptions o;
  o.buckets = 1000;
  o.char_across_words = true;
  NgramExtractor ex(o);
  auto a = features_of(ex, "Where is my refund? I was charged twice for ORD-99812!");
  auto b = features_of(ex, "Where is my refund? I was charged twice for ORD-99812!");
  REQUIRE(a.size() > 20);
  CHECK(a.index == b.index);
  CHECK(a.value == b.value);
  std::set<std::uint32_t> unique(a.index.begin(), a.index.end());
  CHECK(unique.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a.index[i] < 1000u);
    CHECK(a.value[i] >= 1.0f);
  }
  // With origins: the same features and values in the same order, and each
  // entry's occurrences add up to its count.
  auto c = features_of(ex, "Where is my refund? I was charged twice for ORD-99812!", true);
  CHECK(c.index == a.index);
  CHECK(c.value == a.value);
  CHECK(c.word_entries == a.word_entries);
  std::vector<int> count(c.size(), 0);
  for (const auto& origin : c.origins) {
    REQUIRE(origin.entry < c.size());
    ++count[origin.entry];
  }
  for (std::size_t i = 0; i < c.size(); ++i) {
    const float expect = count[i] == 1 ? 1.0f : 1.0f + std::log(float(count[i]));
    CHECK(c.value[i] == Approx(expect));
  }
}

TEST_CASE("a reused buffer gives the same vector as a fresh one", "[features]") {
  NgramOptions o;
  o.char_across_words = true;
  NgramExtractor ex(o);
  static const Tokenizer tok;
  SparseFeatures reused;
  // A long text grows the merge table; short texts before and after use the
  // small one and must find it empty.
  std::string long_text;
  for (int i = 0; i < 200; ++i)
    long_text += "word" + std::to_string(i) + " ";
  for (std::string_view s : {"cancel my order", long_text.c_str(), "where is my card?",
                             "cancel my order", "refund refund refund"}) {
    auto t = tok.tokenize(s);
    ex.extract(t, reused, true);
    SparseFeatures fresh;
    ex.extract(t, fresh, true);
    CHECK(reused.index == fresh.index);
    CHECK(reused.value == fresh.value);
    CHECK(reused.word_entries == fresh.word_entries);
    CHECK(reused.origins.size() == fresh.origins.size());
  }
}

TEST_CASE("word features come before char features", "[features]") {
  NgramOptions o;
  o.buckets = 1u << 30;
  NgramExtractor ex(o);
  auto f = features_of(ex, "cancel my order");
  CHECK(f.word_entries == 5u); // 3 unigrams + 2 bigrams
  CHECK(f.size() > f.word_entries);
  o.char_min_n = 0;
  CHECK(features_of(NgramExtractor(o), "cancel my order").word_entries == 5u);
}

TEST_CASE("empty and whitespace-only texts give empty vectors", "[features]") {
  NgramExtractor ex;
  CHECK(features_of(ex, "").size() == 0);
  CHECK(features_of(ex, "  \n\t ").size() == 0);
}

TEST_CASE("feature counts follow the configured ranges", "[features]") {
  NgramOptions o;
  o.buckets = 1u << 30; // collisions practically impossible
  o.word_min_n = 1;
  o.word_max_n = 2;
  o.char_min_n = 0; // chars off
  NgramExtractor words(o);
  // 3 unigrams + 2 bigrams, all distinct.
  CHECK(features_of(words, "cancel my order").size() == 5);

  o.word_min_n = 0;
  o.char_min_n = 3;
  o.char_max_n = 3;
  NgramExtractor tri(o);
  // "<abc>" has 3 trigrams: "<ab", "abc", "bc>".
  CHECK(features_of(tri, "abc").size() == 3);
  // Code points, not bytes: "<été>" also has 3.
  CHECK(features_of(tri, "été").size() == 3);
}

TEST_CASE("repeated features are merged with sublinear term frequency", "[features]") {
  NgramOptions o;
  o.buckets = 1u << 30;
  o.char_min_n = 0;
  o.word_max_n = 1;
  NgramExtractor ex(o);
  auto f = features_of(ex, "refund refund refund");
  REQUIRE(f.size() == 1);
  CHECK(f.value[0] == Approx(1.0f + std::log(3.0f)));
  o.sublinear_tf = false;
  auto g = features_of(NgramExtractor(o), "refund refund refund");
  CHECK(g.value[0] == Approx(3.0f));
}

namespace {
// A hand-made tokenization, so that this test depends only on token kinds.
supportnlp::text::TokenizedText with_entity(const std::string& text, std::uint32_t begin,
                                            std::uint32_t end, supportnlp::text::TokenKind kind) {
  supportnlp::text::TokenizedText t;
  t.source = text;
  t.normalized_text = text;
  t.tokens.push_back({0, begin - 1, 0, begin - 1, supportnlp::text::TokenKind::word});
  t.tokens.push_back({begin, end, begin, end, kind});
  return t;
}
} // namespace

TEST_CASE("entities become kind tokens", "[features]") {
  using supportnlp::text::TokenKind;
  NgramOptions o;
  o.buckets = 1u << 30;
  NgramExtractor ex(o);
  const std::string a_text = "mail bob@example.com", b_text = "mail alice@test.org";
  auto a = with_entity(a_text, 5, 20, TokenKind::email);
  auto b = with_entity(b_text, 5, 19, TokenKind::email);
  SparseFeatures fa, fb;
  ex.extract(a, fa);
  ex.extract(b, fb);
  CHECK(fa.index == fb.index); // different emails, identical features
  o.entity_tokens = false;
  NgramExtractor literal(o);
  literal.extract(a, fa);
  literal.extract(b, fb);
  CHECK(fa.index != fb.index);
}

TEST_CASE("origins point at the tokens that produced each feature", "[features]") {
  NgramOptions o;
  o.buckets = 1u << 20;
  o.char_across_words = true;
  NgramExtractor ex(o);
  Tokenizer tok;
  auto t = tok.tokenize("please cancel my subscription");
  SparseFeatures f;
  ex.extract(t, f, true);
  REQUIRE(!f.origins.empty());
  double total = 0;
  for (float v : f.value)
    total += v;
  std::set<std::uint32_t> entries;
  for (const auto& origin : f.origins) {
    CHECK(origin.entry < f.size());
    CHECK(origin.token_first <= origin.token_last);
    CHECK(origin.token_last < t.tokens.size());
    entries.insert(origin.entry);
  }
  CHECK(entries.size() == f.size()); // every entry has at least one origin
  CHECK(total > 0);
}

TEST_CASE("buffers are reused across texts", "[features]") {
  NgramExtractor ex;
  Tokenizer tok;
  SparseFeatures f;
  auto t = tok.tokenize("I would like to change the delivery address of my parcel");
  ex.extract(t, f);
  const auto* data = f.index.data();
  const auto cap = f.index.capacity();
  auto u = tok.tokenize("change delivery address");
  ex.extract(u, f);
  CHECK(f.index.data() == data);
  CHECK(f.index.capacity() == cap);
}

TEST_CASE("invalid UTF-8 and huge texts are handled", "[features]") {
  NgramExtractor ex;
  auto f = features_of(ex, std::string("bad \xff\xfe bytes \xc3"));
  CHECK(f.size() > 0);
  std::string big;
  while (big.size() < (1u << 20))
    big += "my card was declined again ";
  auto g = features_of(ex, big);
  CHECK(g.size() > 0);
  CHECK(g.size() < 2000); // repeated text: few distinct features
}

TEST_CASE("weight_features applies weights and normalizes", "[features]") {
  SparseFeatures f;
  f.index = {1, 3};
  f.value = {1.0f, 1.0f};
  const float w[4] = {0, 3, 0, 4};
  supportnlp::features::weight_features(f, w, true);
  CHECK(f.value[0] == Approx(0.6f));
  CHECK(f.value[1] == Approx(0.8f));
}

TEST_CASE("extract_pair gives exactly the features of two extractions", "[features]") {
  // Pairs that share hashes (an intent model's 1-5 and an encoder's 3-5
  // char n-grams; across-word n-grams on one side only; disabled ranges) and
  // pairs that do not (another seed, entity or punctuation setting).
  NgramOptions intent;
  intent.buckets = 1u << 17;
  intent.char_min_n = 1;
  intent.seed = 24301;
  NgramOptions encoder = intent;
  encoder.buckets = 1u << 24;
  encoder.char_min_n = 3;
  NgramOptions across = intent;
  across.char_across_words = true;
  across.word_max_n = 3;
  across.sublinear_tf = false;
  NgramOptions words_only = encoder;
  words_only.char_min_n = 0;
  NgramOptions chars_only = encoder;
  chars_only.word_min_n = 3;
  chars_only.word_max_n = 2;
  NgramOptions other_seed = encoder;
  other_seed.seed = 7;
  NgramOptions literal = encoder;
  literal.entity_tokens = false;
  NgramOptions no_punct = encoder;
  no_punct.punctuation = false;
  const std::pair<NgramOptions, NgramOptions> pairs[] = {
      {intent, encoder},    {encoder, intent},    {intent, across}, {across, encoder},
      {intent, words_only}, {chars_only, intent}, {intent, intent}, {intent, other_seed},
      {literal, intent},    {intent, no_punct}};
  std::string long_word(200, 'x');
  const std::string texts[] = {"Where is my refund? I was charged twice for ORD-99812!",
                               "I can't log-in, see https://x.com/a?b=1 :-) 😡 bob@x.com",
                               "Где мой заказ? 注文はどこですか naïve café " + long_word,
                               "bad \xff\xfe bytes \xc3",
                               "",
                               "ok",
                               std::string(3000, 'a') + " " + std::string(40, 'b') +
                                   " refund refund refund"};
  Tokenizer tok;
  for (const auto& [oa, ob] : pairs) {
    const NgramExtractor a(oa), b(ob);
    const bool shares = oa.seed == ob.seed && oa.entity_tokens == ob.entity_tokens &&
                        oa.punctuation == ob.punctuation;
    CHECK(a.shares_hashes(b) == shares);
    // One pair of buffers reused across texts, as a caller would.
    SparseFeatures pa, pb;
    for (const auto& s : texts) {
      INFO(s);
      auto t = tok.tokenize(s);
      for (const bool origins : {false, true}) {
        SparseFeatures ea, eb;
        a.extract(t, ea, origins);
        b.extract(t, eb);
        supportnlp::features::extract_pair(t, a, pa, origins, b, pb);
        CHECK(pa.index == ea.index);
        CHECK(pa.value == ea.value);
        CHECK(pa.word_entries == ea.word_entries);
        REQUIRE(pa.origins.size() == ea.origins.size());
        for (std::size_t i = 0; i < ea.origins.size(); ++i) {
          CHECK(pa.origins[i].entry == ea.origins[i].entry);
          CHECK(pa.origins[i].token_first == ea.origins[i].token_first);
          CHECK(pa.origins[i].token_last == ea.origins[i].token_last);
        }
        CHECK(pb.index == eb.index);
        CHECK(pb.value == eb.value);
        CHECK(pb.word_entries == eb.word_entries);
        CHECK(pb.origins.empty());
      }
    }
  }
}
