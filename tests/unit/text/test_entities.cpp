#include "supportnlp/text/tokenizer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace supportnlp::text;

namespace {

using Pair = std::pair<std::string, TokenKind>;

std::vector<Pair> tokens_of(const std::string& text) {
  static const Tokenizer tok; // entities on by default
  TokenizedText t;
  tok.tokenize(text, t);
  std::vector<Pair> out;
  for (const auto& token : t.tokens)
    out.emplace_back(std::string(t.original(token)), token.kind);
  return out;
}

bool has(const std::string& text, const std::string& token, TokenKind kind) {
  for (const auto& p : tokens_of(text))
    if (p.first == token && p.second == kind) return true;
  return false;
}

} // namespace

TEST_CASE("URLs are kept whole without trailing punctuation", "[text]") {
  CHECK(has("see https://example.com/orders/123?ref=mail&x=1.",
            "https://example.com/orders/123?ref=mail&x=1", TokenKind::url));
  CHECK(has("go to www.example.com/help, then", "www.example.com/help", TokenKind::url));
  CHECK(has("open example.org/faq/returns!", "example.org/faq/returns", TokenKind::url));
  CHECK(has("(see http://en.wikipedia.org/wiki/Foo_(bar))",
            "http://en.wikipedia.org/wiki/Foo_(bar)", TokenKind::url));
  CHECK(has("(see http://x.com/a)", "http://x.com/a", TokenKind::url));
  CHECK_FALSE(has("the file.txt is here", "file.txt", TokenKind::url));
  CHECK(has("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM", TokenKind::url));
}

TEST_CASE("emails, mentions and hashtags", "[text]") {
  CHECK(has("mail bob.smith+tag@mail.example.co.uk.", "bob.smith+tag@mail.example.co.uk",
            TokenKind::email));
  CHECK(has("<bob@x.com>", "bob@x.com", TokenKind::email));
  CHECK(has("thanks @anna_m!", "@anna_m", TokenKind::mention));
  CHECK(has("#refund please", "#refund", TokenKind::hashtag));
  CHECK_FALSE(has("a@b", "a@b", TokenKind::email));
  // "@@@" is not a mention; nothing is lost.
  auto t = tokens_of("@@@");
  for (const auto& p : t)
    CHECK(p.second != TokenKind::mention);
}

TEST_CASE("order and ticket ids", "[text]") {
  CHECK(has("ticket #A-12345 again", "#A-12345", TokenKind::id));
  CHECK(has("order ORD-99812 late", "ORD-99812", TokenKind::id));
  CHECK(has("INC0012345 reopened", "INC0012345", TokenKind::id));
  CHECK(has("code AB12-CD34.", "AB12-CD34", TokenKind::id));
  CHECK(has("#12345", "#12345", TokenKind::id));
}

TEST_CASE("numbers, prices, percentages and versions", "[text]") {
  CHECK(has("paid $1,299.00 twice", "$1,299.00", TokenKind::number));
  CHECK(has("only \xE2\x82\xAC"
            "5",
            "\xE2\x82\xAC"
            "5",
            TokenKind::number));
  CHECK(has("\xC2\xA3"
            "12.50 fee",
            "\xC2\xA3"
            "12.50",
            TokenKind::number));
  CHECK(has("a 12.5% discount", "12.5%", TokenKind::number));
  CHECK(has("update to v2.3.1 now", "v2.3.1", TokenKind::version));
  CHECK(has("iOS 10.4.2 crashes", "10.4.2", TokenKind::version));
  CHECK(has("3.14", "3.14", TokenKind::number));
}

TEST_CASE("emoticons and emoji", "[text]") {
  CHECK(has("thanks :-) bye", ":-)", TokenKind::emoticon));
  CHECK(has("sad :(", ":(", TokenKind::emoticon));
  CHECK(has("love it <3", "<3", TokenKind::emoticon));
  CHECK(has(":D great", ":D", TokenKind::emoticon));
  CHECK_FALSE(has("note:Dear", ":D", TokenKind::emoticon));
  // woman technologist with skin tone, keycap, flag, nested family
  CHECK(has("hi \xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB!",
            "\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xF0\x9F\x92\xBB", TokenKind::emoji));
  CHECK(has("#\xEF\xB8\x8F\xE2\x83\xA3", "#\xEF\xB8\x8F\xE2\x83\xA3", TokenKind::emoji));
  CHECK(has("\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",
            "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", TokenKind::emoji));
}

TEST_CASE("adversarial input: tokens cover every non-space byte, in order", "[text]") {
  const Tokenizer tok;
  std::string long_url = "https://example.com/";
  for (int i = 0; i < 20000; ++i)
    long_url += "a/";
  std::string big;
  while (big.size() < (1u << 20))
    big += "Refund ORD-12345 for bob@x.com \xF0\x9F\x98\xA1 now!! ";
  const std::vector<std::string> inputs = {
      "",
      std::string("a\0b\0\0c", 6),
      "\xFF\xFE\xFD\xC0\xAF\xED\xA0\x80", // all invalid, incl. an encoded surrogate
      "@@@ ### $$$ ::: <<<3 a@b @ # $",
      "bob@x.com. bob@.com @x.com x@y. http:// https://( www. ",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xE2\x80\x8D\xE2\x80\x8D\xF0\x9F\x91\xA9\xCC\x88\xCC\x88",
      long_url + ")).",
      big,
  };
  for (const auto& text : inputs) {
    TokenizedText t;
    tok.tokenize(text, t);
    std::size_t last = 0;
    std::string covered;
    for (const auto& token : t.tokens) {
      REQUIRE(token.begin >= last);
      REQUIRE(token.end > token.begin);
      REQUIRE(token.end <= text.size());
      REQUIRE(token.norm_end <= t.normalized_text.size());
      for (std::size_t k = last; k < token.begin; ++k) {
        const char c = text[k];
        // Skipped bytes are whitespace only.
        REQUIRE((c == ' ' || (c >= '\t' && c <= '\r') || static_cast<unsigned char>(c) >= 0x80));
      }
      last = token.end;
    }
  }
  TokenizedText t;
  const std::string url_text = long_url + ")).";
  tok.tokenize(url_text, t);
  REQUIRE_FALSE(t.tokens.empty());
  CHECK(t.tokens[0].kind == TokenKind::url);
  CHECK(t.original(t.tokens[0]) == long_url);
}

TEST_CASE("invalid bytes never merge into entities and offsets stay original", "[text]") {
  const Tokenizer tok;
  const std::string text = "\xFFORD-12345 bob@x.com\xFE";
  TokenizedText t;
  tok.tokenize(text, t);
  CHECK(t.repaired_utf8);
  bool id = false, email = false;
  for (const auto& token : t.tokens) {
    if (token.kind == TokenKind::id) {
      id = true;
      CHECK(token.begin == 1);
      CHECK(t.original(token) == "ORD-12345");
    }
    if (token.kind == TokenKind::email) {
      email = true;
      CHECK(t.original(token) == "bob@x.com");
    }
  }
  CHECK(id);
  CHECK(email);
}

TEST_CASE("entities off gives plain UAX #29 words", "[text]") {
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::nfkc_casefold});
  TokenizedText t;
  tok.tokenize("ORD-99812", t);
  REQUIRE(t.tokens.size() == 3);
  CHECK(t.original(t.tokens[0]) == "ORD");
  CHECK(t.normalized(t.tokens[0]) == "ord");
}
