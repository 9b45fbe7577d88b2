#pragma once
// The individual PII rules behind PiiDetector. Each finder appends the spans
// of one kind to `out` in order of position, non-overlapping, and runs in time
// linear in the text: a candidate that fails is skipped as a whole, never
// re-scanned from each of its bytes.

#include "supportnlp/rules/pii.hpp"

#include <string_view>
#include <vector>

namespace supportnlp::rules::detail {

inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
inline bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_alnum(char c) noexcept {
  return is_digit(c) || is_alpha(c);
}
inline bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
inline char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}

/// Character at `i`, or '\0' outside the text.
inline char at(std::string_view s, std::size_t i) noexcept {
  return i < s.size() ? s[i] : '\0';
}

void find_emails(std::string_view text, std::vector<PiiSpan>& out);
void find_ipv4(std::string_view text, std::vector<PiiSpan>& out);
void find_ipv6(std::string_view text, std::vector<PiiSpan>& out);
void find_ibans(std::string_view text, std::vector<PiiSpan>& out);
void find_cards(std::string_view text, std::vector<PiiSpan>& out);
void find_phones(std::string_view text, bool use_context, std::vector<PiiSpan>& out);

/// Expected IBAN length for a country code (two upper-case letters), or 0
/// if the country does not use IBANs.
int iban_length(char a, char b) noexcept;

} // namespace supportnlp::rules::detail
