// UrgencyRules against a straightforward reference: every ticket word as a
// lower-cased std::string, every rule token compared as a string. The
// library's matcher interns words and looks each one up once; on the sample
// tickets and on generated text built from the rule vocabulary (negators,
// numbers, weekdays, prefixes, curly apostrophes, clause breaks, invalid
// bytes) both must report the same level, points and evidence.
#include <supportnlp/rules/urgency.hpp>

#include "rules/urgency_patterns.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using supportnlp::rules::UrgencyAssessment;
using supportnlp::rules::UrgencyRules;
using supportnlp::rules::UrgencySignal;
namespace detail = supportnlp::rules::detail;

namespace {

struct RefWord {
  std::size_t begin = 0, end = 0;
  bool clause_start = false;
  std::string norm;
};

bool word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' ||
         c >= 0x80;
}

bool right_quote(const std::string& t, std::size_t i) {
  return i + 2 < t.size() && static_cast<unsigned char>(t[i]) == 0xE2 &&
         static_cast<unsigned char>(t[i + 1]) == 0x80 &&
         static_cast<unsigned char>(t[i + 2]) == 0x99;
}

std::vector<RefWord> ref_words(const std::string& text) {
  std::vector<RefWord> words;
  bool clause = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!word_byte(c) || c == '\'' || right_quote(text, i)) {
      if (std::string_view(".,;:!?\n()").find(char(c)) != std::string_view::npos) clause = true;
      i += right_quote(text, i) ? 3 : 1;
      continue;
    }
    RefWord w;
    w.begin = i;
    w.clause_start = clause;
    clause = false;
    std::size_t last_end = i;
    while (i < text.size()) {
      if (right_quote(text, i)) {
        w.norm += '\'';
        i += 3;
        continue;
      }
      const auto b = static_cast<unsigned char>(text[i]);
      if (!word_byte(b)) break;
      w.norm += char(std::tolower(b));
      ++i;
      if (b != '\'') last_end = i;
    }
    while (!w.norm.empty() && w.norm.back() == '\'')
      w.norm.pop_back();
    w.end = last_end;
    words.push_back(w);
  }
  return words;
}

