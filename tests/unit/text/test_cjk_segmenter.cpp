// Our CJK dictionary segmentation (cjk_dictionary.cpp) must give exactly
// ICU's word boundaries: on the CJK text of the benchmark corpus and short
// texts, and on random strings mixing Han, Hiragana, Katakana (half-width,
// prolonged sound marks, iteration marks, characters NFKC expands or
// changes, supplementary ideographs) with Latin, digits, punctuation, space,
// emoji and the characters whose rules reach across CJK (ExtendNumLet,
// Extend, Format, ZWJ). ICU is the reference: icu_word_boundaries() hands
// the whole string to its word BreakIterator.
#include "../../common/word_boundaries.hpp"
#include "text/cjk_dictionary.hpp"
#include "text/segmenter.hpp"
#include "text/word_rules.hpp"

#include "../../../benchmarks/corpus/support_corpus.hpp"

#include "supportnlp/text/tokenizer.hpp"

#include <catch2/catch.hpp>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace supportnlp::text;

namespace {

constexpr auto* icu_only = &testing::icu_word_boundaries_of;
constexpr auto* ours = &testing::fast_word_boundaries_of;

// How many CJK runs of `s` our dictionary path takes (0: all went to ICU).
int runs_taken(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::uint8_t* table = detail::wb::class_table();
  int taken = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t k = detail::wb::cjk_run_end(p, i, s.size(), table);
    if (k > i) {
      ++taken;
      i = k;
    } else {
      ++i;
      while (i < s.size() && (p[i] & 0xC0) == 0x80)
        ++i;
    }
  }
  return taken;
}

bool has_cjk(const std::string& s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0xE3 && static_cast<unsigned char>(s[i]) <= 0xE9)
      return true;
  return false;
}

// Pieces of the random strings. Words the dictionary knows, so that the
// search has real choices to make, and single characters around them.
const char* const kCjkPieces[] = {
    "我",         "的",         "订单",
    "还没有",     "到",         "请",
    "帮我",       "查一下",     "注文",
    "した",       "商品",       "が",
    "届きません", "東京",       "大学",
    "生活",       "中国",       "人民",
    "銀行",       "電話",       "番号",
    "問い合わせ", "ありがとう", "ございます",
    "お",         "の",         "に",
    "は",         "を",         "です",
    "ます",       "サーバー",   "アカウント",
    "パスワード", "ログイン",   "メール",
    "サポート",   "テスト",     "コンピューター",
    "ー",               // U+30FC prolonged sound mark
    "ヽ",         "ヾ", // katakana iteration marks
    "ゝ",         "ゞ", // hiragana iteration marks
    "々",         "〻", // ideographic iteration marks (Word_Break ALetter)
    "〆",         "〇", // U+3006 (Common), U+3007 (Han)
    "ｱｶｳﾝﾄ",      "ｻｰﾋﾞｽ",      "ﾃｽﾄ",
    "ｰ",                             // half-width katakana, U+FF70, voiced mark U+FF9E
    "ﾟ",                             // U+FF9F
    "㌀",         "㋐",         "🈀", // NFKC expands / changes these
    "豈",         "⼀",              // U+F900 compatibility ideograph, U+2F00 Kangxi radical
    "𠀀",         "𪚲",              // supplementary ideographs
    "ヿ",         "・",         "゛",
    "゠",                   // U+30FF, U+30FB, U+309B, U+30A0
    "가",         "한국어", // Hangul (another engine, left to ICU)
    "ไทย",                  // Thai (another engine, left to ICU)
};

const char* const kOtherPieces[] = {
    " ",
    " ",
    "\n",
    "\r\n",
    "\t",
    "　", // U+3000 ideographic space
    "a",
    "Z",
    "word",
    "é",
    "9",
    "42",
    "١", // Arabic-Indic digit
    ".",
    ",",
    "'",
    ":",
    "-",
    "_",
    "@",
    "!",
    "?",
    "(",
    ")",
    "。",
    "、",
    "，",
    "！",
    "「",
    "」",
    "・",
    "＿",
    "０",
    "Ａ", // full-width forms
    "😀",
    "👍🏽",
    "🇫🇷",
    "\xE2\x80\x8D", // ZWJ
    "\xCC\x81",     // U+0301 combining acute (Extend)
    "\xE3\x82\x99", // U+3099 combining voiced mark
    "\xE2\x81\xA0", // U+2060 word joiner (Format)
    "\xEF\xB8\x8F", // U+FE0F variation selector
};

} // namespace

