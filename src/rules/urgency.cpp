// UrgencyRules: splits the ticket into lower-cased words with byte offsets,
// matches the pattern table (indexed by first word), drops matches cancelled
// by a nearby negator, and sums the points of the distinct signals that fired
// with the sentiment contribution.
#include "supportnlp/rules/urgency.hpp"

#include "cpu/hash.hpp"
#include "urgency_patterns.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace supportnlp::rules {

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

// Properties of a vocabulary word, looked up once per ticket word.
enum : std::uint8_t { kNumber = 1, kWeekday = 2, kNegator = 4 };

struct PatternToken {
  TokenType type = TokenType::word;
  std::int32_t id = -1; // vocabulary id of a `word` token
  std::string text;     // the prefix of a `prefix` token
};

struct Rule {
  UrgencySignal signal;
  std::string pattern;
  std::vector<PatternToken> tokens;
};

// A word of the ticket. Its lower-cased form is norms[norm_begin, +norm_size)
// of the scratch buffer, so splitting allocates nothing once buffers grew.
struct Word {
  std::uint32_t begin = 0, end = 0;
  std::uint32_t norm_begin = 0, norm_size = 0;
  std::int32_t id = -1;      // vocabulary id, -1 for a word no rule names
  std::uint8_t flags = 0;    // kNumber | kWeekday | kNegator
  bool clause_start = false; // punctuation separates it from the previous word
};

struct Scratch {
  std::vector<Word> words;
  std::string norms;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'' ||
         c >= 0x80;
}

bool is_right_quote(std::string_view t, std::size_t i) {
  return i + 2 < t.size() && static_cast<unsigned char>(t[i]) == 0xE2 &&
         static_cast<unsigned char>(t[i + 1]) == 0x80 &&
         static_cast<unsigned char>(t[i + 2]) == 0x99;
}

std::uint64_t hash_word(std::string_view w) noexcept {
  const std::uint64_t h = cpu::fnv1a(w.data(), w.size());
  return h ^ (h >> 29);
}

// Every word the rules look at (pattern words, negators, number words,
// weekdays) -> id and flags, by open addressing: one hash per ticket word.
class Vocabulary {
public:
  std::int32_t add(std::string_view w, std::uint8_t flags) {
    std::int32_t id = find(w);
    if (id < 0) {
      id = std::int32_t(words_.size());
      words_.emplace_back(w);
      flags_.push_back(0);
      if (2 * words_.size() > slots_.size())
        rehash(std::max<std::size_t>(64, 4 * words_.size()));
      else
        insert(id);
    }
    flags_[std::size_t(id)] |= flags;
    return id;
  }
  std::int32_t find(std::string_view w) const noexcept {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t h = hash_word(w) & mask;; h = (h + 1) & mask) {
      const std::int32_t id = slots_[h];
      if (id < 0) return -1;
      if (words_[std::size_t(id)] == w) return id;
    }
  }
  std::uint8_t flags(std::int32_t id) const noexcept { return flags_[std::size_t(id)]; }
  std::size_t size() const noexcept { return words_.size(); }

private:
  void insert(std::int32_t id) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t h = hash_word(words_[std::size_t(id)]) & mask;
    while (slots_[h] >= 0)
      h = (h + 1) & mask;
    slots_[h] = id;
  }
  void rehash(std::size_t size) {
    std::size_t n = 1;
    while (n < size)
      n <<= 1;
    slots_.assign(n, -1);
    for (std::size_t id = 0; id < words_.size(); ++id)
      insert(std::int32_t(id));
  }
  std::vector<std::string> words_;
  std::vector<std::uint8_t> flags_;
  std::vector<std::int32_t> slots_;
};

bool all_digits(std::string_view w) noexcept {
  if (w.empty()) return false;
  for (char c : w)
    if (c < '0' || c > '9') return false;
  return true;
}

