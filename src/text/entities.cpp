// Hand-written matchers for support entities. Each starts at the beginning
// of a UAX #29 segment, scans ASCII bytes only (so a match can never split a
// multi-byte character), and never reads past the end of the text.
#include "text/entities.hpp"

#include <cstring>

namespace supportnlp::text::detail {

namespace {

inline bool is_lower(unsigned char c) {
  return c >= 'a' && c <= 'z';
}
inline bool is_upper(unsigned char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_alpha(unsigned char c) {
  return is_lower(c) || is_upper(c);
}
inline bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
struct AlnumTable {
  bool is[256];
  constexpr AlnumTable() : is() {
    for (int c = 0; c < 256; ++c)
      is[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
};
inline constexpr AlnumTable kAlnum{};
inline bool is_alnum(unsigned char c) {
  return kAlnum.is[c];
}

// Byte at i, or 0 past the end.
struct Text {
  const unsigned char* s;
  std::size_t n;
  unsigned char operator[](std::size_t i) const { return i < n ? s[i] : 0; }
};

bool starts_with_ci(const Text& t, std::size_t pos, const char* lit) {
  for (std::size_t k = 0; lit[k]; ++k) {
    unsigned char c = t[pos + k];
    if (is_upper(c)) c = static_cast<unsigned char>(c + 32);
    if (c != static_cast<unsigned char>(lit[k])) return false;
  }
  return true;
}

// An entity must not run straight into a following letter or digit.
bool ends_word(const Text& t, std::size_t end) {
  const unsigned char c = t[end];
  return !(is_alnum(c) || c == '_' || c >= 0x80);
}

inline bool is_url_char(unsigned char c) {
  if (is_alnum(c)) return true;
  switch (c) {
  case '-':
  case '.':
  case '_':
  case '~':
  case ':':
  case '/':
  case '?':
  case '#':
  case '[':
  case ']':
  case '@':
  case '!':
  case '$':
  case '&':
  case '\'':
  case '(':
  case ')':
  case '*':
  case '+':
  case ',':
  case ';':
  case '=':
  case '%':
    return true;
  default:
    return false;
  }
}

// URL body from `pos`: URL characters, then trailing sentence punctuation and
// unbalanced closing brackets dropped ("(see https://x.com/a)." -> ".../a").
std::size_t url_end(const Text& t, std::size_t pos) {
  std::size_t end = pos;
  while (end < t.n && is_url_char(t[end]))
    ++end;
  for (;;) {
    if (end <= pos) break;
    const unsigned char c = t[end - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
        c == '*') {
      --end;
      continue;
    }
    if (c == ')' || c == ']') {
      const unsigned char open = c == ')' ? '(' : '[';
      int depth = 0;
      for (std::size_t k = pos; k < end; ++k) {
        if (t[k] == open) ++depth;
        if (t[k] == c) --depth;
      }
      if (depth < 0) {
        --end;
        continue;
      }
    }
    break;
  }
  return end;
}

// Domain "label(.label)+" with an alphabetic TLD of >= 2 letters; returns its
// end or pos. Labels: alnum and inner hyphens.
std::size_t domain_end(const Text& t, std::size_t pos) {
  std::size_t i = pos, last_label = pos, end = pos;
  int labels = 0;
  for (;;) {
    const std::size_t label = i;
    while (is_alnum(t[i]) || (t[i] == '-' && i > label && is_alnum(t[i + 1])))
      ++i;
    if (i == label) break;
    ++labels;
    last_label = label;
    end = i;
    if (t[i] == '.' && is_alnum(t[i + 1]))
      ++i;
    else
      break;
  }
  if (labels < 2) return pos;
  std::size_t letters = 0;
  for (std::size_t k = last_label; k < end; ++k) {
    if (!is_alpha(t[k])) return pos;
    ++letters;
  }
  return letters >= 2 ? end : pos;
}

std::size_t match_email(const Text& t, std::size_t pos) {
  std::size_t i = pos;
  auto local = [](unsigned char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  while (local(t[i]))
    ++i;
  if (i == pos || t[i] != '@' || t[i - 1] == '.') return pos;
  const std::size_t end = domain_end(t, i + 1);
  return end > i + 1 ? end : pos;
}

std::size_t match_mention(const Text& t, std::size_t pos) {
  std::size_t i = pos + 1;
  while (is_alnum(t[i]) || t[i] == '_' ||
         ((t[i] == '.' || t[i] == '-') && (is_alnum(t[i + 1]) || t[i + 1] == '_')))
    ++i;
  return i > pos + 1 && ends_word(t, i) ? i : pos;
}

// "#refund" is a hashtag, "#A-12345" and "#12345" are ids.
std::size_t match_hash(const Text& t, std::size_t pos, TokenKind& kind) {
  std::size_t i = pos + 1;
  bool digit = false, letter = false, hyphen = false;
  while (is_alnum(t[i]) || t[i] == '_' || (t[i] == '-' && is_alnum(t[i + 1]) && i > pos + 1)) {
    digit = digit || is_digit(t[i]);
    letter = letter || is_alpha(t[i]);
    hyphen = hyphen || t[i] == '-';
    ++i;
  }
  if (i == pos + 1 || !ends_word(t, i)) return pos;
  if (digit && (hyphen || is_digit(t[pos + 1])))
    kind = TokenKind::id;
  else if (letter)
    kind = TokenKind::hashtag;
  else
    return pos;
  return i;
}

// Digits with thousands separators and decimals: "1,299.00", "5", "12.5".
std::size_t number_end(const Text& t, std::size_t pos) {
  std::size_t i = pos;
  if (!is_digit(t[i])) return pos;
  while (is_digit(t[i]) || ((t[i] == ',' || t[i] == '.') && is_digit(t[i + 1])))
    ++i;
  return i;
}

// "ORD-99812", "SR-12345", "AB12-CD34": upper-case/digit groups joined by
// single hyphens, with letters and at least two digits in all.
std::size_t match_hyphen_id(const Text& t, std::size_t pos) {
  std::size_t i = pos;
  int groups = 0, digits = 0, letters = 0;
  for (;;) {
    const std::size_t g = i;
    while (is_upper(t[i]) || is_digit(t[i])) {
      digits += is_digit(t[i]);
      letters += is_upper(t[i]);
      ++i;
    }
    if (i == g) return pos;
    ++groups;
    if (t[i] == '-' && (is_upper(t[i + 1]) || is_digit(t[i + 1])))
      ++i;
    else
      break;
  }
  if (groups < 2 || letters == 0 || digits < 2 || !ends_word(t, i)) return pos;
  return i;
}

std::size_t match_emoticon(const Text& t, std::size_t pos) {
  static const char* const kEmoticons[] = {":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ";-)",
                                           ":'(", ":)",  ":(",  ":D",  ":P",  ":p",  ":/",
                                           ":|",  ";)",  "=)",  "=(",  "<3",  "</3"};
  // Only between spaces (or text edges and final punctuation): "a:b" or
  // "http://" are not faces.
  if (pos > 0 &&
      !(t[pos - 1] == ' ' || t[pos - 1] == '\n' || t[pos - 1] == '\t' || t[pos - 1] == '\r'))
    return pos;
  for (const char* e : kEmoticons) {
    const std::size_t len = std::strlen(e);
    if (pos + len > t.n || std::memcmp(t.s + pos, e, len) != 0) continue;
    const unsigned char next = t[pos + len];
    if (next == 0 || next == ' ' || next == '\n' || next == '\t' || next == '\r' || next == '.' ||
        next == ',' || next == '!' || next == '?')
      return pos + len;
  }
  return pos;
}

std::size_t currency_length(const Text& t, std::size_t pos) {
  const unsigned char c = t[pos];
  if (c == '$') return 1;
  if (c == 0xC2 && (t[pos + 1] == 0xA3 || t[pos + 1] == 0xA5)) return 2; // £ ¥
  if (c == 0xE2 && t[pos + 1] == 0x82 && t[pos + 2] == 0xAC) return 3;   // €
  return 0;
}

} // namespace

std::size_t match_entity(std::string_view text, std::size_t pos, TokenKind& kind) noexcept {
  const Text t{reinterpret_cast<const unsigned char*>(text.data()), text.size()};
  if (pos >= t.n) return pos;
  const unsigned char c = t[pos];
  const unsigned char prev = pos > 0 ? t[pos - 1] : 0;
  // Entities start at a word start: "a@b" or "x#1" are not mentions or tags.
  if (is_alnum(prev) || prev == '_') return pos;

  if (is_alnum(c)) {
    // URL with scheme, or www.
    if ((c == 'h' || c == 'H') &&
        (starts_with_ci(t, pos, "http://") || starts_with_ci(t, pos, "https://"))) {
      const std::size_t body = pos + (t[pos + 4] == ':' ? 7 : 8);
      const std::size_t end = url_end(t, body);
      if (end > body) {
        kind = TokenKind::url;
        return end;
      }
      return pos;
    }
    if ((c == 'w' || c == 'W') && starts_with_ci(t, pos, "www.")) {
      const std::size_t end = url_end(t, pos + 4);
      if (domain_end(t, pos) > pos) {
        kind = TokenKind::url;
        return end;
      }
    }
    // Cheap rejection of ordinary words: only a run followed by one of these
    // can be an email, a domain with a path, an id or a percentage.
    std::size_t r = pos;
    while (r < t.n && kAlnum.is[t.s[r]])
      ++r;
    const unsigned char after = t[r];
    if (!(after == '@' || after == '.' || after == '-' || after == '+' || after == '%' ||
          after == '_' || after == ','))
      return pos;
    if (std::size_t e = match_email(t, pos); e > pos) {
      kind = TokenKind::email;
      return e;
    }
    if (std::size_t d = domain_end(t, pos); d > pos && t[d] == '/') {
      kind = TokenKind::url;
      return url_end(t, pos);
    }
    if (std::size_t e = match_hyphen_id(t, pos); e > pos) {
      kind = TokenKind::id;
      return e;
    }
    if (is_digit(c)) {
      const std::size_t e = number_end(t, pos);
      if (t[e] == '%') {
        kind = TokenKind::number;
        return e + 1;
      }
    }
    return pos;
  }
  switch (c) {
  case '@':
    if (std::size_t e = match_mention(t, pos); e > pos) {
      kind = TokenKind::mention;
      return e;
    }
    return pos;
  case '#':
    return match_hash(t, pos, kind);
  case ':':
  case ';':
  case '=':
  case '<':
    if (std::size_t e = match_emoticon(t, pos); e > pos) {
      kind = TokenKind::emoticon;
      return e;
    }
    return pos;
  default:
    break;
  }
  if (const std::size_t cur = currency_length(t, pos); cur > 0) {
    std::size_t start = pos + cur;
    if (t[start] == ' ' && cur == 1) return pos; // "$ 5" stays apart
    const std::size_t e = number_end(t, start);
    if (e > start) {
      kind = TokenKind::number;
      return e;
    }
  }
  return pos;
}

} // namespace supportnlp::text::detail
