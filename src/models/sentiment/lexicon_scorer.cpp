// Lexicon lookup and the sentiment rules (negation scope, intensifiers,
// contrast, capitals, exclamation marks, phrases) over one tokenized text.
// The lexicon holds English, Spanish, German, French and Portuguese entries
// in one table; nothing here depends on the text's language.
// Nothing here allocates per token: keys are built in stack buffers and the
// table is open addressing over the static entries.
#include "models/sentiment/lexicon_scorer.hpp"

#include "cpu/hash.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace supportnlp::models::detail {

namespace {

using text::Token;
using text::TokenKind;

constexpr std::size_t kMaxKey = 192;

std::uint64_t hash_bytes(const char* p, std::size_t n) noexcept {
  const std::uint64_t h = cpu::fnv1a(p, n);
  return h ^ (h >> 29);
}

bool lookup_kind(TokenKind kind) noexcept {
  switch (kind) {
  case TokenKind::word:
  case TokenKind::number:
  case TokenKind::emoji:
  case TokenKind::emoticon:
  case TokenKind::hashtag:
  case TokenKind::symbol:
  case TokenKind::other:
    return true;
  default:
    return false;
  }
}

// Writes the lookup key of a token's normalized form into buf: '#' of a
// hashtag dropped, U+2019 and U+2018 as ASCII apostrophe, emoji skin tones
// and variation selectors dropped. Returns its length (0: not a key).
std::size_t token_key(std::string_view norm, TokenKind kind, char* buf) noexcept {
  if (kind == TokenKind::hashtag && !norm.empty() && norm[0] == '#') norm.remove_prefix(1);
  if (norm.empty() || norm.size() >= kMaxKey) return 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < norm.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(norm[i]);
    if (c == 0xE2 && i + 2 < norm.size() && static_cast<unsigned char>(norm[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(norm[i + 2]) == 0x99 ||
         static_cast<unsigned char>(norm[i + 2]) == 0x98)) {
      buf[n++] = '\'';
      i += 2;
      continue;
    }
    if (c == 0xEF && i + 2 < norm.size() && static_cast<unsigned char>(norm[i + 1]) == 0xB8 &&
        static_cast<unsigned char>(norm[i + 2]) == 0x8F) { // U+FE0F
      i += 2;
      continue;
    }
    if (c == 0xF0 && i + 3 < norm.size() && static_cast<unsigned char>(norm[i + 1]) == 0x9F &&
        static_cast<unsigned char>(norm[i + 2]) == 0x8F &&
        static_cast<unsigned char>(norm[i + 3]) >= 0xBB &&
        static_cast<unsigned char>(norm[i + 3]) <= 0xBF) { // skin tones U+1F3FB..F
      i += 3;
      continue;
    }
    buf[n++] = static_cast<char>(c);
  }
  return n;
}

// Collapses runs of more than `keep` identical ASCII letters ("sooooo" ->
// "soo" or "so"). Returns the new length, or 0 if nothing changed.
std::size_t collapse_runs(const char* in, std::size_t n, std::size_t keep, char* out) noexcept {
  std::size_t m = 0, run = 0;
  bool changed = false;
  for (std::size_t i = 0; i < n; ++i) {
    run = (i > 0 && in[i] == in[i - 1]) ? run + 1 : 1;
    const bool letter = in[i] >= 'a' && in[i] <= 'z';
    if (letter && run > keep) {
      changed = true;
      continue;
    }
    out[m++] = in[i];
  }
  return changed ? m : 0;
}

// True if the original token is written in capitals (2+ letters, no lower case).
bool is_shouted(std::string_view original) noexcept {
  int upper = 0;
  for (const char ch : original) {
    if (ch >= 'a' && ch <= 'z') return false;
    if (ch >= 'A' && ch <= 'Z') ++upper;
  }
  return upper >= 2;
}

bool ends_clause(std::string_view norm) noexcept {
  for (const char ch : norm)
    if (ch == '.' || ch == '!' || ch == '?' || ch == ';' || ch == ',' || ch == ':' || ch == ')' ||
        ch == '(')
      return true;
  return false;
}

// Length of a French elided article or pronoun at the start of a key ("l'",
// "d'", "j'", "qu'", ...: "l'arnaque", "j'adore"), 0 if there is none or
// nothing follows it. The tokenizer keeps such words whole.
std::size_t elision_length(const char* key, std::size_t n) noexcept {
  std::size_t len = 0;
  if (n >= 3 && key[1] == '\'' && std::strchr("cdjlmnst", key[0]) != nullptr)
    len = 2;
  else if (n >= 4 && key[0] == 'q' && key[1] == 'u' && key[2] == '\'')
    len = 3;
  return len < n ? len : 0;
}

// A hyphen written inside a word ("ras-le-bol", "hassle-free"): phrases
// match across it as across a space.
bool inner_hyphen(const text::TokenizedText& tt, std::size_t j) noexcept {
  const auto& tokens = tt.tokens;
  return j > 0 && j + 1 < tokens.size() && tokens[j].kind == TokenKind::punct &&
         tt.normalized(tokens[j]) == "-" && tokens[j - 1].end == tokens[j].begin &&
         tokens[j].end == tokens[j + 1].begin;
}

} // namespace

