// The tokenizer takes hints from the segmenter (a segment is white space, or
// ASCII letters and digits only) to skip work for common words, with and
// without entity rules. Its tokens must be exactly those of the plain
// definition: every UAX #29 segment (word_boundaries) in turn, an entity
// where match_entity finds one, the segment's kind from classify_segment,
// and ICU's NFKC_Casefold of the token's text.
#include "text/entities.hpp"
#include "text/segmenter.hpp"

#include "../../benchmarks/corpus/support_corpus.hpp"

#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace supportnlp::text;

namespace {

struct PlainToken {
  std::uint32_t begin, end;
  TokenKind kind;
  std::string normalized;
  bool operator==(const PlainToken& o) const {
    return begin == o.begin && end == o.end && kind == o.kind && normalized == o.normalized;
  }
};

// The plain definition, for valid UTF-8.
std::vector<PlainToken> reference_tokens(const std::string& text, bool entities) {
  const Tokenizer segmenter(TokenizerOptions{false, true, NormalizationForm::none});
  const Normalizer fold(NormalizationForm::nfkc_casefold);
  const std::vector<std::uint32_t> bounds = segmenter.word_boundaries(text);
  std::vector<PlainToken> out;
  std::uint32_t begin = 0, consumed = 0;
  auto push = [&](std::uint32_t b, std::uint32_t e, TokenKind kind) {
    out.push_back({b, e, kind, fold.normalize(std::string_view(text).substr(b, e - b)).text});
  };
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    const std::uint32_t end = bounds[i];
    if (end <= consumed) {
      begin = end;
      continue;
    }
    if (begin < consumed) begin = consumed;
    const auto c0 = static_cast<unsigned char>(text[begin]);
    if (c0 == ' ' || (c0 >= '\t' && c0 <= '\r')) {
      begin = end;
      continue;
    }
    if (entities) {
      TokenKind kind;
      const std::size_t e = detail::match_entity(text, begin, kind);
      if (e > begin) {
        push(begin, std::uint32_t(e), kind);
        consumed = std::uint32_t(e);
        if (e >= end) {
          begin = end;
          continue;
        }
        begin = std::uint32_t(e);
      }
    }
    TokenKind kind;
    if (detail::classify_segment(std::string_view(text).substr(begin, end - begin), kind))
      push(begin, end, kind);
    begin = end;
  }
  return out;
}

std::vector<PlainToken> tokens_of(const Tokenizer& tok, const std::string& text) {
  const TokenizedText t = tok.tokenize(text);
  std::vector<PlainToken> out;
  for (const Token& k : t.tokens)
    out.push_back({k.begin, k.end, k.kind, std::string(t.normalized(k))});
  return out;
}

const char* const kFragments[] = {"a",
                                  "Zq",
                                  "hello",
                                  "Refund",
                                  "ORD-",
                                  "12345",
                                  "INC0012345",
                                  "http://",
                                  "https://",
                                  "www.",
                                  "example",
                                  ".com",
                                  "/path",
                                  "@",
                                  "#",
                                  "bob",
                                  "_",
                                  " ",
                                  " ",
                                  " ",
                                  "  ",
                                  "\n",
                                  "\r\n",
                                  "\t",
                                  ",",
                                  ".",
                                  "-",
                                  "+",
                                  "%",
                                  "'",
                                  ":",
                                  ";",
                                  "!",
                                  "?",
                                  "(",
                                  ")",
                                  "$",
                                  "\xE2\x82\xAC",
                                  "\xC3\xA9",
                                  "\xC3\x89T\xC3\x89",
                                  "\xF0\x9F\x98\x80",
                                  "v2.3.1",
                                  "3.50",
                                  "1,299.00",
                                  ":-)",
                                  "<3",
                                  "USD ",
                                  "\xE6\x88\x91\xE7\x9A\x84",
                                  "\xE2\x80\x99",
                                  "h",
                                  "w",
                                  "http",
                                  "www",
                                  "x@y"};

} // namespace

TEST_CASE("tokenizer equals the plain segment-by-segment definition", "[conformance]") {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> len(0, 14);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(kFragments) - 1);
  for (const bool entities : {false, true}) {
    const Tokenizer tok(TokenizerOptions{entities, true, NormalizationForm::nfkc_casefold});
    int mismatches = 0;
    for (int iter = 0; iter < 20000; ++iter) {
      std::string s;
      for (int k = len(rng); k > 0; --k)
        s += kFragments[pick(rng)];
      if (tokens_of(tok, s) != reference_tokens(s, entities)) {
        ++mismatches;
        UNSCOPED_INFO("entities " << entities << ": mismatch on \"" << s << "\"");
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("tokenizer equals the plain definition on the support corpus", "[conformance]") {
  const std::string corpus = supportnlp::bench::support_corpus(300000, 5);
  for (const bool entities : {false, true}) {
    const Tokenizer tok(TokenizerOptions{entities, true, NormalizationForm::nfkc_casefold});
    CHECK(tokens_of(tok, corpus) == reference_tokens(corpus, entities));
  }
}
