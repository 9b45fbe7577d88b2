#include "supportnlp/text/tokenizer.hpp"

#include "../../../benchmarks/corpus/support_corpus.hpp"
#include "supportnlp/text/normalizer.hpp"

#include <catch2/catch.hpp>
#include <unicode/uchar.h>

#include <string>
#include <vector>

using namespace supportnlp::text;

namespace {

std::vector<std::string> originals(const TokenizedText& t) {
  std::vector<std::string> out;
  for (const auto& tok : t.tokens)
    out.emplace_back(t.original(tok));
  return out;
}

std::vector<std::string> normals(const TokenizedText& t) {
  std::vector<std::string> out;
  for (const auto& tok : t.tokens)
    out.emplace_back(t.normalized(tok));
  return out;
}

} // namespace

TEST_CASE("words, numbers and punctuation with offsets into the original", "[text]") {
  Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::nfkc_casefold});
  const std::string text = "My ORDER hasn't arrived, 3 days late.";
  auto t = tok.tokenize(text);
  CHECK(originals(t) == std::vector<std::string>{"My", "ORDER", "hasn't", "arrived", ",", "3",
                                                 "days", "late", "."});
  CHECK(normals(t)[1] == "order");
  CHECK(t.tokens[0].kind == TokenKind::word);
  CHECK(t.tokens[4].kind == TokenKind::punct);
  CHECK(t.tokens[5].kind == TokenKind::number);
  for (const auto& token : t.tokens)
    CHECK(text.substr(token.begin, token.end - token.begin) == std::string(t.original(token)));
}

TEST_CASE("accented, full-width and CJK text", "[text]") {
  Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::nfkc_casefold});
  auto t = tok.tokenize("\xC3\x89T\xC3\x89 \xEF\xBC\xB2\xEF\xBD\x85\xEF\xBD\x86 "
                        "\xE9\x80\x80\xE6\xAC\xBE"); // ÉTÉ Ｒｅｆ 退款
  REQUIRE(t.tokens.size() >= 3);
  CHECK(t.normalized(t.tokens[0]) == "\xC3\xA9t\xC3\xA9");
  CHECK(t.normalized(t.tokens[1]) == "ref");
  CHECK(t.tokens[2].kind == TokenKind::word);
}

TEST_CASE("invalid UTF-8 is repaired and offsets stay in the original bytes", "[text]") {
  Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::nfkc_casefold});
  const std::string text = "bad\xFF\xFEtext ok";
  auto t = tok.tokenize(text);
  CHECK(t.repaired_utf8);
  REQUIRE_FALSE(t.tokens.empty());
  CHECK(t.tokens.back().begin == text.size() - 2);
  CHECK(t.tokens.back().end == text.size());
  std::string all;
  for (const auto& token : t.tokens)
    all += std::string(t.original(token));
  CHECK(all == "bad\xFF\xFEtextok");
}

TEST_CASE("emoji sequences stay whole", "[text]") {
  Tokenizer tok;
  // family ZWJ sequence, flag, thumbs up with skin tone, keycap
  auto t = tok.tokenize("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
                        "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD "
                        "1\xEF\xB8\x8F\xE2\x83\xA3");
  REQUIRE(t.tokens.size() == 4);
  for (const auto& token : t.tokens)
    CHECK(token.kind == TokenKind::emoji);
}

TEST_CASE("empty and whitespace-only text give no tokens", "[text]") {
  Tokenizer tok;
  CHECK(tok.tokenize("").tokens.empty());
  CHECK(tok.tokenize(" \t\r\n ").tokens.empty());
  CHECK(tok.word_boundaries("") == std::vector<std::uint32_t>{0});
}

TEST_CASE("TokenizedText buffers are reused across calls", "[text]") {
  Tokenizer tok;
  TokenizedText t;
  tok.tokenize("one two three four five six", t);
  const auto cap = t.tokens.capacity();
  tok.tokenize("seven eight", t);
  CHECK(t.tokens.size() == 2);
  CHECK(t.tokens.capacity() == cap);
  CHECK(t.normalized(t.tokens[1]) == "eight");
}

TEST_CASE("sentences are split per UAX #29", "[text]") {
  const std::string text = "Hi there. My parcel is late! Can you help?  ";
  auto spans = split_sentences(text);
  REQUIRE(spans.size() == 3);
  CHECK(text.substr(spans[0].begin, spans[0].end - spans[0].begin) == "Hi there.");
  CHECK(text.substr(spans[2].begin, spans[2].end - spans[2].begin) == "Can you help?");
  auto b = sentence_boundaries(text);
  CHECK(b.front() == 0);
  CHECK(b.back() == text.size());
}

TEST_CASE("one-character ASCII tokens get the kinds of their general category", "[text]") {
  // The fast per-byte table must agree with ICU's general category for every
  // printable ASCII character that is not a letter or digit.
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::none});
  for (int c = 0x21; c < 0x7F; ++c) {
    const std::string one(1, char(c));
    auto t = tok.tokenize(one);
    REQUIRE(t.tokens.size() == 1);
    INFO("character " << one);
    if (u_isalnum(c)) continue;
    const bool punct = u_ispunct(c);
    const bool symbol = (U_GET_GC_MASK(c) & U_GC_S_MASK) != 0;
    REQUIRE((punct || symbol));
    CHECK(t.tokens[0].kind == (punct ? TokenKind::punct : TokenKind::symbol));
  }
}

// Non-ASCII tokens made of characters that are their own NFKC_Casefold form
// are copied instead of normalized by ICU; every token's normalized form must
// still be exactly what ICU's NFKC_Casefold gives for the token's text.
TEST_CASE("normalized forms equal ICU NFKC_Casefold of each token", "[text]") {
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::nfkc_casefold});
  const Normalizer icu_fold(NormalizationForm::nfkc_casefold);
  std::string text =
      "\xC3\xA9t\xC3\xA9 \xC3\x89T\xC3\x89 e\xCC\x81t\xC3\xA9 Stra\xC3\x9F"
      "e \xEF\xAC\x81le \xEF\xBD\x86\xEF\xBD\x95ll \xE3\x81\x8C\xE3\x81\x8B\xE3\x82\x99 "
      "\xCE\xA9mega \xE2\x84\xAB \xC3\xBC\xCC\x88 \xEF\xBC\x8C \xE2\x91\xA0 "
      "\xC2\xBD \xC4\xB0stanbul \xE1\xBA\x9E \xE2\x80\x8Bx ";
  text += supportnlp::bench::support_corpus(200000, 11);
  const TokenizedText t = tok.tokenize(text);
  REQUIRE(t.tokens.size() > 1000);
  std::size_t mismatches = 0;
  for (const auto& token : t.tokens) {
    const std::string expected = icu_fold.normalize(t.original(token)).text;
    if (t.normalized(token) != expected) {
      ++mismatches;
      UNSCOPED_INFO(t.original(token) << " -> " << t.normalized(token) << " != " << expected);
    }
  }
  CHECK(mismatches == 0);
}