LexiconScorer::LexiconScorer() {
  std::size_t capacity = 1;
  while (capacity < kLexiconEntryCount * 4)
    capacity <<= 1;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  for (std::size_t i = 0; i < kLexiconEntryCount; ++i) {
    const std::string_view term = kLexiconEntries[i].term;
    insert_slot(term).entry = static_cast<std::uint32_t>(i + 1);
    const std::size_t words =
        static_cast<std::size_t>(std::count(term.begin(), term.end(), ' ')) + 1;
    if (words > 1) {
      Slot& first = insert_slot(term.substr(0, term.find(' ')));
      first.phrase_words =
          static_cast<std::uint8_t>(std::max<std::size_t>(first.phrase_words, words));
      max_phrase_words_ = std::max(max_phrase_words_, static_cast<int>(words));
    }
  }
}

LexiconScorer::Slot& LexiconScorer::insert_slot(std::string_view key) {
  const std::uint64_t h = hash_bytes(key.data(), key.size());
  for (std::uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    Slot& s = slots_[i];
    if (s.key == nullptr) {
      s.hash = h;
      s.key = key.data();
      s.key_length = static_cast<std::uint16_t>(key.size());
      return s;
    }
    if (s.hash == h && std::string_view(s.key, s.key_length) == key) return s;
  }
}

const LexiconScorer::Slot* LexiconScorer::find_slot(std::string_view key,
                                                    std::uint64_t h) const noexcept {
  for (std::uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.key == nullptr) return nullptr;
    if (s.hash == h && s.key_length == key.size() &&
        std::memcmp(s.key, key.data(), key.size()) == 0)
      return &s;
  }
}

const LexiconEntry* LexiconScorer::match_emoticon(const text::TokenizedText& tt, std::size_t i,
                                                  std::size_t& last) const noexcept {
  // Adjacent (no space between) punctuation, symbols and short words or
  // numbers, longest first: ":" ")" -> ":)", "<" "3" -> "<3", ":" "D" -> ":d".
  char buf[16];
  std::size_t ends[4];
  std::size_t count = 0, len = 0;
  for (std::size_t j = i; j < tt.tokens.size() && count < 4; ++j) {
    const Token& t = tt.tokens[j];
    if (j > i && t.begin != tt.tokens[j - 1].end) break;
    const std::string_view norm = tt.normalized(t);
    const bool short_word =
        (t.kind == TokenKind::word || t.kind == TokenKind::number) && norm.size() <= 2;
    if (!(t.kind == TokenKind::punct || t.kind == TokenKind::symbol || short_word)) break;
    if (len + norm.size() > sizeof(buf)) break;
    std::memcpy(buf + len, norm.data(), norm.size());
    len += norm.size();
    ends[count++] = len;
  }
  for (std::size_t c = count; c >= 1; --c) {
    const LexiconEntry* e = find({buf, ends[c - 1]});
    if (e && e->kind == LexiconKind::emoji) {
      last = i + c - 1;
      return e;
    }
  }
  return nullptr;
}

