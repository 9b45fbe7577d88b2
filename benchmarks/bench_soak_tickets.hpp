// Deterministic ticket generator for the soak run (bench_soak.cpp): ticket i
// is a function of i alone, so any thread can make any ticket and a run can
// be repeated exactly. Most tickets are the sample tickets
// (data/samples/tickets.jsonl) cut into word runs, recombined and mutated;
// about one in a hundred is pathological (empty, whitespace only, 100 KB of
// one character, emoji runs, invalid UTF-8, NUL bytes, deep punctuation,
// huge numbers, mixed scripts, combining-mark stacks and one endless token).
#pragma once

#include "sample_tickets.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::bench {

/// splitmix64: small, fast and the same on every platform.
struct SoakRng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n ? std::size_t(next() % n) : 0; }
  template <typename T, std::size_t N> const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }
};

/// The kinds of pathological ticket, in the order ticket() cycles through them.
inline constexpr std::array<const char*, 11> kSoakPathologies = {
    "empty",       "whitespace",   "one_char_100k", "emoji_run",       "invalid_utf8", "nul_bytes",
    "punctuation", "huge_numbers", "mixed_scripts", "combining_marks", "endless_token"};

/// One ticket in this many is pathological.
inline constexpr std::size_t kSoakPathologyPeriod = 97;

/// The pathology of ticket i, or -1 for an ordinary (recombined) ticket.
inline int soak_pathology(std::size_t i) {
  if (i % kSoakPathologyPeriod != 13) return -1;
  return int((i / kSoakPathologyPeriod) % kSoakPathologies.size());
}

