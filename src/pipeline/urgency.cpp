// UrgencyRules: splits the ticket into lower-cased words with byte offsets,
// matches the pattern table (indexed by first word), drops matches cancelled
// by a nearby negator, and sums the points of the distinct signals that fired
// with the sentiment contribution.
#include "supportnlp/pipeline/urgency.hpp"

#include "urgency_patterns.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace supportnlp::pipeline {

const char* to_string(Urgency level) noexcept {
  switch (level) {
  case Urgency::low:
    return "low";
  case Urgency::normal:
    return "normal";
  case Urgency::high:
    return "high";
  case Urgency::critical:
    return "critical";
  }
  return "unknown";
}

const char* to_string(UrgencySignal signal) noexcept {
  switch (signal) {
  case UrgencySignal::security:
    return "security";
  case UrgencySignal::widespread_outage:
    return "widespread_outage";
  case UrgencySignal::legal:
    return "legal";
  case UrgencySignal::outage:
    return "outage";
  case UrgencySignal::payment_failure:
    return "payment_failure";
  case UrgencySignal::repeated_contact:
    return "repeated_contact";
  case UrgencySignal::explicit_urgency:
    return "explicit_urgency";
  case UrgencySignal::deadline:
    return "deadline";
  case UrgencySignal::low_priority:
    return "low_priority";
  case UrgencySignal::negative_sentiment:
    return "negative_sentiment";
  }
  return "unknown";
}

int signal_points(UrgencySignal signal) noexcept {
  switch (signal) {
  case UrgencySignal::security:
    return 4;
  case UrgencySignal::widespread_outage:
    return 4;
  case UrgencySignal::legal:
    return 3;
  case UrgencySignal::outage:
    return 2;
  case UrgencySignal::payment_failure:
    return 2;
  case UrgencySignal::repeated_contact:
    return 2;
  case UrgencySignal::explicit_urgency:
    return 2;
  case UrgencySignal::deadline:
    return 1;
  case UrgencySignal::low_priority:
    return -1;
  case UrgencySignal::negative_sentiment:
    return 2;
  }
  return 0;
}

namespace {

constexpr std::size_t kSignals = 10;

enum class TokenType : std::uint8_t { word, prefix, number, weekday };

struct PatternToken {
  TokenType type = TokenType::word;
  std::string text;
};

struct Rule {
  UrgencySignal signal;
  std::string pattern;
  std::vector<PatternToken> tokens;
};

struct Word {
  std::uint32_t begin = 0, end = 0;
  bool clause_start = false; // punctuation separates it from the previous word
  std::string norm;
};

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' ||
         c >= 0x80;
}

bool is_right_quote(std::string_view t, std::size_t i) {
  return i + 2 < t.size() + 0 && static_cast<unsigned char>(t[i]) == 0xE2 &&
         static_cast<unsigned char>(t[i + 1]) == 0x80 &&
         static_cast<unsigned char>(t[i + 2]) == 0x99;
}

// Words of `text`: runs of letters, digits, apostrophes (’ folded to ') and
// non-ASCII bytes; '-' and everything else separates. Leading/trailing
// apostrophes are quotes, not part of the word.
void split_words(std::string_view text, std::vector<Word>& words) {
  words.clear();
  const std::size_t n = text.size();
  bool clause = true;
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!is_word_byte(c) || c == '\'' || is_right_quote(text, i)) {
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' ||
          c == '(' || c == ')')
        clause = true;
      i += is_right_quote(text, i) ? 3 : 1;
      continue;
    }
    Word w;
    w.begin = std::uint32_t(i);
    w.clause_start = clause;
    clause = false;
    std::size_t last_end = i;
    while (i < n) {
      if (is_right_quote(text, i)) {
        w.norm += '\'';
        i += 3;
        continue;
      }
      const unsigned char b = static_cast<unsigned char>(text[i]);
      if (!is_word_byte(b)) break;
      w.norm += (b >= 'A' && b <= 'Z') ? char(b - 'A' + 'a') : char(b);
      ++i;
      if (b != '\'') last_end = i;
    }
    while (!w.norm.empty() && w.norm.back() == '\'')
      w.norm.pop_back();
    w.end = std::uint32_t(last_end);
    words.push_back(std::move(w));
  }
}

bool token_matches(const PatternToken& t, const std::string& w) {
  switch (t.type) {
  case TokenType::word:
    return w == t.text;
  case TokenType::prefix:
    return w.compare(0, t.text.size(), t.text) == 0;
  case TokenType::number:
    return (!w.empty() &&
            std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) ||
           detail::is_number_word(w);
  case TokenType::weekday:
    for (const char* d :
         {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
      if (w == d) return true;
    return false;
  }
  return false;
}

} // namespace

struct UrgencyRules::Impl {
  UrgencyOptions options;
  std::vector<Rule> rules;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_word;
  std::vector<std::size_t> generic; // rules whose first token is not a plain word
  std::array<std::size_t, kSignals> counts{};
};

UrgencyRules::UrgencyRules(UrgencyOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  for (const auto& p : detail::urgency_patterns()) {
    Rule rule{p.signal, p.pattern, {}};
    std::string word;
    const std::string_view text = p.pattern;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && text[i] != ' ' && text[i] != '-') {
        word += text[i];
        continue;
      }
      if (word.empty()) continue;
      PatternToken t;
      if (word == "#") {
        t.type = TokenType::number;
      } else if (word == "@day") {
        t.type = TokenType::weekday;
      } else if (word.back() == '*') {
        t.type = TokenType::prefix;
        t.text = word.substr(0, word.size() - 1);
      } else {
        t.text = word;
      }
      rule.tokens.push_back(std::move(t));
      word.clear();
    }
    const std::size_t index = impl->rules.size();
    if (rule.tokens.front().type == TokenType::word) {
      impl->by_first_word[rule.tokens.front().text].push_back(index);
    } else {
      impl->generic.push_back(index);
    }
    ++impl->counts[std::size_t(p.signal)];
    impl->rules.push_back(std::move(rule));
  }
  impl_ = std::move(impl);
}