TEST_CASE("the CJK dictionary of ICU's break engine is loaded", "[text]") {
  REQUIRE(detail::cjk::available());
  using detail::cjk::flags;
  CHECK((flags(U'漢') & detail::cjk::kStart) != 0);
  CHECK((flags(U'の') & detail::cjk::kStart) != 0);
  CHECK((flags(U'ア') & detail::cjk::kStart) != 0);
  CHECK((flags(0x30FC) & detail::cjk::kInner) != 0);  // ー: Common script, continues a run only
  CHECK((flags(0xFF9E) & detail::cjk::kStart) == 0);  // half-width voiced mark: never starts one
  CHECK((flags(0x3099) & ~detail::cjk::kKnown) == 0); // combining voiced mark: left to ICU
  CHECK((flags(U'a') & ~detail::cjk::kKnown) == 0);
  CHECK((flags(0x3300) & detail::cjk::kNormalized) == 0); // ㌀: NFKC expands it
}

TEST_CASE("CJK runs of the benchmark corpus are segmented as ICU does", "[text]") {
  const std::string corpus = supportnlp::bench::support_corpus(1 << 20, 2026);
  REQUIRE(runs_taken(corpus) > 1000);
  CHECK(ours(corpus) == icu_only(corpus));
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::none});
  CHECK(tok.word_boundaries(corpus) == icu_only(corpus));
}

TEST_CASE("short texts with CJK are segmented as ICU does", "[text]") {
  const auto texts = supportnlp::bench::support_texts(20000, 7);
  int with_cjk = 0, mismatches = 0;
  for (const auto& t : texts) {
    if (!has_cjk(t)) continue;
    ++with_cjk;
    REQUIRE(runs_taken(t) > 0);
    if (ours(t) != icu_only(t)) {
      ++mismatches;
      UNSCOPED_INFO("mismatch on \"" << t << "\"");
    }
  }
  CHECK(with_cjk > 1000);
  CHECK(mismatches == 0);
}

TEST_CASE("short texts with CJK get the benchmark peer's boundaries", "[text]") {
  // The peer of bench_text exactly: ICU's root word rules over UTF-8.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  REQUIRE(U_SUCCESS(status));
  UText ut = UTEXT_INITIALIZER;
  const auto texts = supportnlp::bench::support_texts(20000, 7);
  int with_cjk = 0, mismatches = 0;
  for (const auto& t : texts) {
    if (!has_cjk(t)) continue;
    ++with_cjk;
    utext_openUTF8(&ut, t.data(), std::int64_t(t.size()), &status);
    bi->setText(&ut, status);
    REQUIRE(U_SUCCESS(status));
    std::vector<std::uint32_t> peer{0};
    bi->first();
    for (std::int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next())
      peer.push_back(std::uint32_t(p));
    if (ours(t) != peer) {
      ++mismatches;
      UNSCOPED_INFO("mismatch on \"" << t << "\"");
    }
  }
  utext_close(&ut);
  CHECK(with_cjk > 1000);
  CHECK(mismatches == 0);
}

TEST_CASE("random CJK, Latin, digit, punctuation and emoji mixes are segmented as ICU does",
          "[text]") {
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> len(0, 24);
  std::uniform_int_distribution<std::size_t> pick_cjk(0, std::size(kCjkPieces) - 1);
  std::uniform_int_distribution<std::size_t> pick_other(0, std::size(kOtherPieces) - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  int mismatches = 0, taken = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    // Some strings are nearly all CJK (long runs), others mostly other text.
    const int cjk_share = iter % 3 == 0 ? 90 : iter % 3 == 1 ? 60 : 30;
    std::string s;
    for (int k = len(rng); k > 0; --k)
      s += percent(rng) < cjk_share ? kCjkPieces[pick_cjk(rng)] : kOtherPieces[pick_other(rng)];
    taken += runs_taken(s) > 0;
    if (ours(s) != icu_only(s)) {
      ++mismatches;
      UNSCOPED_INFO("mismatch on \"" << s << "\"");
    }
  }
  CHECK(taken > 3000); // the dictionary path, not the ICU fallback, was tested
  CHECK(mismatches == 0);
}