namespace soak_detail {

inline const std::vector<std::vector<std::string>>& sample_words() {
  static const std::vector<std::vector<std::string>> words = [] {
    std::vector<std::vector<std::string>> out;
    for (const auto& t : sample_tickets()) {
      std::vector<std::string> w;
      std::size_t b = 0;
      while (b < t.size()) {
        std::size_t e = t.find(' ', b);
        if (e == std::string::npos) e = t.size();
        if (e > b) w.push_back(t.substr(b, e - b));
        b = e + 1;
      }
      if (!w.empty()) out.push_back(std::move(w));
    }
    if (out.empty()) out.push_back({"no", "sample", "tickets", "found"});
    return out;
  }();
  return words;
}

inline std::string repeat_until(std::string_view unit, std::size_t bytes) {
  std::string s;
  s.reserve(bytes + unit.size());
  while (s.size() < bytes)
    s += unit;
  return s;
}

inline std::string ordinary(SoakRng& r) {
  const auto& all = sample_words();
  static const std::array<std::string_view, 14> inserts = {"ORD-99812",
                                                           "jordan.lee@example.com",
                                                           "+44 20 7946 0958",
                                                           "4111 1111 1111 1111",
                                                           "GB82WEST12345698765432",
                                                           "10.0.0.1",
                                                           "asap!!!",
                                                           "URGENT",
                                                           "\xF0\x9F\x98\xA1",
                                                           "$1,299.00",
                                                           "https://x.example/a?b=c",
                                                           "2026-12-06",
                                                           "not",
                                                           "thanks"};
  std::string t;
  const std::size_t parts = 1 + r.below(3);
  for (std::size_t p = 0; p < parts; ++p) {
    const auto& w = all[r.below(all.size())];
    const std::size_t b = r.below(w.size());
    const std::size_t n = 1 + r.below(w.size() - b);
    for (std::size_t k = b; k < b + n; ++k) {
      if (!t.empty()) t += ' ';
      std::string word = w[k];
      switch (r.below(24)) {
      case 0: // shout
        for (auto& c : word)
          if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        break;
      case 1:
        t += std::string(inserts[r.below(inserts.size())]) + ' ';
        break;
      case 2:
        word += word;
        break;
      case 3:
        word = std::to_string(r.next() % 1000000007ull);
        break;
      case 4:
        word += "!!!";
        break;
      default:
        break;
      }
      t += word;
    }
  }
  // Now and then cut at any byte, which can split a UTF-8 sequence.
  if (r.below(16) == 0 && !t.empty()) t.resize(r.below(t.size()));
  return t;
}

inline std::string pathological(int kind, SoakRng& r) {
  switch (kind) {
  case 0:
    return {};
  case 1: {
    static const std::array<std::string_view, 9> ws = {
        " ", "\t", "\n", "\r\n", "\f", "\v", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\x8B"};
    std::string s;
    for (std::size_t k = 1 + r.below(4096); k > 0; --k)
      s += ws[r.below(ws.size())];
    return s;
  }
  case 2: {
    static const std::array<std::string_view, 7> ones = {
        "a", "!", "0", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD"};
    return repeat_until(ones[r.below(ones.size())], 100 * 1024);
  }
  case 3: {
    static const std::array<std::string_view, 8> emoji = {
        "\xF0\x9F\x98\x80",                 // grinning face
        "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", // thumbs up, skin tone
        "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", // family ZWJ
        "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7",                                         // flag GB
        "1\xEF\xB8\x8F\xE2\x83\xA3",                                                // keycap 1
        "\xE2\x9D\xA4\xEF\xB8\x8F",                                                 // red heart
        "\xF0\x9F\x98\xA1",                                                         // pouting face
        "\xF0\x9F\x94\xA5"};                                                        // fire
    std::string s = r.below(2) ? "my order is late " : "";
    for (std::size_t k = 500 + r.below(4500); k > 0; --k)
      s += emoji[r.below(emoji.size())];
    return s;
  }
  case 4: {
    static const std::array<std::string_view, 8> bad = {"\xC0\xAF", "\xED\xA0\x80",     "\xFF",
                                                        "\x80",     "\xF4\x90\x80\x80", "\xE2\x82",
                                                        "\xFE\xFE", "\xF0\x9F\x98"};
    if (r.below(2)) { // random bytes
      std::string s(1 + r.below(2000), '\0');
      for (auto& c : s)
        c = char(r.next() & 0xFF);
      return s;
    }
    std::string s = ordinary(r);
    for (std::size_t k = 1 + r.below(8); k > 0; --k)
      s.insert(r.below(s.size() + 1), bad[r.below(bad.size())]);
    return s;
  }
  case 5: {
    if (r.below(3) == 0) return std::string(1 + r.below(1000), '\0');
    std::string s = ordinary(r);
    for (std::size_t k = 1 + r.below(8); k > 0; --k)
      s.insert(r.below(s.size() + 1), 1 + r.below(3), '\0');
    return s;
  }
  case 6: {
    const std::size_t depth = 1000 + r.below(9000);
    std::string s = "refund ";
    static const std::array<std::string_view, 6> open = {"(", "[", "{", "\"", "\xC2\xAB", "<"};
    for (std::size_t k = 0; k < depth; ++k)
      s += open[k % open.size()];
    s += "why";
    s += repeat_until("?!.", 3 * (depth / 2));
    s += repeat_until("\xE2\x80\xA6", depth); // ellipsis
    return s;
  }
  case 7: {
    std::string s = "I was charged ";
    for (std::size_t k = 1000 + r.below(19000); k > 0; --k)
      s += char('0' + r.below(10));
    s += " dollars, not 1e308 or -9223372036854775809 or 0x7FFFFFFFFFFFFFFFFFFF or "
         "99999999999999999999999999999999.999999 on card 4111 1111 1111 1111 1111 1111";
    return s;
  }
  case 8: {
    static const std::array<std::string_view, 12> words = {
        "refund",
        "\xD0\xB2\xD0\xBE\xD0\xB7\xD0\xB2\xD1\x80\xD0\xB0\xD1\x82",     // возврат
        "\xD8\xA7\xD8\xB3\xD8\xAA\xD8\xB1\xD8\xAF\xD8\xA7\xD8\xAF",     // استرداد
        "\xE9\x80\x80\xE6\xAC\xBE",                                     // 退款
        "\xE0\xA4\xB5\xE0\xA4\xBE\xE0\xA4\xAA\xE0\xA4\xB8\xE0\xA5\x80", // वापसी
        "\xE0\xB8\x84\xE0\xB8\xB7\xE0\xB8\x99\xE0\xB9\x80\xE0\xB8\x87\xE0\xB8\xB4\xE0\xB8"
        "\x99",                             // คืนเงิน
        "\xD7\x94\xD7\x97\xD7\x96\xD7\xA8", // החזר
        "\xE2\x80\x8F",
        "\xE2\x80\x8E",
        "\xE2\x80\xAE", // RLM, LRM, RLO
        "r\xD0\xB5"
        "fund",                                                          // Cyrillic e inside
        "\xE3\x83\xAA\xE3\x83\x95\xE3\x82\xA1\xE3\x83\xB3\xE3\x83\x89"}; // リファンド
    std::string s;
    for (std::size_t k = 5 + r.below(400); k > 0; --k) {
      s += words[r.below(words.size())];
      if (r.below(3)) s += ' ';
    }
    return s;
  }
  case 9: {
    std::string s = "cance";
    for (std::size_t k = 10 + r.below(5000); k > 0; --k)
      s += char(0xCC), s += char(0x80 + r.below(0x30)); // U+0300..U+032F
    s += "l my order";
    return s;
  }
  default: {
    std::string s = "https://example.com/";
    for (std::size_t k = 5000 + r.below(15000); k > 0; --k)
      s += char('a' + r.below(26));
    return s;
  }
  }
}

} // namespace soak_detail

/// Ticket i of the soak run (deterministic).
inline std::string soak_ticket(std::size_t i) {
  SoakRng r{0x5EEDull * 1000003ull + std::uint64_t(i) * 0x2545F4914F6CDD1Dull};
  const int kind = soak_pathology(i);
  return kind < 0 ? soak_detail::ordinary(r) : soak_detail::pathological(kind, r);
}

} // namespace supportnlp::bench