const UrgencyOptions& UrgencyRules::options() const noexcept {
  return impl_->options;
}

std::size_t UrgencyRules::rule_count(UrgencySignal signal) const noexcept {
  const auto i = std::size_t(signal);
  return i < kSignals ? impl_->counts[i] : 0;
}

UrgencyAssessment UrgencyRules::assess(std::string_view text, double sentiment) const {
  const Impl& impl = *impl_;
  const UrgencyOptions& o = impl.options;
  if (text.size() > 0xFFFFFFFFu) text = text.substr(0, 0xFFFFFFFFu);
  std::vector<Word> words;
  split_words(text, words);

  UrgencyAssessment result;
  std::array<bool, kSignals> fired{};
  std::array<std::size_t, kSignals> covered_until{}; // word index past the last match
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Longest match per signal at this word.
    std::array<std::size_t, kSignals> best_len{};
    std::array<const Rule*, kSignals> best{};
    const auto consider = [&](std::size_t r) {
      const Rule& rule = impl.rules[r];
      const std::size_t len = rule.tokens.size();
      if (i + len > words.size()) return;
      for (std::size_t k = 0; k < len; ++k) {
        if (!token_matches(rule.tokens[k], words[i + k].norm)) return;
        if (k > 0 && words[i + k].clause_start) return;
      }
      const auto s = std::size_t(rule.signal);
      if (len > best_len[s]) {
        best_len[s] = len;
        best[s] = &rule;
      }
    };
    if (auto it = impl.by_first_word.find(words[i].norm); it != impl.by_first_word.end())
      for (std::size_t r : it->second)
        consider(r);
    for (std::size_t r : impl.generic)
      consider(r);
    for (std::size_t s = 0; s < kSignals; ++s) {
      if (!best[s] || i < covered_until[s]) continue;
      // Negation: "not hacked", "there is no outage", "I haven't been charged twice".
      bool negated = false;
      if (best[s]->signal != UrgencySignal::low_priority) {
        for (int back = 1; back <= o.negation_window && std::size_t(back) <= i; ++back) {
          // Stop at the clause boundary: "It never came. Third time asking".
          if (words[i - std::size_t(back) + 1].clause_start) break;
          if (detail::is_negator(words[i - std::size_t(back)].norm)) {
            negated = true;
            break;
          }
        }
      }
      if (negated) continue;
      covered_until[s] = i + best_len[s];
      fired[s] = true;
      const Word& last = words[i + best_len[s] - 1];
      result.evidence.push_back({best[s]->signal, words[i].begin, last.end, best[s]->pattern,
                                 signal_points(best[s]->signal)});
    }
  }

  for (std::size_t s = 0; s < kSignals; ++s)
    if (fired[s]) result.points += signal_points(UrgencySignal(s));

  if (std::isnan(sentiment)) sentiment = 0.0;
  sentiment = std::clamp(sentiment, -1.0, 1.0);
  int sentiment_points = 0;
  char rule[64];
  if (sentiment <= o.very_negative_sentiment) {
    sentiment_points = 2;
    std::snprintf(rule, sizeof rule, "sentiment %.2f <= %.2f", sentiment,
                  o.very_negative_sentiment);
  } else if (sentiment <= o.negative_sentiment) {
    sentiment_points = 1;
    std::snprintf(rule, sizeof rule, "sentiment %.2f <= %.2f", sentiment, o.negative_sentiment);
  }
  bool any_signal = false; // an explicit reason for urgency, not just tone
  for (std::size_t s = 0; s < kSignals; ++s)
    if (fired[s] && signal_points(UrgencySignal(s)) > 0) any_signal = true;
  if (sentiment_points > 0 && (any_signal || !o.sentiment_needs_signal)) {
    result.points += sentiment_points;
    result.evidence.push_back({UrgencySignal::negative_sentiment, 0, 0, rule, sentiment_points});
  }

  if (result.points >= o.critical_points) {
    result.level = Urgency::critical;
  } else if (result.points >= o.high_points) {
    result.level = Urgency::high;
  } else if (result.points <= 0 && (fired[std::size_t(UrgencySignal::low_priority)] ||
                                    sentiment >= o.positive_sentiment)) {
    result.level = Urgency::low;
  } else {
    result.level = Urgency::normal;
  }
  return result;
}

} // namespace supportnlp::pipeline
