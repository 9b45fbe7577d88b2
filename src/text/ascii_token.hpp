#pragma once
// Private: the per-token step of the ASCII fast path, inline so that the
// tokenizer's loop does not pay a call per token.

#include "supportnlp/text/tokenizer.hpp"

#include <cstddef>
#include <string_view>

namespace supportnlp::text::detail {

/// Kind of an all-ASCII segment that is not only letters (numbers, ids,
/// versions, punctuation, symbols).
TokenKind classify_ascii_segment(std::string_view segment) noexcept;

namespace ascii_detail {

// Per byte: A-Z folded to a-z (everything else unchanged), and flags
// kNotLetter (not A-Z/a-z) and kNotAscii (>= 0x80).
constexpr unsigned char kNotLetter = 1, kNotAscii = 2;

struct AsciiTables {
  unsigned char fold[256];
  unsigned char flags[256];
  TokenKind single[128]; // kind of a one-character ASCII token
  constexpr AsciiTables() : fold(), flags(), single() {
    // General category P* in ASCII; the other printable non-alphanumerics
    // ($ + < = > ^ ` | ~) are symbols (S*), controls are "other".
    const char* punct = "!\"#%&'()*,-./:;?@[\\]_{}";
    for (int c = 0; c < 128; ++c) {
      bool is_punct = false;
      for (const char* p = punct; *p; ++p)
        is_punct = is_punct || *p == c;
      single[c] = (c >= '0' && c <= '9')                               ? TokenKind::number
                  : ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? TokenKind::word
                  : is_punct                                           ? TokenKind::punct
                  : (c < 0x20 || c == 0x7F)                            ? TokenKind::other
                                                                       : TokenKind::symbol;
    }
    for (int c = 0; c < 256; ++c) {
      const bool upper = c >= 'A' && c <= 'Z';
      const bool lower = c >= 'a' && c <= 'z';
      fold[c] = static_cast<unsigned char>(upper ? c + 32 : c);
      flags[c] = static_cast<unsigned char>((upper || lower ? 0 : kNotLetter) |
                                            (c >= 0x80 ? kNotAscii : 0));
    }
  }
};

inline constexpr AsciiTables kAscii{};

} // namespace ascii_detail

/// For an all-ASCII, non-whitespace segment: writes its normalized form
/// (segment.size() bytes, A-Z folded if `fold`) to `out`, sets `kind` and
/// returns true. Returns false if the segment holds non-ASCII bytes (the
/// bytes written to `out` are then meaningless).
inline bool ascii_token(std::string_view seg, bool fold, char* out, TokenKind& kind) {
  using namespace ascii_detail;
  // One pass: copy, fold A-Z if asked and collect flags; the common
  // all-letter word is decided without classify_ascii_segment(). (A
  // word-at-a-time version of this loop measured slower: most tokens are
  // shorter than eight bytes.)
  const auto* src = reinterpret_cast<const unsigned char*>(seg.data());
  auto* dst = reinterpret_cast<unsigned char*>(out);
  const std::size_t n = seg.size();
  unsigned flags = 0;
  if (fold) {
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char c = src[i];
      flags |= kAscii.flags[c];
      dst[i] = kAscii.fold[c];
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char c = src[i];
      flags |= kAscii.flags[c];
      dst[i] = c;
    }
  }
  if (flags & kNotAscii) return false;
  if (!(flags & kNotLetter))
    kind = TokenKind::word;
  else if (n == 1)
    kind = kAscii.single[src[0]];
  else
    kind = classify_ascii_segment(seg);
  return true;
}

} // namespace supportnlp::text::detail
