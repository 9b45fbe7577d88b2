// UTF-8 validation and repair following the Unicode Standard §3.9 (Table 3-7
// well-formed byte sequences; U+FFFD substitution of maximal subparts).
#include "supportnlp/text/utf8.hpp"

#include "text/utf8_internal.hpp"

#include <cstdint>
#include <cstring>

namespace supportnlp::text {

namespace detail {

std::size_t invalid_sequence_length(std::string_view text, std::size_t pos) noexcept {
  // Called only where decoding failed: returns the length of the maximal
  // subpart (a valid prefix of a well-formed sequence), at least 1.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const unsigned char b0 = s[pos];
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  std::size_t len = 1;
  for (std::size_t k = 0; k < need; ++k) {
    if (pos + len >= n) break;
    const unsigned char c = s[pos + len];
    const unsigned char l = k == 0 ? lo : 0x80;
    const unsigned char h = k == 0 ? hi : 0xBF;
    if (c < l || c > h) break;
    ++len;
  }
  return len;
}

} // namespace detail

char32_t decode_utf8(std::string_view text, std::size_t& pos) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const unsigned char b0 = s[pos];
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (pos + 1 < n && (s[pos + 1] & 0xC0) == 0x80) {
      char32_t cp = (char32_t(b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F);
      pos += 2;
      return cp;
    }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    if (pos + 2 < n && s[pos + 1] >= lo && s[pos + 1] <= hi && (s[pos + 2] & 0xC0) == 0x80) {
      char32_t cp =
          (char32_t(b0 & 0x0F) << 12) | (char32_t(s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
      pos += 3;
      return cp;
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (pos + 3 < n && s[pos + 1] >= lo && s[pos + 1] <= hi && (s[pos + 2] & 0xC0) == 0x80 &&
        (s[pos + 3] & 0xC0) == 0x80) {
      char32_t cp = (char32_t(b0 & 0x07) << 18) | (char32_t(s[pos + 1] & 0x3F) << 12) |
                    (char32_t(s[pos + 2] & 0x3F) << 6) | (s[pos + 3] & 0x3F);
      pos += 4;
      return cp;
    }
  }
  pos += detail::invalid_sequence_length(text, pos);
  return 0xFFFD;
}

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  // Runs once over every text the tokenizer sees, so the well-formed
  // sequences of Table 3-7 are checked inline rather than decoded.
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    // Skip ASCII sixteen bytes at a time.
    while (pos + 16 <= n) {
      std::uint64_t a, b;
      std::memcpy(&a, s + pos, 8);
      std::memcpy(&b, s + pos + 8, 8);
      if ((a | b) & 0x8080808080808080ULL) break;
      pos += 16;
    }
    while (pos < n && s[pos] < 0x80)
      ++pos;
    if (pos >= n) break;
    const unsigned char b0 = s[pos];
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      if (pos + 1 < n && (s[pos + 1] & 0xC0) == 0x80) {
        pos += 2;
        continue;
      }
      return pos;
    }
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
      if (pos + 2 < n && s[pos + 1] >= lo && s[pos + 1] <= hi && (s[pos + 2] & 0xC0) == 0x80) {
        pos += 3;
        continue;
      }
      return pos;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
      if (pos + 3 < n && s[pos + 1] >= lo && s[pos + 1] <= hi && (s[pos + 2] & 0xC0) == 0x80 &&
          (s[pos + 3] & 0xC0) == 0x80) {
        pos += 4;
        continue;
      }
      return pos;
    }
    return pos;
  }
  return n;
}

bool is_valid_utf8(std::string_view text) noexcept {
  return find_invalid_utf8(text) == text.size();
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  detail::repair_utf8_with_offsets(text, out, nullptr);
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

namespace detail {

bool repair_utf8_with_offsets(std::string_view text, std::string& out,
                              std::vector<std::uint32_t>* offsets) {
  out.clear();
  if (offsets) offsets->clear();
  const std::size_t first_bad = find_invalid_utf8(text);
  if (first_bad == text.size()) {
    out.assign(text);
    if (offsets) {
      offsets->resize(text.size() + 1);
      for (std::size_t i = 0; i <= text.size(); ++i)
        (*offsets)[i] = std::uint32_t(i);
    }
    return false;
  }
  out.reserve(text.size() + 16);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const std::size_t out_start = out.size();
    const char32_t cp = decode_utf8(text, pos);
    const bool replaced =
        cp == 0xFFFD && !(pos - start == 3 && text.compare(start, 3, "\xEF\xBF\xBD") == 0);
    if (replaced)
      out.append("\xEF\xBF\xBD");
    else
      out.append(text.data() + start, pos - start);
    if (offsets) {
      // Kept bytes map one to one; the bytes of a U+FFFD map to the start of
      // the invalid subpart it replaces.
      for (std::size_t k = out_start; k < out.size(); ++k)
        offsets->push_back(std::uint32_t(replaced ? start : start + (k - out_start)));
    }
  }
  if (offsets) offsets->push_back(std::uint32_t(text.size()));
  return true;
}

} // namespace detail

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  for (int back = 0; back < 3 && cut > 0; ++back) {
    if ((static_cast<unsigned char>(text[cut]) & 0xC0) != 0x80) break;
    --cut;
  }
  // Four continuation bytes in a row are invalid anyway: cut where asked.
  if ((static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) cut = max_bytes;
  return text.substr(0, cut);
}

} // namespace supportnlp::text