// Words of `text`: runs of letters, digits, apostrophes (’ folded to ') and
// non-ASCII bytes; '-' and everything else separates. Leading/trailing
// apostrophes are quotes, not part of the word. Each word is looked up in
// `vocabulary` once, here.
void split_words(std::string_view text, const Vocabulary& vocabulary, Scratch& s) {
  s.words.clear();
  s.norms.clear();
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
    w.norm_begin = std::uint32_t(s.norms.size());
    clause = false;
    std::size_t last_end = i;
    while (i < n) {
      if (is_right_quote(text, i)) {
        s.norms += '\'';
        i += 3;
        continue;
      }
      const unsigned char b = static_cast<unsigned char>(text[i]);
      if (!is_word_byte(b)) break;
      s.norms += (b >= 'A' && b <= 'Z') ? char(b - 'A' + 'a') : char(b);
      ++i;
      if (b != '\'') last_end = i;
    }
    while (s.norms.size() > w.norm_begin && s.norms.back() == '\'')
      s.norms.pop_back();
    w.norm_size = std::uint32_t(s.norms.size() - w.norm_begin);
    w.end = std::uint32_t(last_end);
    const std::string_view norm(s.norms.data() + w.norm_begin, w.norm_size);
    w.id = vocabulary.find(norm);
    if (w.id >= 0) w.flags = vocabulary.flags(w.id);
    if (all_digits(norm)) w.flags |= kNumber;
    s.words.push_back(w);
  }
}

bool token_matches(const PatternToken& t, const Word& w, const std::string& norms) {
  switch (t.type) {
  case TokenType::word:
    return w.id == t.id;
  case TokenType::prefix:
    return w.norm_size >= t.text.size() && norms.compare(w.norm_begin, t.text.size(), t.text) == 0;
  case TokenType::number:
    return (w.flags & kNumber) != 0;
  case TokenType::weekday:
    return (w.flags & kWeekday) != 0;
  }
  return false;
}

} // namespace

struct UrgencyRules::Impl {
  UrgencyOptions options;
  std::vector<Rule> rules;
  Vocabulary vocabulary;
  std::vector<std::vector<std::uint32_t>> by_first_word; // indexed by vocabulary id
  // Rules whose first token is not a plain word, by what that token needs:
  // a number, a weekday, or a prefix starting with a given byte (an empty
  // prefix is listed under every byte). Each list is in rule order, so a
  // word's candidates merge back into rule order (ties between rules of one
  // signal go to the earlier rule): looking at only these, not at every
  // generic rule for every word, was most of a ticket's urgency cost.
  std::vector<std::uint32_t> generic_number, generic_weekday;
  std::array<std::vector<std::uint32_t>, 256> generic_prefix;
  std::array<std::size_t, kSignals> counts{};
};

UrgencyRules::UrgencyRules(UrgencyOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  for (std::string_view w : detail::negator_words())
    impl->vocabulary.add(w, kNegator);
  for (std::string_view w : detail::number_words())
    impl->vocabulary.add(w, kNumber);
  for (std::string_view w : detail::weekday_words())
    impl->vocabulary.add(w, kWeekday);
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
        t.id = impl->vocabulary.add(word, 0);
      }
      rule.tokens.push_back(std::move(t));
      word.clear();
    }
    const auto index = std::uint32_t(impl->rules.size());
    if (rule.tokens.front().type == TokenType::word) {
      const auto id = std::size_t(rule.tokens.front().id);
      if (impl->by_first_word.size() <= id) impl->by_first_word.resize(id + 1);
      impl->by_first_word[id].push_back(index);
    } else {
      const PatternToken& first = rule.tokens.front();
      if (first.type == TokenType::number) {
        impl->generic_number.push_back(index);
      } else if (first.type == TokenType::weekday) {
        impl->generic_weekday.push_back(index);
      } else if (first.text.empty()) {
        for (auto& list : impl->generic_prefix)
          list.push_back(index);
      } else {
        impl->generic_prefix[static_cast<unsigned char>(first.text[0])].push_back(index);
      }
    }
    ++impl->counts[std::size_t(p.signal)];
    impl->rules.push_back(std::move(rule));
  }
  impl->by_first_word.resize(impl->vocabulary.size());
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
  UrgencyAssessment result;
  assess(text, sentiment, result);
  return result;
}

