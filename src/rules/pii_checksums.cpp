// Payment cards (Luhn) and IBANs (ISO 13616 lengths, ISO 7064 mod-97): the
// two PII kinds whose rules carry a checksum, which is what keeps order
// numbers and other long digit runs from being redacted as card numbers.
#include "pii_rules.hpp"

#include <array>
#include <cstdint>

namespace supportnlp::rules {

using detail::at;
using detail::is_alnum;
using detail::is_alpha;
using detail::is_digit;

bool luhn_valid(std::string_view digits) noexcept {
  int sum = 0;
  int count = 0;
  for (std::size_t i = digits.size(); i-- > 0;) {
    const char c = digits[i];
    if (!is_digit(c)) continue;
    int d = c - '0';
    if (count % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++count;
  }
  return count >= 2 && sum % 10 == 0;
}

namespace detail {

namespace {

struct IbanCountry {
  char code[3];
  int length;
};

// IBAN lengths per the SWIFT IBAN registry (ISO 13616), sorted by code.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

// Value of an IBAN character in the mod-97 computation: digits as
// themselves, letters A=10 .. Z=35; -1 for anything else.
int iban_char_value(char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (is_alpha(c)) return to_upper(c) - 'A' + 10;
  return -1;
}

// ISO 7064 MOD 97-10 over the compact IBAN (no spaces) rearranged so the
// first four characters come last; valid IBANs leave remainder 1.
bool mod97_is_one(const char* compact, std::size_t n) noexcept {
  std::uint32_t rem = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const int v = iban_char_value(compact[(k + 4) % n]);
    if (v < 0) return false;
    rem = (v >= 10 ? rem * 100 : rem * 10) + std::uint32_t(v);
    rem %= 97;
  }
  return rem == 1;
}

} // namespace

int iban_length(char a, char b) noexcept {
  std::size_t lo = 0, hi = sizeof(kIbanCountries) / sizeof(kIbanCountries[0]);
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const auto& c = kIbanCountries[mid];
    if (c.code[0] == a && c.code[1] == b) return c.length;
    if (c.code[0] < a || (c.code[0] == a && c.code[1] < b)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return 0;
}

void find_ibans(std::string_view text, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  std::array<char, 40> compact{};
  for (std::size_t i = 0; i + 4 <= n; ++i) {
    if (!is_alpha(text[i]) || !is_alpha(text[i + 1]) || !is_digit(text[i + 2]) ||
        !is_digit(text[i + 3]) || (i > 0 && is_alnum(text[i - 1])))
      continue;
    const int length = iban_length(to_upper(text[i]), to_upper(text[i + 1]));
    if (length == 0) continue;
    // Collect `length` characters, allowing one space after each group of
    // four (the paper format "DE89 3704 0044 ...").
    std::size_t p = i;
    int got = 0;
    while (got < length && p < n) {
      const char c = text[p];
      if (is_alnum(c)) {
        compact[std::size_t(got++)] = c;
        ++p;
      } else if (c == ' ' && got % 4 == 0 && is_alnum(at(text, p + 1))) {
        ++p;
      } else {
        break;
      }
    }
    if (got != length || is_alnum(at(text, p))) continue;
    if (!mod97_is_one(compact.data(), std::size_t(length))) continue;
    out.push_back({std::uint32_t(i), std::uint32_t(p), PiiKind::iban});
    i = p - 1;
  }
}

namespace {

// Card layouts as written by people: one run of digits, or groups of four
// with a shorter last group (Visa, Mastercard, 19-digit cards), or the
// 4-6-5 (American Express) and 4-6-4 (Diners) layouts.
bool card_layout(const std::uint8_t* groups, std::size_t count, int digits) {
  if (digits < 13 || digits > 19) return false;
  if (count == 1) return true;
  if (count == 3 && groups[0] == 4 && groups[1] == 6 && (groups[2] == 5 || groups[2] == 4))
    return true;
  for (std::size_t g = 0; g + 1 < count; ++g)
    if (groups[g] != 4) return false;
  return groups[count - 1] >= 1 && groups[count - 1] <= 4;
}

// Characters that, right before a digit run, make it part of something else:
// an id ("#", "ORD-"), an amount ("$"), a path or a decimal.
bool card_blocked_before(std::string_view text, std::size_t i) {
  if (i == 0) return false;
  const char c = text[i - 1];
  if (is_alnum(c) || c == '_' || c == '#' || c == '/' || c == '.' || c == ',' || c == '$' ||
      c == '@' || c == '+')
    return true;
  if (c == '-') return i >= 2 && is_alnum(text[i - 2]);
  return false;
}

bool card_blocked_after(std::string_view text, std::size_t p) {
  const char c = at(text, p);
  if (is_alnum(c) || c == '_' || c == '@') return true;
  if ((c == '.' || c == ',' || c == '-' || c == '/') && is_digit(at(text, p + 1))) return true;
  return false;
}

} // namespace

void find_cards(std::string_view text, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  constexpr std::size_t kMaxGroups = 8;
  std::array<std::uint8_t, kMaxGroups> groups{};
  std::array<std::size_t, kMaxGroups> group_end{};
  std::string digits;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(text[i])) continue;
    // Scan the whole run of digit groups joined by one consistent separator.
    const std::size_t begin = i;
    std::size_t count = 0;
    char sep = '\0';
    std::size_t p = i;
    digits.clear();
    while (true) {
      const std::size_t g = p;
      while (p < n && is_digit(text[p]))
        ++p;
      if (count < kMaxGroups) {
        const std::size_t len = p - g;
        groups[count] = std::uint8_t(len > 255 ? 255 : len);
        group_end[count] = p;
        if (digits.size() < 32) digits.append(text.substr(g, std::min<std::size_t>(len, 32)));
      }
      ++count;
      const char c = at(text, p);
      if ((c == ' ' || c == '-') && (sep == '\0' || sep == c) && is_digit(at(text, p + 1))) {
        sep = c;
        ++p;
        continue;
      }
      break;
    }
    i = p - 1; // whatever happens, this run is done
    if (card_blocked_before(text, begin)) continue;
    // The whole run, or failing that its longest prefix of whole groups that
    // has a card layout and a valid checksum ("4111 1111 1111 1111 2 items").
    const std::size_t usable = std::min(count, kMaxGroups);
    for (std::size_t k = usable; k >= 1; --k) {
      int total = 0;
      for (std::size_t g = 0; g < k; ++g)
        total += groups[g];
      if (!card_layout(groups.data(), k, total)) continue;
      const std::size_t end = group_end[k - 1];
      if (card_blocked_after(text, end) && !(k < count)) continue;
      if (k < count && sep != ' ') continue; // "4111-1111-...-9" is one token, not a card
      const std::string_view d(digits.data(), std::size_t(total));
      if (d[0] < '2' || d[0] > '6') continue; // issuer ranges: 2-6 (Mastercard..Discover)
      if (!luhn_valid(d)) continue;
      out.push_back({std::uint32_t(begin), std::uint32_t(end), PiiKind::card});
      break;
    }
  }
}

} // namespace detail

bool iban_valid(std::string_view iban) noexcept {
  char compact[40];
  std::size_t n = 0;
  for (char c : iban) {
    if (c == ' ') continue;
    if (!is_alnum(c) || n == sizeof(compact)) return false;
    compact[n++] = c;
  }
  if (n < 5 || !is_alpha(compact[0]) || !is_alpha(compact[1]) || !is_digit(compact[2]) ||
      !is_digit(compact[3]))
    return false;
  const int length =
      detail::iban_length(detail::to_upper(compact[0]), detail::to_upper(compact[1]));
  return length == int(n) && detail::mod97_is_one(compact, n);
}

} // namespace supportnlp::rules