const LexiconEntry* LexiconScorer::find(std::string_view key) const noexcept {
  const Slot* s = find_slot(key, hash_bytes(key.data(), key.size()));
  return s && s->entry ? &kLexiconEntries[s->entry - 1] : nullptr;
}

void LexiconScorer::score(const text::TokenizedText& tt, const LexiconOptions& opt,
                          LexiconSignals& sig, std::vector<SentimentEvidence>* evidence) const {
  sig = LexiconSignals{};
  if (evidence) evidence->clear();
  const std::vector<Token>& tokens = tt.tokens;
  const std::size_t n = tokens.size();

  // Capitals only count as emphasis when the text is not written in capitals.
  int upper = 0, lower = 0;
  for (const char ch : tt.source) {
    upper += ch >= 'A' && ch <= 'Z';
    lower += ch >= 'a' && ch <= 'z';
  }
  const bool caps_emphasis = upper < 3 * lower;

  char key[kMaxKey];
  char phrase[kMaxKey + 8];
  char collapsed[kMaxKey];
  float sum = 0.0f;
  float after = 1.0f;    // contrast weight for what follows
  int negation_left = 0; // tokens left in the current negation scope
  float boost = 0.0f;    // pending intensifier/diminisher change
  int boost_left = 0;
  std::uint32_t last_bang_begin = 0, last_bang_end = 0;
  // A negator whose scope negated nothing ("can't get through", "did not
  // show up") is itself a complaint cue in support text.
  bool pending_negator = false;
  std::uint32_t negator_begin = 0, negator_end = 0;
  auto flush_negator = [&] {
    if (!pending_negator) return;
    pending_negator = false;
    const float v = opt.bare_negation * after;
    ++sig.bare_negations;
    if (v == 0.0f) return;
    sum += v;
    if (v < 0) {
      sig.negative += v;
      ++sig.negative_hits;
    } else {
      sig.positive += v;
      ++sig.positive_hits;
    }
    if (evidence) {
      SentimentEvidence e;
      e.begin = negator_begin;
      e.end = negator_end;
      e.contribution = v;
      e.kind = EvidenceKind::word;
      evidence->push_back(e);
    }
  };

  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = tokens[i];
    const std::string_view norm = tt.normalized(t);
    const LexiconEntry* entry = nullptr;
    std::size_t last = i;
    // Emoticons the tokenizer split into punctuation (":", ")") are joined back.
    if ((t.kind == TokenKind::punct || t.kind == TokenKind::symbol) && !norm.empty() &&
        std::strchr(":;=<()^->x", norm[0]) != nullptr)
      entry = match_emoticon(tt, i, last);
    if (!entry) {
      if (t.kind == TokenKind::punct || !lookup_kind(t.kind)) {
        if (t.kind == TokenKind::punct) {
          for (const char ch : norm) {
            if (ch == '!') {
              ++sig.exclamations;
              last_bang_begin = t.begin;
              last_bang_end = t.end;
            }
            sig.questions += ch == '?';
          }
          if (ends_clause(norm)) {
            flush_negator();
            negation_left = 0;
            boost = 0.0f;
            boost_left = 0;
          }
        }
        continue;
      }
      std::size_t klen = token_key(norm, t.kind, key);
      if (klen == 0) continue;

      // Longest phrase starting here, else the single token.
      const Slot* slot = find_slot({key, klen}, hash_bytes(key, klen));
      if (slot && slot->phrase_words > 1) {
        std::size_t plen = klen;
        std::memcpy(phrase, key, klen);
        std::size_t ends[16];
        std::size_t last_token[16];
        std::size_t count = 1;
        ends[0] = plen;
        last_token[0] = i;
        for (std::size_t j = i + 1; j < n && count < slot->phrase_words && count < 16; ++j) {
          if (inner_hyphen(tt, j)) continue;
          if (!lookup_kind(tokens[j].kind)) break;
          char part[kMaxKey];
          const std::size_t len = token_key(tt.normalized(tokens[j]), tokens[j].kind, part);
          if (len == 0 || plen + 1 + len > kMaxKey) break;
          phrase[plen++] = ' ';
          std::memcpy(phrase + plen, part, len);
          plen += len;
          last_token[count] = j;
          ends[count++] = plen;
        }
        for (std::size_t c = count; c >= 2; --c) {
          if (const LexiconEntry* e = find({phrase, ends[c - 1]})) {
            entry = e;
            last = last_token[c - 1];
            break;
          }
        }
      }
      if (!entry && slot && slot->entry) entry = &kLexiconEntries[slot->entry - 1];
      if (!entry && t.kind == TokenKind::word) {
        if (const std::size_t skip = elision_length(key, klen)) {
          std::memmove(key, key + skip, klen - skip);
          klen -= skip;
          entry = find({key, klen});
        }
      }
      // Elongated words ("sooooo", "hateeee"): runs of 3+ letters cut to
      // two, then to one. Words without such a run are left alone.
      if (!entry && t.kind == TokenKind::word) {
        const std::size_t two = collapse_runs(key, klen, 2, collapsed);
        if (two) {
          entry = find({collapsed, two});
          char one[kMaxKey];
          const std::size_t m = entry ? 0 : collapse_runs(collapsed, two, 1, one);
          if (m) entry = find({one, m});
        }
      }
    }
    if (!entry) {
      if (negation_left > 0 && --negation_left == 0) flush_negator();
      if (boost_left > 0 && --boost_left == 0) boost = 0.0f;
      continue;
    }
    const Token& end_token = tokens[last];
    i = last;
    switch (entry->kind) {
    case LexiconKind::negator:
      flush_negator();
      negation_left = opt.negation_scope;
      pending_negator = true;
      negator_begin = t.begin;
      negator_end = end_token.end;
      continue;
    case LexiconKind::intensifier:
      boost += entry->value;
      boost_left = 3;
      if (negation_left > 0 && --negation_left == 0) flush_negator();
      continue;
    case LexiconKind::contrast:
      flush_negator();
      sum *= opt.before_contrast;
      if (evidence)
        for (auto& e : *evidence)
          e.contribution *= opt.before_contrast;
      sig.positive *= opt.before_contrast;
      sig.negative *= opt.before_contrast;
      sig.emoji *= opt.before_contrast;
      sig.negated *= opt.before_contrast;
      ++sig.contrasts;
      after = opt.after_contrast;
      negation_left = 0;
      continue;
    case LexiconKind::valence:
    case LexiconKind::emoji:
      break;
    }
    float v = entry->value;
    bool negated = false;
    if (negation_left > 0 && entry->kind == LexiconKind::valence) {
      v = entry->has_negated ? entry->negated : v * opt.negation_factor;
      negated = true;
      pending_negator = false;
      --negation_left;
    }
    v *= 1.0f + boost;
    boost = 0.0f;
    boost_left = 0;
    if (caps_emphasis && entry->kind == LexiconKind::valence &&
        is_shouted(tt.source.substr(t.begin, end_token.end - t.begin)))
      v *= opt.caps_factor;
    v *= after;
    if (v == 0.0f) continue;
    sum += v;
    if (v > 0) {
      sig.positive += v;
      ++sig.positive_hits;
    } else {
      sig.negative += v;
      ++sig.negative_hits;
    }
    sig.negated_hits += negated;
    if (negated) sig.negated += v;
    if (entry->kind == LexiconKind::emoji) sig.emoji += v;
    if (evidence) {
      SentimentEvidence e;
      e.begin = t.begin;
      e.end = end_token.end;
      e.contribution = v;
      e.kind = entry->kind == LexiconKind::emoji ? EvidenceKind::emoji
               : &end_token != &t                ? EvidenceKind::phrase
                                                 : EvidenceKind::word;
      e.negated = negated;
      evidence->push_back(e);
    }
  }

  flush_negator();
  if (sig.exclamations > 0 && sum != 0.0f) {
    const float boost_total =
        static_cast<float>(std::min(sig.exclamations, 4)) * opt.exclamation_boost;
    const float v = sum > 0 ? boost_total : -boost_total;
    sum += v;
    if (evidence) {
      SentimentEvidence e;
      e.begin = last_bang_begin;
      e.end = last_bang_end;
      e.contribution = v;
      e.kind = EvidenceKind::emphasis;
      evidence->push_back(e);
    }
  }
  sig.sum = sum;
}

} // namespace supportnlp::models::detail
