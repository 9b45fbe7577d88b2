// Phone numbers. Unlike the other kinds they have no checksum, and support
// text is full of digit runs that are not phones (order numbers, dates,
// prices, versions, times), so a run counts only when its *shape* says phone:
//   - international: "+" then 8-15 digits, or "00" + country code, grouped;
//   - North American: (NPA) NXX-XXXX, NPA-NXX-XXXX, 1-NPA-NXX-XXXX, with
//     area code and exchange starting 2-9;
//   - national with trunk prefix 0 ("020 7946 0958", "01 23 45 67 89",
//     "030/1234567"): 9-12 digits in two or more groups of >= 2 digits;
//   - any 7-15 digit run right after a phone word ("call me on 4155552671")
//     and not after an id word ("order number 12345678").
// Dates inside a run (dd.mm.yyyy, yyyy-mm-dd, mm/dd/yyyy) veto it.
#include "pii_rules.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace supportnlp::rules::detail {

namespace {

constexpr std::size_t kMaxGroups = 16;

struct PhoneRun {
  std::size_t begin = 0, end = 0;
  bool plus = false;
  std::size_t groups = 0;                     // may exceed kMaxGroups (then rejected)
  std::array<std::uint8_t, kMaxGroups> len{}; // digits per group (255 = more)
  std::array<char, kMaxGroups> sep_before{};  // separator before group g ('(' for "(415)")
  std::array<char, kMaxGroups> first{};       // first digit of each group
  char second = '\0';                         // second digit of the first group
  int digits = 0;
};

bool blocked_before(std::string_view text, std::size_t i) {
  if (i == 0) return false;
  const unsigned char c = static_cast<unsigned char>(text[i - 1]);
  if (c >= 0x80) return true; // "£", "€" and letters of other scripts
  return is_alnum(char(c)) || (c != 0 && std::strchr("_#@/.,-+$%&\\", char(c)) != nullptr);
}

bool blocked_after(std::string_view text, std::size_t p) {
  const char c = at(text, p);
  if (is_alnum(c) || c == '_' || c == '@' || c == '%') return true;
  if (static_cast<unsigned char>(c) >= 0x80) return true;
  if ((c == '.' || c == ',' || c == ':' || c == '-' || c == '/') && is_digit(at(text, p + 1)))
    return true;
  return false;
}

// Parses the maximal run of digit groups starting at `i` (a '+', '(' or
// digit): groups joined by one of " ", "-", ".", "/", " - ", and an optional
// parenthesised group "(415)". Returns the end of the run.
void parse_run(std::string_view text, std::size_t i, PhoneRun& run) {
  const std::size_t n = text.size();
  run = PhoneRun{};
  run.begin = i;
  std::size_t p = i;
  if (text[p] == '+') {
    run.plus = true;
    ++p;
  }
  char sep = '\0';
  while (true) {
    const std::size_t start = p;
    const bool paren = at(text, p) == '(';
    if (paren) ++p;
    const std::size_t g = p;
    while (p < n && is_digit(text[p]))
      ++p;
    if (p == g || (paren && at(text, p) != ')')) {
      p = start;
      break;
    }
    if (run.groups < kMaxGroups) {
      run.len[run.groups] = std::uint8_t(p - g > 255 ? 255 : p - g);
      run.sep_before[run.groups] = paren ? '(' : sep;
      run.first[run.groups] = text[g];
    }
    if (run.groups == 0 && p - g >= 2) run.second = text[g + 1];
    ++run.groups;
    run.digits = int(std::min<std::size_t>(1000, std::size_t(run.digits) + (p - g)));
    if (paren) ++p;
    run.end = p;
    // Separator to the next group.
    std::size_t q = p;
    char c = at(text, q);
    if (c == ' ' && at(text, q + 1) == '-' && at(text, q + 2) == ' ') {
      q += 3;
      c = '-';
    } else if (c == ' ' || c == '-' || c == '.' || c == '/') {
      ++q;
    } else if (paren || c == '(') {
      c = ' '; // "(415)555-2671", "+44(0)20..."
    } else {
      break;
    }
    const char next = at(text, q);
    if (!is_digit(next) && !(next == '(' && is_digit(at(text, q + 1)))) break;
    sep = c;
    p = q;
  }
}

bool looks_like_date(const PhoneRun& r) {
  for (std::size_t g = 0; g + 2 < r.groups && g + 2 < kMaxGroups; ++g) {
    const char s1 = r.sep_before[g + 1], s2 = r.sep_before[g + 2];
    if (s1 != s2 || (s1 != '.' && s1 != '/' && s1 != '-')) continue;
    const int a = r.len[g], b = r.len[g + 1], c = r.len[g + 2];
    if ((a <= 2 && b <= 2 && (c == 4 || c == 2)) || (a == 4 && b <= 2 && c <= 2)) return true;
  }
  return false;
}

bool north_american(const PhoneRun& r) {
  std::size_t g = 0;
  if (r.groups == 4 && r.len[0] == 1 && r.first[0] == '1')
    g = 1;
  else if (r.groups != 3)
    return false;
  if (r.len[g] != 3 || r.len[g + 1] != 3 || r.len[g + 2] != 4) return false;
  if (r.first[g] < '2' || r.first[g + 1] < '2') return false;
  // Separators: "(415) 555-2671", or one of "-", ".", " " used throughout.
  const char s1 = r.sep_before[g + 1], s2 = r.sep_before[g + 2];
  if (r.sep_before[g] == '(') return s2 == '-' || s2 == ' ' || s2 == '.';
  return s1 == s2 && s1 != '/';
}

bool national_trunk(const PhoneRun& r) {
  if (r.groups < 2 || r.groups > 6 || r.first[0] != '0') return false;
  if (r.digits < 9 || r.digits > 12) return false;
  for (std::size_t g = 0; g < r.groups; ++g) {
    if (r.len[g] < 2) return false;
    if (g >= 2 && r.sep_before[g] == '/') return false; // "/" only after the area code
  }
  return r.second != '0'; // "00" is the international prefix, not a trunk 0
}

bool international(const PhoneRun& r, std::string_view text) {
  if (r.plus) return r.digits >= 8 && r.digits <= 15 && r.first[0] != '0';
  // "0044 20 7946 0958": 00 + country code, grouped.
  if (r.groups < 2 || r.len[0] < 4 || r.digits < 10 || r.digits > 15) return false;
  const std::size_t d = r.begin;
  return text[d] == '0' && text[d + 1] == '0' && text[d + 2] != '0';
}

// Lower-case ASCII words (up to 3) before `i`, nearest first, within 48 bytes.
int words_before(std::string_view text, std::size_t i, std::array<std::string, 3>& words) {
  int count = 0;
  std::size_t p = i;
  const std::size_t limit = i > 48 ? i - 48 : 0;
  while (count < 3 && p > limit) {
    while (p > limit && !is_alpha(text[p - 1])) {
      if (is_digit(text[p - 1])) return count; // another number in between
      --p;
    }
    const std::size_t e = p;
    while (p > limit && is_alpha(text[p - 1]))
      --p;
    if (p == e) break;
    words[std::size_t(count)].clear();
    for (std::size_t k = p; k < e; ++k)
      words[std::size_t(count)] += to_lower(text[k]);
    ++count;
  }
  return count;
}

bool in_list(const std::string& w, const char* const* list) {
  for (; *list; ++list)
    if (w == *list) return true;
  return false;
}

const char* const kPhoneWords[] = {"call",   "calling", "phone",   "telephone", "tel",
                                   "mobile", "mob",     "cell",    "cellphone", "whatsapp",
                                   "sms",    "fax",     "text",    "reach",     "ring",
                                   "dial",   "number",  "contact", "landline",  nullptr};
const char* const kIdWords[] = {
    "order",       "invoice", "ticket", "case",        "ref",          "reference",
    "tracking",    "account", "acct",   "transaction", "confirmation", "booking",
    "reservation", "id",      "sku",    "serial",      "po",           "item",
    "customer",    "member",  "policy", "iban",        "card",         "pin",
    "code",        "version", "build",  "zip",         "postcode",     nullptr};

bool phone_context(std::string_view text, std::size_t i) {
  std::array<std::string, 3> words;
  const int count = words_before(text, i, words);
  bool phone = false;
  for (int k = 0; k < count; ++k) {
    if (in_list(words[std::size_t(k)], kIdWords)) return false;
    if (in_list(words[std::size_t(k)], kPhoneWords)) phone = true;
  }
  return phone;
}

} // namespace

void find_phones(std::string_view text, bool use_context, std::vector<PiiSpan>& out) {
  const std::size_t n = text.size();
  PhoneRun run;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    const bool start = is_digit(c) || ((c == '+' || c == '(') && is_digit(at(text, i + 1)));
    if (!start) continue;
    if (blocked_before(text, i)) {
      while (i + 1 < n && is_digit(text[i + 1]))
        ++i;
      continue;
    }
    parse_run(text, i, run);
    if (run.end <= i) continue; // "(" without a closing group
    const bool ok = run.groups <= kMaxGroups && run.digits <= 15 && !blocked_after(text, run.end) &&
                    !looks_like_date(run) &&
                    (international(run, text) || north_american(run) || national_trunk(run) ||
                     (use_context && run.digits >= 7 && phone_context(text, i)));
    if (ok) out.push_back({std::uint32_t(i), std::uint32_t(run.end), PiiKind::phone});
    i = run.end - 1;
    // A rejected run is skipped with the token it is glued to ("12345abc").
    if (!ok)
      while (i + 1 < n && (is_alnum(text[i + 1]) || text[i + 1] == '_'))
        ++i;
  }
}

} // namespace supportnlp::rules::detail
