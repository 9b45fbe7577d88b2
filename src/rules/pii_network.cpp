// Emails and IP addresses: the PII kinds with a formal syntax (RFC 5321
// addresses in their common ASCII form, RFC 791 dotted quads, RFC 4291 IPv6
// text forms). Each finder only starts at a token boundary and skips a failed
// candidate as a whole, so the scan stays linear on adversarial input.
#include "pii_rules.hpp"

#include <cstring>

namespace supportnlp::rules::detail {

namespace {

bool is_local_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(char c) noexcept {
  return is_alnum(c) || c == '-' || c == '.';
}

// Checks "label.label.tld": labels of 1-63 letters, digits and inner
// hyphens; a top-level domain of two or more letters.
bool valid_domain(std::string_view d) noexcept {
  if (d.empty() || d.size() > 253) return false;
  std::size_t labels = 0, start = 0;
  while (start <= d.size()) {
    std::size_t dot = d.find('.', start);
    if (dot == std::string_view::npos) dot = d.size();
    const std::string_view label = d.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    ++labels;
    if (dot == d.size()) {
      if (label.size() < 2) return false;
      for (char c : label)
        if (!is_alpha(c)) return false;
      break;
    }
    start = dot + 1;
  }
  return labels >= 2;
}

} // namespace

void find_emails(std::string_view text, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  std::size_t from = 0;
  while (from < n) {
    const void* hit = std::memchr(text.data() + from, '@', n - from);
    if (!hit) break;
    const std::size_t a = std::size_t(static_cast<const char*>(hit) - text.data());
    from = a + 1;
    // Local part: at most 64 characters, no leading/trailing dot.
    std::size_t l = a;
    while (l > 0 && is_local_char(text[l - 1]) && a - l < 64)
      --l;
    if (l > 0 && is_local_char(text[l - 1])) continue; // longer than 64
    while (l < a && (text[l] == '.' || text[l] == '-' || text[l] == '+'))
      ++l;
    if (l == a || text[a - 1] == '.') continue;
    if (!out.empty() && out.back().end > l) continue;
    // Domain: trailing dots and hyphens are punctuation of the sentence.
    std::size_t r = a + 1;
    while (r < n && is_domain_char(text[r]) && r - a <= 253)
      ++r;
    if (r < n && is_domain_char(text[r])) continue; // longer than 253
    while (r > a + 1 && (text[r - 1] == '.' || text[r - 1] == '-'))
      --r;
    if (!valid_domain(text.substr(a + 1, r - a - 1))) continue;
    if (text.substr(l, a - l).find("..") != std::string_view::npos) continue;
    out.push_back({std::uint32_t(l), std::uint32_t(r), PiiKind::email});
    from = r;
  }
}

namespace {

// One decimal octet 0-255 without leading zeros, starting at p.
bool parse_octet(std::string_view s, std::size_t& p) noexcept {
  const std::size_t b = p;
  int v = 0;
  while (p < s.size() && is_digit(s[p]) && p - b < 3)
    v = v * 10 + (s[p++] - '0');
  if (p == b || (p < s.size() && is_digit(s[p]))) return false;
  if (p - b > 1 && s[b] == '0') return false;
  return v <= 255;
}

bool parse_ipv4(std::string_view s, std::size_t& p) noexcept {
  for (int k = 0; k < 4; ++k) {
    if (k > 0) {
      if (at(s, p) != '.') return false;
      ++p;
    }
    if (!parse_octet(s, p)) return false;
  }
  return true;
}

// Validates a whole candidate as an IPv6 address (RFC 4291 section 2.2):
// eight groups of 1-4 hex digits, or fewer with one "::", optionally ending
// in a dotted quad that stands for two groups.
bool valid_ipv6(std::string_view s) noexcept {
  if (s.size() < 2) return false;
  int groups = 0;
  bool compressed = false;
  bool has_decimal = false;
  std::size_t p = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    p = 2;
  }
  while (p < s.size()) {
    // Dotted-quad tail?
    std::size_t q = p;
    while (q < s.size() && is_hex(s[q]))
      ++q;
    if (q < s.size() && s[q] == '.') {
      std::size_t r = p;
      if (!parse_ipv4(s, r) || r != s.size()) return false;
      groups += 2;
      has_decimal = true;
      p = r;
      break;
    }
    if (q == p || q - p > 4) return false;
    for (std::size_t k = p; k < q; ++k)
      if (is_digit(s[k])) has_decimal = true;
    ++groups;
    p = q;
    if (p == s.size()) break;
    // s[p] == ':' here (only hex, ':' and '.' reach this function).
    if (at(s, p + 1) == ':') {
      if (compressed) return false;
      compressed = true;
      p += 2;
    } else {
      ++p;
      if (p == s.size()) return false; // trailing single colon
    }
  }
  if (compressed ? groups > 7 : groups != 8) return false;
  // Compressed forms such as "::1" or "dead::beef" are too short or too
  // word-like to be someone's address; require two groups and a digit.
  if (compressed && (groups < 2 || !has_decimal)) return false;
  return true;
}

bool ip_blocked_before(std::string_view text, std::size_t i) noexcept {
  if (i == 0) return false;
  const char c = text[i - 1];
  return is_alnum(c) || c == '_' || c == '.' || c == ':' || c == '-';
}

} // namespace

void find_ipv4(std::string_view text, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(text[i])) continue;
    std::size_t p = i;
    const bool ok = !ip_blocked_before(text, i) && parse_ipv4(text, p) &&
                    !(is_alnum(at(text, p)) || at(text, p) == '_') &&
                    !(at(text, p) == '.' && is_alnum(at(text, p + 1)));
    if (ok) {
      out.push_back({std::uint32_t(i), std::uint32_t(p), PiiKind::ipv4});
      i = p - 1;
      continue;
    }
    // Skip the rest of this dotted token ("1.2.3.4.5", "v10.0.0.1").
    while (i + 1 < n && (is_alnum(text[i + 1]) || text[i + 1] == '.'))
      ++i;
  }
}

void find_ipv6(std::string_view text, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (!is_hex(c) && c != ':') continue;
    std::size_t r = i;
    while (r < n && (is_hex(text[r]) || text[r] == ':' || text[r] == '.'))
      ++r;
    const bool blocked = ip_blocked_before(text, i) || is_alnum(at(text, r)) || at(text, r) == '_';
    const std::size_t run_end = r;
    // Sentence punctuation after an address: "at fe80::1." or "fe80::1:".
    while (r > i && text[r - 1] == '.')
      --r;
    if (r > i + 1 && text[r - 1] == ':' && text[r - 2] != ':') --r;
    if (!blocked && valid_ipv6(text.substr(i, r - i))) {
      out.push_back({std::uint32_t(i), std::uint32_t(r), PiiKind::ipv6});
    }
    i = run_end > i ? run_end - 1 : i;
    // Continue after the run, then past the rest of the word it touches.
    while (i + 1 < n && (is_alnum(text[i + 1]) || text[i + 1] == '_'))
      ++i;
  }
}

} // namespace supportnlp::rules::detail
