// PiiDetector skips a rule when one pass over the text shows it lacks the
// characters every match of that rule holds (no '@': no email; fewer than
// 13 digits: no card). Skipping must never lose a span: on texts dense in
// near-misses, detect() equals running every rule, as it did before.
#include "rules/pii_rules.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using supportnlp::rules::PiiDetector;
using supportnlp::rules::PiiSpan;

namespace {

// Every rule run unconditionally, merged as PiiDetector merges them (most
// specific first, later rules only where nothing was found).
std::vector<PiiSpan> every_rule(std::string_view text) {
  namespace d = supportnlp::rules::detail;
  std::vector<PiiSpan> out;
  const auto add = [&](const std::vector<PiiSpan>& more) {
    for (const PiiSpan& s : more) {
      bool overlaps = false;
      for (const PiiSpan& a : out)
        overlaps |= a.begin < s.end && s.begin < a.end;
      if (!overlaps) out.push_back(s);
    }
    std::sort(out.begin(), out.end(),
              [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
  };
  std::vector<PiiSpan> v;
  d::find_emails(text, v), add(v), v.clear();
  d::find_ipv6(text, v), add(v), v.clear();
  d::find_ipv4(text, v), add(v), v.clear();
  d::find_ibans(text, v), add(v), v.clear();
  d::find_cards(text, v), add(v), v.clear();
  d::find_phones(text, true, v), add(v), v.clear();
  return out;
}

} // namespace

TEST_CASE("pii: skipping rules by the text's shape loses no span", "[rules]") {
  // Pieces of real PII and of near-misses, glued at random: each text holds
  // few enough digits, dots, colons or '@' that some rules are skipped.
  const std::vector<std::string> pieces = {"bob@x.com",
                                           "a@b",
                                           "@",
                                           "::1",
                                           "fe80::1",
                                           "1.2.3.4",
                                           "10.0.0",
                                           "4111 1111 1111 1111",
                                           "411111111111",
                                           "DE89 3704 0044 0532 0130 00",
                                           "GB82WEST12345698765432",
                                           "NO93 8601 1117 947",
                                           "+44 20 7946 0958",
                                           "(415) 555-2671",
                                           "555-2671",
                                           "0044 20 7946 0958",
                                           "call me",
                                           "phone",
                                           "7",
                                           "12",
                                           "123",
                                           ".",
                                           ":",
                                           " ",
                                           "the",
                                           "ORD-99812",
                                           "v10.0.0.1",
                                           "2024-01-02",
                                           "$1,299.00"};
  std::mt19937 rng(7);
  const PiiDetector detector;
  std::vector<PiiSpan> got;
  std::size_t nonempty = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    const int n = 1 + int(rng() % 5);
    for (int k = 0; k < n; ++k) {
      text += pieces[rng() % pieces.size()];
      text += " .:"[rng() % 3];
    }
    INFO(text);
    detector.detect(text, got);
    const auto want = every_rule(text);
    REQUIRE(got.size() == want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      CHECK(got[k].begin == want[k].begin);
      CHECK(got[k].end == want[k].end);
      CHECK(got[k].kind == want[k].kind);
    }
    nonempty += want.empty() ? 0 : 1;
  }
  CHECK(nonempty > 1000);
}
