// Unicode's own segmentation test files (Debian unicode-data, Unicode 15.0,
// the version ICU 72 implements): every case must match.
#include "supportnlp/text/tokenizer.hpp"
#include "supportnlp/text/utf8.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace supportnlp::text;

namespace {

struct BreakCase {
  int line = 0;
  std::string text;
  std::vector<std::uint32_t> boundaries; // byte offsets, including 0 and size
};

// Parses lines such as "÷ 0041 × 0308 ÷ 0020 ÷\t# comment".
std::vector<BreakCase> load_cases(const std::string& path) {
  std::vector<BreakCase> cases;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string field;
    BreakCase c;
    c.line = number;
    bool any = false;
    while (fields >> field) {
      if (field == "\xC3\xB7") { // ÷
        c.boundaries.push_back(std::uint32_t(c.text.size()));
      } else if (field == "\xC3\x97") { // ×
      } else {
        append_utf8(c.text, char32_t(std::stoul(field, nullptr, 16)));
        any = true;
      }
    }
    if (any) cases.push_back(std::move(c));
  }
  return cases;
}

std::string describe(const BreakCase& c, const std::vector<std::uint32_t>& got) {
  std::ostringstream s;
  s << "line " << c.line << ": expected";
  for (auto b : c.boundaries)
    s << ' ' << b;
  s << ", got";
  for (auto b : got)
    s << ' ' << b;
  return s.str();
}

} // namespace

TEST_CASE("WordBreakTest.txt: all cases match word_boundaries()", "[conformance]") {
  const auto cases =
      load_cases(std::string(SUPPORTNLP_UNICODE_DIR) + "/auxiliary/WordBreakTest.txt");
  REQUIRE(cases.size() > 1000);
  const Tokenizer tok(TokenizerOptions{false, true, NormalizationForm::none});
  std::size_t passed = 0;
  for (const auto& c : cases) {
    const auto got = tok.word_boundaries(c.text);
    if (got == c.boundaries)
      ++passed;
    else
      UNSCOPED_INFO(describe(c, got));
  }
  INFO("word break cases passed: " << passed << " / " << cases.size());
  CHECK(passed == cases.size());
}

TEST_CASE("SentenceBreakTest.txt: all cases match sentence_boundaries()", "[conformance]") {
  const auto cases =
      load_cases(std::string(SUPPORTNLP_UNICODE_DIR) + "/auxiliary/SentenceBreakTest.txt");
  REQUIRE(cases.size() > 400);
  std::size_t passed = 0;
  for (const auto& c : cases) {
    const auto got = sentence_boundaries(c.text);
    if (got == c.boundaries)
      ++passed;
    else
      UNSCOPED_INFO(describe(c, got));
  }
  INFO("sentence break cases passed: " << passed << " / " << cases.size());
  CHECK(passed == cases.size());
}
