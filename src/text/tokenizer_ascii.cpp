// The fast path of UAX #29 word segmentation: which characters it covers,
// and the class table it reads (the rules themselves, and the splitter that
// hands stretches around "complex" characters to ICU, are in word_rules.hpp).
//
// Most support text needs only the pairwise and Mid* rules of UAX #29:
// WB3-WB3b (CR LF Newline), WB3d (WSegSpace), WB5-WB13b over ALetter,
// Numeric, MidLetter, MidNum, MidNumLet, Single_Quote, ExtendNumLet. Those
// are implemented here over a per-code-point class table built once from
// ICU's own Word_Break property data (all of ASCII, accented Latin, Greek,
// Cyrillic, Arabic, punctuation, most symbols and single emoji). Characters
// that need more — Extend/Format/ZWJ (WB4, WB3c), regional indicators
// (WB15/16), Hebrew letters (WB7a-c), Katakana (WB13), and the scripts ICU
// segments with dictionaries (Han, Hiragana, Katakana, Hangul, Thai...) —
// are "complex": the stretch around them goes to ICU, except runs of Han,
// Hiragana and Katakana between simple characters, which ICU's own CJK
// dictionary splits without a BreakIterator (cjk_dictionary.hpp).
//
// One deviation is inherited from ICU 72 on purpose: its word rules (CLDR)
// put '@' into ALetter ("$ALetter = [\p{Word_Break=ALetter} @]"), so that
// "bob@x.com" stays one segment; WordBreakTest.txt has no '@', and the fast
// path must agree with ICU everywhere, so it does the same.
#include "text/segmenter.hpp"
#include "text/word_rules.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <memory>

namespace supportnlp::text::detail {

namespace wb {

namespace {

bool uses_dictionary(char32_t cp) {
  const UChar32 c = UChar32(cp);
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) return true;
  if (cp >= 0xAC00 && cp <= 0xD7A3) return true; // Hangul syllables
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
}

std::uint8_t class_of(char32_t cp) {
  if (cp == '@') return kALetter; // ICU/CLDR tailoring, see above
  if (uses_dictionary(cp)) return kComplex;
  switch (u_getIntPropertyValue(UChar32(cp), UCHAR_WORD_BREAK)) {
  case U_WB_OTHER:
    return kOther;
  case U_WB_CR:
    return kCR;
  case U_WB_LF:
    return kLF;
  case U_WB_NEWLINE:
    return kNewline;
  case U_WB_WSEGSPACE:
    return kSpace;
  case U_WB_ALETTER:
    return kALetter;
  case U_WB_NUMERIC:
    return kNumeric;
  case U_WB_MIDLETTER:
    return kMidLetter;
  case U_WB_MIDNUM:
    return kMidNum;
  case U_WB_MIDNUMLET:
    return kMidNumLet;
  case U_WB_SINGLE_QUOTE:
    return kSingleQuote;
  case U_WB_DOUBLE_QUOTE:
    return kDoubleQuote;
  case U_WB_EXTENDNUMLET:
    return kExtendNumLet;
  default:
    return kComplex;
  }
}

} // namespace

// Built once (thread-safe static initialization), 128 KiB.
const std::uint8_t* class_table() {
  static const std::unique_ptr<std::uint8_t[]> table = [] {
    std::unique_ptr<std::uint8_t[]> t(new std::uint8_t[kTableLimit]);
    for (char32_t cp = 0; cp < kTableLimit; ++cp)
      t[cp] = (cp >= 0xD800 && cp <= 0xDFFF) ? std::uint8_t(kComplex) : class_of(cp);
    // Extended_Pictographic matters only after a ZWJ, which is complex and
    // pulls its neighbours into the ICU stretch with it.
    return t;
  }();
  return table.get();
}

} // namespace wb

void word_boundaries_fast(std::string_view valid, std::uint32_t base,
                          std::vector<std::uint32_t>& out) {
  thread_local std::vector<std::uint32_t> icu_bounds;
  wb::VectorSink sink{out, base};
  wb::segment_words(valid, icu_bounds, sink);
}

} // namespace supportnlp::text::detail
