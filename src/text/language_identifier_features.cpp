// Feature extraction of the language identifier: the code-point tables
// (built once from ICU), the token filter and the hashed n-grams.
#include "text/language_identifier_impl.hpp"

#include "cpu/hash.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>

namespace supportnlp::text::langid {
namespace {

CodepointTables build_tables() {
  CodepointTables t;
  t.fold.resize(0x10000);
  t.script.resize(0x10000, kNotLetter);
  for (UChar32 c = 0; c < 0x10000; ++c) {
    UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    if (c >= 0xFF21 && c <= 0xFF3A) f = c - 0xFF21 + 'a'; // fullwidth A-Z
    if (c >= 0xFF41 && c <= 0xFF5A) f = c - 0xFF41 + 'a'; // fullwidth a-z
    t.fold[static_cast<std::size_t>(c)] =
        f < 0x10000 ? static_cast<std::uint16_t>(f) : static_cast<std::uint16_t>(c);
    const bool alpha = u_hasBinaryProperty(c, UCHAR_ALPHABETIC) != 0;
    const bool mark = (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
    if (!alpha && !mark) continue;
    UErrorCode err = U_ZERO_ERROR;
    int s = uscript_getScript(c, &err);
    if (U_FAILURE(err) || s < 0 || s >= 250) s = kScriptCommon;
    t.script[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(s);
  }
  // Digits, currency and the like are never letters even when Alphabetic
  // (e.g. circled letters stay letters; Roman numerals are letters of Latin).
  return t;
}

constexpr std::uint64_t kSeed[kOrders] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
                                          0x165667B19E3779F9ull, 0xD6E8FEB86659FD93ull,
                                          0xFF51AFD7ED558CCDull, 0xC4CEB9FE1A85EC53ull};

inline std::uint64_t finish(std::uint64_t h, int order) noexcept {
  h ^= h >> 31;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 29;
  return (h & ~std::uint64_t{7}) | static_cast<std::uint64_t>(order);
}

inline bool is_space(unsigned char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline bool ascii_alpha(unsigned char c) noexcept {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

// Byte classes for skip_token's first pass: digit, non-ASCII, and the bytes
// that can make a token a URL, address or file name ('@', ':', '.').
constexpr std::uint8_t kDigit = 1, kNonAscii = 2, kSpecial = 4;
constexpr std::array<std::uint8_t, 256> byte_classes() {
  std::array<std::uint8_t, 256> c{};
  for (int b = '0'; b <= '9'; ++b)
    c[static_cast<std::size_t>(b)] = kDigit;
  for (int b = 0x80; b < 0x100; ++b)
    c[static_cast<std::size_t>(b)] = kNonAscii;
  c['@'] = c[':'] = c['.'] = kSpecial;
  return c;
}
constexpr std::array<std::uint8_t, 256> kByteClass = byte_classes();

// A token without language: URL, e-mail address, host name, or an ASCII
// token with a digit (order ids, numbers, times, "2FA"). Most tokens have
// none of '@', ':' and '.', and then only their digits and non-ASCII bytes
// matter: one pass of table lookups decides them.
bool skip_token(std::string_view tok) noexcept {
  unsigned classes = 0;
  for (const char ch : tok)
    classes |= kByteClass[static_cast<unsigned char>(ch)];
  if ((classes & kSpecial) == 0) return (classes & (kDigit | kNonAscii)) == kDigit;
  bool digit = false, non_ascii = false;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const auto c = static_cast<unsigned char>(tok[i]);
    if (c >= 0x80) {
      non_ascii = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '@') {
      return true;
    } else if (c == ':' && i + 2 < tok.size() && tok[i + 1] == '/' && tok[i + 2] == '/') {
      return true;
    } else if (c == '.' && i > 0 && i + 1 < tok.size() &&
               ascii_alpha(static_cast<unsigned char>(tok[i - 1])) &&
               ascii_alpha(static_cast<unsigned char>(tok[i + 1]))) {
      return true; // example.com, file.txt
    }
  }
  if (tok.size() >= 4 && (tok[0] | 0x20) == 'w' && (tok[1] | 0x20) == 'w' &&
      (tok[2] | 0x20) == 'w' && tok[3] == '.')
    return true;
  return digit && !non_ascii;
}

void emit_word(const std::vector<char32_t>& w, const FeatureConfig& cfg,
               std::vector<std::uint64_t>& out) {
  const std::size_t n = w.size();
  if (n == 0) return;
  // Padded sequence: boundary, letters, boundary (the boundary is U+0020).
  constexpr std::size_t kShort = 64;
  char32_t local[kShort + 2];
  thread_local std::vector<char32_t> long_word;
  char32_t* pad = local;
  if (n > kShort) {
    long_word.resize(n + 2);
    pad = long_word.data();
  }
  pad[0] = 0x20;
  std::copy(w.begin(), w.end(), pad + 1);
  pad[n + 1] = 0x20;
  const std::size_t len = n + 2;
  const auto max_order = static_cast<std::size_t>(cfg.max_order);
  const auto min_order = static_cast<std::size_t>(std::max(cfg.min_order, 1));
  // Features in the order of the original loop: by start, then by length.
  // A lone boundary is no feature.
  for (std::size_t i = 0; i < len; ++i) {
    const std::size_t limit = std::min(max_order, len - i);
    std::uint64_t acc = cpu::fnv1a_step(kSeed[1], pad[i]);
    if (min_order == 1 && i != 0 && i != n + 1) out.push_back(finish(acc ^ kSeed[1], 1));
    for (std::size_t k = 2; k <= limit; ++k) {
      acc = cpu::fnv1a_step(acc, pad[i + k - 1]);
      if (k >= min_order) out.push_back(finish(acc ^ kSeed[k], static_cast<int>(k)));
    }
  }
  if (cfg.max_word_length > 0 && n <= static_cast<std::size_t>(cfg.max_word_length)) {
    std::uint64_t acc = kSeed[0];
    for (std::size_t i = 1; i <= n; ++i)
      acc = cpu::fnv1a_step(acc, pad[i]);
    out.push_back(finish(acc, 0));
  }
}

} // namespace

const CodepointTables& codepoint_tables() {
  static const CodepointTables tables = build_tables();
  return tables;
}

const char* script_name(int script) noexcept {
  if (script <= kScriptInherited || script >= 250) return "";
  const char* name = uscript_getShortName(static_cast<UScriptCode>(script));
  return name ? name : "";
}

namespace {

// Reads the whitespace tokens of `text` from byte `pos`. kCount: counts
// letters per script and notices invalid UTF-8. kHash: appends the features
// of each word, stopping after the token that brings out.hashes to `until`.
// Returns the byte where it stopped (text.size() at the end).
template <bool kCount, bool kHash>
std::size_t scan(std::string_view text, std::size_t pos, const FeatureConfig& config,
                 TextFeatures& out, std::size_t until) {
  const CodepointTables& t = codepoint_tables();
  auto& word = out.word;
  word.clear();
  // Letters are counted in registers, per run of one script, and added to
  // the tables when the script changes or the scan ends: incrementing the
  // same table entry for every letter would chain its loads and stores.
  std::uint32_t letters = 0, run_letters = 0;
  std::uint8_t run_script = kNotLetter;
  const auto flush = [&] {
    if (run_letters != 0) out.script_letters[run_script] += run_letters;
    out.letters += letters;
    letters = run_letters = 0;
  };
  const std::size_t size = text.size();
  while (pos < size) {
    if (kHash && out.hashes.size() >= until) {
      if (kCount) flush();
      return pos;
    }
    while (pos < size && is_space(static_cast<unsigned char>(text[pos])))
      ++pos;
    std::size_t end = pos;
    while (end < size && !is_space(static_cast<unsigned char>(text[end])))
      ++end;
    if (end == pos) break;
    std::string_view tok = text.substr(pos, end - pos);
    if (skip_token(tok)) {
      // Still notice invalid UTF-8 in skipped tokens.
      if (kCount && !out.repaired_utf8 && find_invalid_utf8(tok) != tok.size())
        out.repaired_utf8 = true;
      pos = end;
      continue;
    }
    std::size_t p = 0;
    while (p < tok.size()) {
      const auto b = static_cast<unsigned char>(tok[p]);
      char32_t cp;
      if (b < 0x80) {
        cp = b;
        ++p;
      } else {
        const std::size_t before = p;
        cp = decode_utf8(tok, p);
        if (kCount && cp == 0xFFFD &&
            !(p - before == 3 && static_cast<unsigned char>(tok[before]) == 0xEF &&
              static_cast<unsigned char>(tok[before + 1]) == 0xBF &&
              static_cast<unsigned char>(tok[before + 2]) == 0xBD))
          out.repaired_utf8 = true;
      }
      std::uint8_t script;
      char32_t lower = cp;
      if (cp < 0x10000) {
        script = t.script[cp];
        lower = t.fold[cp];
      } else if (cp >= 0x20000 && cp < 0x40000) {
        script = USCRIPT_HAN; // CJK extension planes
      } else {
        script = kNotLetter;
      }
      if (script == kNotLetter) {
        if (kHash) emit_word(word, config, out.hashes);
        word.clear();
        continue;
      }
      if (kCount) {
        ++letters;
        if (script != run_script) {
          if (run_letters != 0) out.script_letters[run_script] += run_letters;
          run_script = script;
          run_letters = 0;
        }
        ++run_letters;
      }
      if (kHash) {
        word.push_back(lower);
        if (word.size() == 1024) { // bound the work per word (1 MB of one letter)
          emit_word(word, config, out.hashes);
          word.clear();
        }
      }
    }
    if (kHash) emit_word(word, config, out.hashes);
    word.clear();
    pos = end;
  }
  if (kCount) flush();
  return size;
}

void reset(TextFeatures& out) {
  out.hashes.clear();
  out.script_letters.fill(0);
  out.letters = 0;
  out.repaired_utf8 = false;
}

} // namespace

void extract(std::string_view text, const FeatureConfig& config, TextFeatures& out) {
  reset(out);
  scan<true, true>(text, 0, config, out, SIZE_MAX);
}

void count_letters(std::string_view text, TextFeatures& out) {
  reset(out);
  scan<true, false>(text, 0, FeatureConfig{}, out, 0);
}

std::size_t extract_more(std::string_view text, std::size_t pos, const FeatureConfig& config,
                         TextFeatures& out, std::size_t until) {
  return scan<false, true>(text, pos, config, out, until);
}

} // namespace supportnlp::text::langid
