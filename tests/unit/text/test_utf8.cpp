#include "supportnlp/text/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace supportnlp::text;

TEST_CASE("valid UTF-8 is accepted and kept", "[text]") {
  const std::string s = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD";
  CHECK(is_valid_utf8(s));
  CHECK(find_invalid_utf8(s) == s.size());
  CHECK(repair_utf8(s) == s);
  CHECK(is_valid_utf8(""));
}

TEST_CASE("invalid sequences become one U+FFFD per maximal subpart", "[text]") {
  const std::string r = "\xEF\xBF\xBD";
  // Examples from the Unicode Standard, §3.9 (Table 3-8 and U+FFFD practice).
  CHECK(repair_utf8("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64") ==
        "a" + r + r + r + "b" + r + "c" + r + r + "d");
  CHECK(repair_utf8("\xC0\xAF") == r + r);                 // overlong: two bytes, two U+FFFD
  CHECK(repair_utf8("\xED\xA0\x80") == r + r + r);         // surrogate D800 encoded
  CHECK(repair_utf8("\xF4\x90\x80\x80") == r + r + r + r); // > U+10FFFF
  CHECK(repair_utf8("\xE2\x82") == r);                     // truncated at the end
  CHECK(repair_utf8("ok\xFF") == "ok" + r);
  CHECK(find_invalid_utf8("ok\xFF") == 2);
  CHECK_FALSE(is_valid_utf8(std::string("\xC3")));
}

TEST_CASE("NUL bytes are valid and kept", "[text]") {
  const std::string s("a\0b", 3);
  CHECK(is_valid_utf8(s));
  CHECK(repair_utf8(s) == s);
}

TEST_CASE("decode_utf8 advances past code points and invalid subparts", "[text]") {
  const std::string s = "a\xC3\xA9\xE2\x82\xF0\x9F\x98\x80";
  std::size_t pos = 0;
  CHECK(decode_utf8(s, pos) == U'a');
  CHECK(pos == 1);
  CHECK(decode_utf8(s, pos) == U'\u00E9');
  CHECK(pos == 3);
  CHECK(decode_utf8(s, pos) == 0xFFFD);
  CHECK(pos == 5);
  CHECK(decode_utf8(s, pos) == 0x1F600);
  CHECK(pos == s.size());
}

TEST_CASE("append_utf8 round-trips through decode_utf8", "[text]") {
  for (char32_t cp : {char32_t(0), char32_t(0x7F), char32_t(0x80), char32_t(0x7FF), char32_t(0x800),
                      char32_t(0xFFFF), char32_t(0x10000), char32_t(0x10FFFF)}) {
    std::string s;
    append_utf8(s, cp);
    std::size_t pos = 0;
    CHECK(decode_utf8(s, pos) == cp);
    CHECK(pos == s.size());
  }
  std::string s;
  append_utf8(s, 0xD800);
  CHECK(s == "\xEF\xBF\xBD");
}

TEST_CASE("every byte string repairs to valid UTF-8 (property)", "[text]") {
  std::uint32_t state = 12345;
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    const int len = int(state % 12);
    for (int i = 0; i < len; ++i) {
      state = state * 1664525u + 1013904223u;
      s.push_back(char(state >> 24));
    }
    state = state * 1664525u + 1013904223u;
    const std::string r = repair_utf8(s);
    REQUIRE(is_valid_utf8(r));
    if (is_valid_utf8(s)) CHECK(r == s);
  }
}

// find_invalid_utf8 checks well-formed sequences inline; it must agree with
// decoding code point by code point (decode_utf8 reports U+FFFD for an
// invalid subpart, and an encoded U+FFFD is three bytes EF BF BD).
TEST_CASE("find_invalid_utf8 agrees with decoding (property)", "[text]") {
  const unsigned char pieces[] = {'a',  ' ',  0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                  0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF};
  std::uint32_t state = 777;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s(next() % 40, 'x'); // ASCII before, so the 16-byte skip runs
    const int len = int(next() % 10);
    for (int i = 0; i < len; ++i)
      s.push_back(char(pieces[next() % sizeof(pieces)]));
    s.append(next() % 20, 'y');
    std::size_t expected = s.size();
    for (std::size_t pos = 0; pos < s.size();) {
      const std::size_t start = pos;
      const char32_t cp = decode_utf8(s, pos);
      if (cp == 0xFFFD && s.compare(start, pos - start, "\xEF\xBF\xBD") != 0) {
        expected = start;
        break;
      }
    }
    INFO("iteration " << iter);
    REQUIRE(find_invalid_utf8(s) == expected);
  }
}

TEST_CASE("utf8_prefix never ends inside a sequence", "[text]") {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"; // a é € 😀 z
  CHECK(utf8_prefix(s, 100) == s);
  CHECK(utf8_prefix(s, 0).empty());
  CHECK(utf8_prefix(s, 1) == "a");
  CHECK(utf8_prefix(s, 2) == "a"); // inside é
  CHECK(utf8_prefix(s, 3) == "a\xC3\xA9");
  CHECK(utf8_prefix(s, 5) == "a\xC3\xA9");             // inside €
  CHECK(utf8_prefix(s, 9) == "a\xC3\xA9\xE2\x82\xAC"); // inside 😀
  // Every cut of valid text stays valid UTF-8, and is as long as it can be.
  for (std::size_t n = 0; n <= s.size(); ++n) {
    const auto p = utf8_prefix(s, n);
    CHECK(is_valid_utf8(p));
    CHECK(p.size() <= n);
    CHECK(n - p.size() <= 3);
  }
  // Invalid bytes are not the cut's business: a run of continuation bytes
  // longer than a sequence is cut where asked.
  const std::string bad(10, '\x80');
  CHECK(utf8_prefix(bad, 5).size() == 5);
}