bool in(const std::vector<std::string_view>& list, const std::string& w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

std::vector<std::string> split_pattern(const std::string& p) {
  std::vector<std::string> out;
  std::string w;
  for (std::size_t i = 0; i <= p.size(); ++i) {
    if (i < p.size() && p[i] != ' ' && p[i] != '-') {
      w += p[i];
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  return out;
}

bool token_matches(const std::string& t, const std::string& w) {
  if (t == "#")
    return (!w.empty() &&
            std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) ||
           in(detail::number_words(), w);
  if (t == "@day") return in(detail::weekday_words(), w);
  if (t.back() == '*') return w.compare(0, t.size() - 1, t, 0, t.size() - 1) == 0;
  return w == t;
}

// Signals that fired, with spans and rules, in the documented order: at each
// word, per signal, the longest matching rule (the first in table order on a
// tie; rules keyed by a plain first word before the others), unless a
// negator in the same clause precedes it within the window.
std::vector<std::tuple<int, std::size_t, std::size_t, std::string>>
reference(const std::string& text, int window = 3) {
  const auto words = ref_words(text);
  const auto& patterns = detail::urgency_patterns();
  std::vector<std::vector<std::string>> tokens;
  for (const auto& p : patterns)
    tokens.push_back(split_pattern(p.pattern));
  const auto plain = [](const std::string& t) {
    return t != "#" && t != "@day" && t.back() != '*';
  };
  std::vector<std::tuple<int, std::size_t, std::size_t, std::string>> out;
  std::vector<std::size_t> covered(10, 0);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::vector<std::size_t> best_len(10, 0);
    std::vector<int> best(10, -1);
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t r = 0; r < patterns.size(); ++r) {
        if (plain(tokens[r][0]) != (pass == 0)) continue;
        const auto& t = tokens[r];
        if (i + t.size() > words.size()) continue;
        bool ok = true;
        for (std::size_t k = 0; k < t.size() && ok; ++k)
          ok = token_matches(t[k], words[i + k].norm) && !(k > 0 && words[i + k].clause_start);
        const auto s = std::size_t(patterns[r].signal);
        if (ok && t.size() > best_len[s]) {
          best_len[s] = t.size();
          best[s] = int(r);
        }
      }
    for (std::size_t s = 0; s < 10; ++s) {
      if (best[s] < 0 || i < covered[s]) continue;
      bool negated = false;
      if (UrgencySignal(s) != UrgencySignal::low_priority)
        for (int back = 1; back <= window && std::size_t(back) <= i; ++back) {
          if (words[i - std::size_t(back) + 1].clause_start) break;
          if (in(detail::negator_words(), words[i - std::size_t(back)].norm)) {
            negated = true;
            break;
          }
        }
      if (negated) continue;
      covered[s] = i + best_len[s];
      out.emplace_back(int(s), words[i].begin, words[i + best_len[s] - 1].end,
                       patterns[std::size_t(best[s])].pattern);
    }
  }
  return out;
}

std::vector<std::tuple<int, std::size_t, std::size_t, std::string>>
textual(const UrgencyAssessment& a) {
  std::vector<std::tuple<int, std::size_t, std::size_t, std::string>> out;
  for (const auto& e : a.evidence)
    if (e.signal != UrgencySignal::negative_sentiment)
      out.emplace_back(int(e.signal), e.begin, e.end, e.rule);
  return out;
}

std::vector<std::string> vocabulary() {
  std::vector<std::string> v;
  for (const auto& p : detail::urgency_patterns())
    for (auto& t : split_pattern(p.pattern)) {
      if (t == "#") t = "3";
      if (t == "@day") t = "Friday";
      if (t.back() == '*') t = t.substr(0, t.size() - 1) + "s";
      v.push_back(t);
    }
  for (auto list : {&detail::negator_words(), &detail::number_words(), &detail::weekday_words()})
    for (auto w : *list)
      v.emplace_back(w);
  for (const char* w : {"the", "my", "order", "12", "ORD-5", "café", "don’t", "'quoted'", "x"})
    v.emplace_back(w);
  return v;
}

} // namespace

TEST_CASE("urgency: matcher equals the string reference on the sample tickets", "[pipeline]") {
  std::ifstream in(SUPPORTNLP_SOURCE_DIR "/data/samples/tickets.jsonl");
  std::string line;
  std::size_t tickets = 0, fired = 0;
  const UrgencyRules rules;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("text")) continue;
    const std::string text = j["text"].get<std::string>();
    const auto a = rules.assess(text, 0.0);
    INFO(text);
    CHECK(textual(a) == reference(text));
    ++tickets;
    fired += a.evidence.size();
  }
  CHECK(tickets >= 50);
  CHECK(fired > 10); // the samples exercise the rules
}

TEST_CASE("urgency: matcher equals the string reference on generated text", "[pipeline]") {
  const auto words = vocabulary();
  const char* separators[] = {" ", " ", " ", " ", ", ", ". ", "-", "\n", " (", "! ", " \xff "};
  std::mt19937 rng(11);
  const UrgencyRules rules;
  UrgencyAssessment reused;
  std::size_t fired = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    const int len = 1 + int(rng() % 14);
    for (int k = 0; k < len; ++k) {
      std::string w = words[rng() % words.size()];
      if (rng() % 5 == 0)
        std::transform(w.begin(), w.end(), w.begin(), [](char c) { return char(std::toupper(c)); });
      text += w;
      text += separators[rng() % std::size(separators)];
    }
    INFO(text);
    const auto expected = reference(text);
    rules.assess(text, -0.5, reused); // the buffer-reusing overload gives the same
    CHECK(textual(reused) == expected);
    CHECK(textual(rules.assess(text, -0.5)) == expected);
    CHECK(reused.points == rules.assess(text, -0.5).points);
    fired += expected.size();
  }
  CHECK(fired > 1000);
}