void UrgencyRules::assess(std::string_view text, double sentiment,
                          UrgencyAssessment& result) const {
  const Impl& impl = *impl_;
  const UrgencyOptions& o = impl.options;
  if (text.size() > 0xFFFFFFFFu) text = text.substr(0, 0xFFFFFFFFu);
  Scratch& scratch_words = scratch();
  split_words(text, impl.vocabulary, scratch_words);
  const std::vector<Word>& words = scratch_words.words;
  const std::string& norms = scratch_words.norms;

  result.level = Urgency::normal;
  result.points = 0;
  result.evidence.clear();
  std::array<bool, kSignals> fired{};
  std::array<std::size_t, kSignals> covered_until{}; // word index past the last match
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Longest match per signal at this word.
    std::array<std::size_t, kSignals> best_len{};
    std::array<const Rule*, kSignals> best{};
    const auto consider = [&](std::uint32_t r) {
      const Rule& rule = impl.rules[r];
      const std::size_t len = rule.tokens.size();
      if (i + len > words.size()) return;
      for (std::size_t k = 0; k < len; ++k) {
        if (!token_matches(rule.tokens[k], words[i + k], norms)) return;
        if (k > 0 && words[i + k].clause_start) return;
      }
      const auto s = std::size_t(rule.signal);
      if (len > best_len[s]) {
        best_len[s] = len;
        best[s] = &rule;
      }
    };
    if (words[i].id >= 0)
      for (std::uint32_t r : impl.by_first_word[std::size_t(words[i].id)])
        consider(r);
    {
      // The generic rules whose first token can match this word, merged in
      // rule order.
      static const std::vector<std::uint32_t> kNone;
      const Word& w = words[i];
      const auto& a = (w.flags & kNumber) ? impl.generic_number : kNone;
      const auto& b = (w.flags & kWeekday) ? impl.generic_weekday : kNone;
      // (A word is never empty; were it, only empty prefixes, listed under
      // byte 0 as under every byte, would match it.)
      const auto& c =
          impl.generic_prefix[w.norm_size > 0 ? static_cast<unsigned char>(norms[w.norm_begin])
                                              : 0];
      std::size_t ia = 0, ib = 0, ic = 0;
      constexpr std::uint32_t kEnd = 0xFFFFFFFFu;
      for (;;) {
        const std::uint32_t ra = ia < a.size() ? a[ia] : kEnd;
        const std::uint32_t rb = ib < b.size() ? b[ib] : kEnd;
        const std::uint32_t rc = ic < c.size() ? c[ic] : kEnd;
        const std::uint32_t r = std::min({ra, rb, rc});
        if (r == kEnd) break;
        ia += ra == r, ib += rb == r, ic += rc == r;
        consider(r);
      }
    }
    for (std::size_t s = 0; s < kSignals; ++s) {
      if (!best[s] || i < covered_until[s]) continue;
      // Negation: "not hacked", "there is no outage", "I haven't been charged twice".
      bool negated = false;
      if (best[s]->signal != UrgencySignal::low_priority) {
        for (int back = 1; back <= o.negation_window && std::size_t(back) <= i; ++back) {
          // Stop at the clause boundary: "It never came. Third time asking".
          if (words[i - std::size_t(back) + 1].clause_start) break;
          if (words[i - std::size_t(back)].flags & kNegator) {
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
  // A huge ticket should not pin its word buffers to the thread for good.
  if (scratch_words.words.capacity() > (std::size_t(1) << 16)) {
    std::vector<Word>().swap(scratch_words.words);
    std::string().swap(scratch_words.norms);
  }
}

} // namespace supportnlp::rules
