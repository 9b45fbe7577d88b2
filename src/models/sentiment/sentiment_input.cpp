// Classifier input of the learned sentiment model: tweet-style rewriting
// (hashtags split into words, mention and emoji names as single words) and
// lexicon marker words. Marker words are lower-case ASCII letters and digits
// so the tokenizer keeps each one whole; they never reach evidence offsets.
#include "models/sentiment/sentiment_input.hpp"

#include <algorithm>
#include <cmath>

namespace supportnlp::models::detail {
namespace {

void append_bucket(std::string& out, const char* name, int value) {
  out += ' ';
  out += name;
  if (value < 0) {
    out += 'n';
    value = -value;
  }
  out += static_cast<char>('0' + std::min(value, 9));
}

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Appends a single marker word `prefix` + the bytes of `s` as letters
// (a..p per nibble), so any name becomes one ASCII word.
void append_name_word(std::string& out, const char* prefix, std::string_view s) {
  out += ' ';
  out += prefix;
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (is_lower(ch) || is_digit(ch)) {
      out += ch;
    } else if (is_upper(ch)) {
      out += static_cast<char>(ch - 'A' + 'a');
    } else if (b >= 0x80) {
      out += static_cast<char>('a' + (b >> 4));
      out += static_cast<char>('a' + (b & 15));
    }
  }
}

bool is_negator(std::string_view w) {
  static constexpr std::string_view kNegators[] = {
      "not",     "no",       "never",    "nobody",    "nothing", "none",    "nowhere", "neither",
      "nor",     "cannot",   "cant",     "can't",     "dont",    "don't",   "didnt",   "didn't",
      "doesnt",  "doesn't",  "isnt",     "isn't",     "wasnt",   "wasn't",  "wont",    "won't",
      "havent",  "haven't",  "hasnt",    "hasn't",    "arent",   "aren't",  "couldnt", "couldn't",
      "wouldnt", "wouldn't", "shouldnt", "shouldn't", "werent",  "weren't", "without", "n't"};
  for (const auto n : kNegators)
    if (w == n) return true;
  // Normalization keeps a curly apostrophe (U+2019) as typed: "don’t".
  if (w.size() >= 5 && w.substr(w.size() - 5) == "n\xe2\x80\x99t") return true;
  return false;
}

} // namespace

void append_hashtag_words(std::string_view body, std::string& out) {
  char prev = 0;
  bool open = false;
  for (const char ch : body) {
    const bool letter = is_lower(ch) || is_upper(ch);
    if (!letter && !is_digit(ch)) {
      open = false;
      prev = 0;
      continue;
    }
    const bool cut = !open || (is_upper(ch) && is_lower(prev)) || (is_digit(ch) != is_digit(prev));
    if (cut) out += ' ';
    out += is_upper(ch) ? static_cast<char>(ch - 'A' + 'a') : ch;
    open = true;
    prev = ch;
  }
}

float SentimentInput::squash(float sum) const noexcept {
  return sum / std::sqrt(sum * sum + lexicon.alpha);
}

void SentimentInput::build(std::string_view text, text::TokenizedText& tokens, std::string& out,
                           LexiconSignals& s, std::vector<SentimentEvidence>* evidence) const {
  tokenizer.tokenize(text, tokens);
  build_from_tokens(text, tokens, out, s, evidence);
}

void SentimentInput::build_from_tokens(std::string_view text, const text::TokenizedText& tokens,
                                       std::string& out, LexiconSignals& s,
                                       std::vector<SentimentEvidence>* evidence) const {
  thread_local std::vector<SentimentEvidence> own;
  std::vector<SentimentEvidence>& ev = evidence ? *evidence : own;
  scorer.score(tokens, lexicon, s, &ev);
  out.assign(text.data(), text.size());
  if (input.negation_words) {
    int scope = 0;
    for (const auto& t : tokens.tokens) {
      const std::string_view w = tokens.normalized(t);
      if (t.kind == text::TokenKind::punct) {
        scope = 0;
      } else if (t.kind == text::TokenKind::word && is_negator(w)) {
        scope = 3;
      } else if (scope > 0 && t.kind == text::TokenKind::word) {
        --scope;
        append_name_word(out, input.short_markers ? "zqg" : "zzneg", w);
      }
    }
  }
  if (input.hashtag_words || input.mention_names || input.emoji_names) {
    for (const auto& t : tokens.tokens) {
      if (t.kind == text::TokenKind::hashtag && input.hashtag_words) {
        std::string_view body = tokens.original(t);
        if (!body.empty() && body.front() == '#') body.remove_prefix(1);
        append_hashtag_words(body, out);
      } else if (t.kind == text::TokenKind::mention && input.mention_names) {
        append_name_word(out, input.short_markers ? "zqa" : "zzat", tokens.normalized(t));
      } else if ((t.kind == text::TokenKind::emoji || t.kind == text::TokenKind::emoticon) &&
                 input.emoji_names) {
        append_name_word(out, input.short_markers ? "zqo" : "zzemo", tokens.normalized(t));
      }
    }
  }
  // Marker names: descriptive, or short (SentimentInputOptions::short_markers);
  // the "zz"/"zq" prefixes keep them apart from real words.
  struct Names {
    const char *score, *sum, *pos, *neg, *negated, *bang, *question, *ev, *ev_negated;
  };
  static constexpr Names kLong{"zzlexscore",     "zzlexsum",      "zzlexpos",
                               "zzlexneg",       " zzlexnegated", " zzlexbang",
                               " zzlexquestion", "zzlexev",       "zzlexevneg"};
  static constexpr Names kShort{"zqs", "zqm", "zqp", "zqc", " zqx", " zqb", " zqq", "zqe", "zqf"};
  const Names& n = input.short_markers ? kShort : kLong;
  const float score = squash(s.sum);
  append_bucket(out, n.score, static_cast<int>(std::lround(score * 5.0f)));
  append_bucket(out, n.sum, static_cast<int>(std::lround(std::clamp(s.sum, -9.0f, 9.0f))));
  append_bucket(out, n.pos, std::min(s.positive_hits, 3));
  append_bucket(out, n.neg, std::min(s.negative_hits, 3));
  if (s.negated_hits > 0) out += n.negated;
  if (s.exclamations > 0) out += n.bang;
  if (s.questions > 0) out += n.question;
  // One marker per piece of evidence: its strength, and whether it was negated.
  for (const auto& e : ev)
    append_bucket(out, e.negated ? n.ev_negated : n.ev,
                  static_cast<int>(std::lround(std::clamp(e.contribution, -9.0f, 9.0f))));
}

void SentimentInput::extend_tokens(std::string_view input, std::size_t text_size,
                                   text::TokenizedText& tokens, text::TokenizedText& tail) const {
  tokens.source = input;
  if (text_size >= input.size()) return;
  tokenizer.tokenize(input.substr(text_size), tail);
  const auto offset = static_cast<std::uint32_t>(text_size);
  const auto norm_offset = static_cast<std::uint32_t>(tokens.normalized_text.size());
  tokens.normalized_text += tail.normalized_text;
  for (text::Token t : tail.tokens) {
    t.begin += offset;
    t.end += offset;
    t.norm_begin += norm_offset;
    t.norm_end += norm_offset;
    tokens.tokens.push_back(t);
  }
  tokens.repaired_utf8 = tokens.repaired_utf8 || tail.repaired_utf8;
}

} // namespace supportnlp::models::detail