TEST_CASE("CJK runs right after a stretch ICU segments are segmented as ICU does", "[text]") {
  // Emoji sequences, regional indicators and combining marks go to ICU;
  // a CJK run right after them starts where that stretch may end.
  const char* const before[] = {"👨\u200d💻", "🇫🇷", "👍🏽", "❤️", "é\u0301", "a\u2060",
                                "\u200d",   "ｶﾞ", "_",        "〆",     "x_"};
  const char* const run[] = {"我的订单还没有到", "注文した商品が届きません", "サーバー", "ｻｰﾋﾞｽ"};
  const char* const gap[] = {"", " ", "。", " a ", "\n"};
  for (const char* b : before)
    for (const char* g : gap)
      for (const char* r : run) {
        const std::string s = std::string("x ") + b + g + r + "。" + b;
        CHECK(ours(s) == icu_only(s));
      }
}

TEST_CASE("long CJK runs and the Katakana run limit are segmented as ICU does", "[text]") {
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::size_t> pick(0, 39); // the plain CJK words above
  for (int iter = 0; iter < 200; ++iter) {
    std::string s = "a ";
    const int words = 1 + iter % 60;
    for (int k = 0; k < words; ++k)
      s += kCjkPieces[pick(rng)];
    s += " b";
    CHECK(ours(s) == icu_only(s));
  }
  // Runs of thousands of characters (one rule segment, one search).
  for (int iter = 0; iter < 3; ++iter) {
    std::string s = "x ";
    for (int k = 0; k < 2000; ++k)
      s += kCjkPieces[pick(rng)];
    CHECK(ours(s) == icu_only(s));
  }
  // Katakana runs around the 20-character group limit of the cost model.
  for (int n = 1; n <= 45; ++n) {
    std::string s;
    for (int k = 0; k < n; ++k)
      s += k % 3 == 0 ? "ア" : k % 3 == 1 ? "ー" : "テ";
    CHECK(ours(s) == icu_only(s));
    CHECK(ours("注文" + s + "です") == icu_only("注文" + s + "です"));
  }
}

TEST_CASE("every string of up to four characters around CJK runs is segmented as ICU does",
          "[text]") {
  // Each character a rule or the dictionary engine treats differently at a
  // run's edge or inside it.
  const char* const alphabet[] = {
      "漢",           "字", "の", "ア", "ｱ", "ー", "ｰ", "ﾞ", "ﾟ",
      "々",           "㌀", "〆", "・", "a", "1",  "_", " ", "\xCC\x81", // U+0301 (Extend)
      "\xE3\x82\x99", // U+3099 (Extend, Inherited script)
  };
  constexpr std::size_t k = std::size(alphabet);
  int mismatches = 0;
  std::string s;
  for (std::size_t len = 1; len <= 4; ++len) {
    std::size_t total = 1;
    for (std::size_t i = 0; i < len; ++i)
      total *= k;
    for (std::size_t code = 0; code < total; ++code) {
      s.clear();
      for (std::size_t i = 0, c = code; i < len; ++i, c /= k)
        s += alphabet[c % k];
      if (ours(s) != icu_only(s)) {
        ++mismatches;
        UNSCOPED_INFO("mismatch on \"" << s << "\"");
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("CJK segmentation from several threads at once gives the single-thread result",
          "[text]") {
  // Character flags and first-character trie states are filled on first
  // use by whichever thread gets there; the results must not depend on it.
  std::vector<std::string> texts;
  for (const char* a : kCjkPieces)
    for (const char* b : kCjkPieces)
      texts.push_back(std::string(a) + b + "。" + b + a);
  std::vector<std::vector<std::uint32_t>> expected;
  for (const auto& t : texts)
    expected.push_back(icu_only(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::size_t at = (i * 7 + std::size_t(k) * 1013) % texts.size();
        if (ours(texts[at]) != expected[at]) ++mismatches[std::size_t(k)];
      }
    });
  for (auto& t : threads)
    t.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
