// The per-code-point table of BERT's normalizer and pre-tokenizer
// (bert_chars.hpp), computed from ICU once per process and options.
#include "embed/transformer/bert_chars.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>
#include <mutex>

namespace supportnlp::embed::transformer {
namespace {

// BERT's clean_text removes general category C* (Hugging Face's is_control:
// Cc, Cf, Cn, Co, Cs) except the three whitespace controls it keeps.
bool is_removed(char32_t cp) {
  if (cp == 0 || cp == 0xFFFD) return true;
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(cp));
  return (mask & (U_GC_CC_MASK | U_GC_CF_MASK | U_GC_CN_MASK | U_GC_CO_MASK | U_GC_CS_MASK)) != 0;
}

// Rust's char::is_whitespace, the White_Space property, which both the
// normalizer and the pre-tokenizer use.
bool is_whitespace(char32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ' ||
         u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0;
}

// BERT's _is_punctuation: every ASCII non-alphanumeric printable character
// (so $, +, <, =, >, ^, `, | and ~ too, which Unicode calls symbols), and
// general category P*.
bool is_punctuation(char32_t cp) {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
      (cp >= 123 && cp <= 126))
    return true;
  return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_P_MASK) != 0;
}

// BERT's _is_chinese_char: the CJK Unified Ideographs blocks and their
// compatibility blocks (not Hangul, Hiragana or Katakana).
bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

NormalizedChar make_char(char32_t cp, CharClass cls) {
  NormalizedChar c{};
  c.cls = cls;
  if (cp < 0x80) {
    c.utf8[0] = static_cast<char>(cp);
    c.size = 1;
  } else if (cp < 0x800) {
    c.utf8[0] = static_cast<char>(0xC0 | (cp >> 6));
    c.utf8[1] = static_cast<char>(0x80 | (cp & 0x3F));
    c.size = 2;
  } else if (cp < 0x10000) {
    c.utf8[0] = static_cast<char>(0xE0 | (cp >> 12));
    c.utf8[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    c.utf8[2] = static_cast<char>(0x80 | (cp & 0x3F));
    c.size = 3;
  } else {
    c.utf8[0] = static_cast<char>(0xF0 | (cp >> 18));
    c.utf8[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    c.utf8[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    c.utf8[3] = static_cast<char>(0x80 | (cp & 0x3F));
    c.size = 4;
  }
  return c;
}

constexpr char32_t kBmpEnd = 0x10000;

} // namespace

void BertCharTable::compute(char32_t cp, const BertNormalization& options,
                            std::vector<NormalizedChar>& out) {
  out.clear();
  if (is_removed(cp)) return;
  if (is_whitespace(cp)) {
    out.push_back(make_char(' ', CharClass::space));
    return;
  }
  const bool cjk = options.chinese_chars && is_cjk(cp);
  // Canonical decomposition, nonspacing marks dropped (NFD of a single code
  // point is already in canonical order).
  std::u32string chars(1, cp);
  if (options.strip_accents) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_SUCCESS(status) && nfd != nullptr) {
      icu::UnicodeString decomposed =
          nfd->normalize(icu::UnicodeString(static_cast<UChar32>(cp)), status);
      if (U_SUCCESS(status)) {
        chars.clear();
        for (int32_t i = 0; i < decomposed.length();) {
          const UChar32 c = decomposed.char32At(i);
          i += U16_LENGTH(c);
          if (u_charType(c) != U_NON_SPACING_MARK) chars.push_back(static_cast<char32_t>(c));
        }
      }
    }
  }
  for (char32_t c : chars) {
    if (options.lower_case && c == 0x130) { // the one multi-character lowercase mapping
      out.push_back(make_char('i', cjk ? CharClass::isolated : CharClass::word));
      out.push_back(make_char(0x307, cjk ? CharClass::isolated : CharClass::word));
      continue;
    }
    const char32_t lower =
        options.lower_case ? static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))) : c;
    CharClass cls = CharClass::word;
    if (cjk)
      cls = CharClass::isolated;
    else if (is_whitespace(lower))
      cls = CharClass::space;
    else if (is_punctuation(lower))
      cls = CharClass::isolated;
    out.push_back(make_char(lower, cls));
  }
}

BertCharTable::BertCharTable(const BertNormalization& options) : options_(options) {
  bmp_.resize(kBmpEnd);
  chars_.reserve(kBmpEnd + 4096);
  std::vector<NormalizedChar> one;
  for (char32_t cp = 0; cp < kBmpEnd; ++cp) {
    // Surrogates never come out of the UTF-8 decoder; they are C* anyway.
    compute(cp, options, one);
    bmp_[cp] =
        Entry{static_cast<std::uint32_t>(chars_.size()), static_cast<std::uint8_t>(one.size())};
    chars_.insert(chars_.end(), one.begin(), one.end());
  }
}

const BertCharTable& BertCharTable::get(const BertNormalization& options) {
  static std::array<std::once_flag, 8> once;
  static std::array<std::unique_ptr<const BertCharTable>, 8> tables;
  const std::size_t key = (options.lower_case ? 1u : 0u) | (options.strip_accents ? 2u : 0u) |
                          (options.chinese_chars ? 4u : 0u);
  std::call_once(once[key], [&] { tables[key].reset(new BertCharTable(options)); });
  return *tables[key];
}

const NormalizedChar* BertCharTable::map(char32_t cp, std::uint8_t& count,
                                         std::vector<NormalizedChar>& scratch) const {
  if (cp < kBmpEnd) {
    const Entry e = bmp_[cp];
    count = e.count;
    return chars_.data() + e.first;
  }
  compute(cp, options_, scratch);
  count = static_cast<std::uint8_t>(scratch.size());
  return scratch.data();
}

} // namespace supportnlp::embed::transformer
