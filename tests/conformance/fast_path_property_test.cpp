// The ASCII fast path must give exactly ICU's word boundaries: on random
// ASCII strings drawn from the characters the UAX #29 rules care about, on
// the same strings with non-ASCII characters mixed in (the junctions), and
// on the synthetic support corpus.
#include "../common/word_boundaries.hpp"
#include "text/segmenter.hpp"

#include "../../benchmarks/corpus/support_corpus.hpp"

#include "supportnlp/text/tokenizer.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace supportnlp::text;

namespace {

constexpr auto* icu_only = &testing::icu_word_boundaries_of;
constexpr auto* fast = &testing::fast_word_boundaries_of;

const char kAsciiAlphabet[] = "aZk09 .,;:'\"_-\r\n\t\x0B!?@#/()$%";

const char* const kNonAscii[] = {
    "\xC3\xA9",         // é (ALetter)
    "\xCC\x88",         // U+0308 combining diaeresis (Extend)
    "\xE2\x81\xA0",     // U+2060 word joiner (Format)
    "\xE2\x80\x8D",     // ZWJ
    "\xF0\x9F\x98\x80", // 😀 (Extended_Pictographic)
    "\xF0\x9F\x87\xAB", // regional indicator F
    "\xE9\x80\x80",     // 退 (ideograph)
    "\xE3\x82\xA2",     // ア (Katakana)
    "\xD7\x90",         // א (Hebrew_Letter)
    "\xE2\x80\x99",     // ’ (MidNumLet)
    "\xC2\xA0",         // no-break space (Other)
    "\xE3\x80\x80",     // ideographic space (WSegSpace)
    "\xEF\xBC\x8E",     // full-width full stop (MidNumLet)
    "\xD9\xA3",         // Arabic-Indic digit three (Numeric)
};

} // namespace

TEST_CASE("ASCII fast path equals ICU on random ASCII strings", "[conformance]") {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> len(0, 24);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAsciiAlphabet) - 2);
  int mismatches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    for (int k = len(rng); k > 0; --k)
      s.push_back(kAsciiAlphabet[pick(rng)]);
    if (fast(s) != icu_only(s)) {
      ++mismatches;
      UNSCOPED_INFO("mismatch on \"" << s << "\"");
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("fast path equals ICU around ASCII/non-ASCII junctions", "[conformance]") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 30);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAsciiAlphabet) - 2);
  std::uniform_int_distribution<std::size_t> pick_non(0, std::size(kNonAscii) - 1);
  std::uniform_int_distribution<int> coin(0, 7);
  int mismatches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    for (int k = len(rng); k > 0; --k) {
      if (coin(rng) == 0)
        s += kNonAscii[pick_non(rng)];
      else
        s.push_back(kAsciiAlphabet[pick(rng)]);
    }
    if (fast(s) != icu_only(s)) {
      ++mismatches;
      UNSCOPED_INFO("mismatch on \"" << s << "\"");
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("fast path equals ICU on the synthetic support corpus", "[conformance]") {
  const std::string corpus = supportnlp::bench::support_corpus(400000, 42);
  REQUIRE(corpus.size() >= 400000);
  CHECK(fast(corpus) == icu_only(corpus));
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::none});
  CHECK(tok.word_boundaries(corpus) == icu_only(corpus));
}
