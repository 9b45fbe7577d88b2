// Tokenizer driver: UTF-8 repair with an offset map, support entities, UAX #29
// word segments, token kinds and per-token normalization into one reused
// buffer.
#include "supportnlp/text/tokenizer.hpp"

#include "text/ascii_token.hpp"
#include "text/entities.hpp"
#include "text/normalizer_internal.hpp"
#include "text/segmenter.hpp"
#include "text/utf8_internal.hpp"
#include "text/word_rules.hpp"

#include "supportnlp/text/utf8.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace supportnlp::text {

const char* to_string(TokenKind kind) noexcept {
  switch (kind) {
  case TokenKind::word:
    return "word";
  case TokenKind::number:
    return "number";
  case TokenKind::punct:
    return "punct";
  case TokenKind::symbol:
    return "symbol";
  case TokenKind::emoji:
    return "emoji";
  case TokenKind::url:
    return "url";
  case TokenKind::email:
    return "email";
  case TokenKind::mention:
    return "mention";
  case TokenKind::hashtag:
    return "hashtag";
  case TokenKind::id:
    return "id";
  case TokenKind::version:
    return "version";
  case TokenKind::emoticon:
    return "emoticon";
  case TokenKind::other:
    return "other";
  }
  return "other";
}

struct Tokenizer::Impl {
  TokenizerOptions options;
  const icu::Normalizer2* normalizer = nullptr;
};

namespace {

constexpr std::size_t kMaxText = 0xFFFFFFFFu;

// Per-thread scratch buffers, so that tokenizing allocates nothing once warm.
struct Scratch {
  std::string repaired;
  std::vector<std::uint32_t> repair_map;
  std::vector<std::uint32_t> bounds;
  std::string piece; // normalized form of one non-ASCII token
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// The valid UTF-8 the segmenter works on, and how to map its offsets back.
struct ValidView {
  std::string_view text;
  const std::uint32_t* map = nullptr; // null: identity
  std::uint32_t original(std::uint32_t pos) const noexcept { return map ? map[pos] : pos; }
};

ValidView make_valid(std::string_view text, Scratch& s, bool& repaired) {
  repaired = false;
  if (find_invalid_utf8(text) == text.size()) return {text, nullptr};
  repaired = detail::repair_utf8_with_offsets(text, s.repaired, &s.repair_map);
  return {s.repaired, s.repair_map.data()};
}

} // namespace

Tokenizer::Tokenizer(TokenizerOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl->normalizer = detail::icu_normalizer(options.normalization);
  impl_ = std::move(impl);
}

const TokenizerOptions& Tokenizer::options() const noexcept {
  return impl_->options;
}

void Tokenizer::tokenize(std::string_view text, TokenizedText& out) const {
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);
  out.source = text;
  out.tokens.clear();
  Scratch& s = scratch();
  const ValidView v = make_valid(text, s, out.repaired_utf8);
  const Impl& impl = *impl_;

  // Instantiated for each combination of case folding and repaired input,
  // so that the per-token steps carry no test of either.
  auto run = [&](auto fold_tag, auto mapped_tag) {
    constexpr bool fold = decltype(fold_tag)::value;
    constexpr bool mapped = decltype(mapped_tag)::value;
    auto original = [&v](std::uint32_t pos) {
      if constexpr (mapped)
        return v.map[pos];
      else
        return pos;
    };
    const bool entities = impl.options.entities;
    const bool punctuation = impl.options.punctuation;
    // normalized_text is written through an index `w` into a buffer sized
    // ahead (ASCII forms are as long as the original), so appending a token is
    // a plain byte loop; it is cut to `w` at the end.
    std::string& norm = out.normalized_text;
    std::size_t w = 0;
    // Kept from the last call (not cleared): growing it zero-fills only the
    // part that is new.
    if (norm.size() < v.text.size() + 64) norm.resize(v.text.size() + 64);
    auto ensure = [&](std::size_t len) {
      if (w + len > norm.size()) norm.resize(std::max(norm.size() * 2, w + len + 64));
    };
    auto emit = [&](std::uint32_t b, std::uint32_t e, TokenKind kind, std::size_t norm_begin) {
      if (!punctuation && kind == TokenKind::punct) {
        w = norm_begin;
        return;
      }
      Token t;
      t.begin = original(b);
      t.end = original(e);
      t.norm_begin = std::uint32_t(norm_begin);
      t.norm_end = std::uint32_t(w);
      t.kind = kind;
      out.tokens.push_back(t);
    };
    auto append_norm = [&](std::string_view piece) {
      std::string& tmp = s.piece;
      tmp.clear();
      if (detail::is_ascii(piece))
        detail::append_ascii_normalized(piece, impl.options.normalization, tmp);
      else
        detail::append_valid_normalized(piece, impl.options.normalization, impl.normalizer, tmp);
      ensure(tmp.size());
      std::memcpy(norm.data() + w, tmp.data(), tmp.size());
      w += tmp.size();
    };

    // Each boundary becomes a token as soon as the segmenter finds it.
    std::uint32_t begin = 0;
    std::uint32_t consumed = 0; // bytes before this belong to an entity already emitted
    auto on_boundary = [&](const std::uint32_t end) {
      if (end <= consumed) {
        begin = end;
        return;
      }
      if (begin < consumed) begin = consumed; // the rest of a segment an entity ended inside
      const auto c0 = static_cast<unsigned char>(v.text[begin]);
      if (c0 == ' ' || (c0 >= '\t' && c0 <= '\r')) {
        begin = end;
        return;
      }
      if (entities) {
        TokenKind kind;
        const std::size_t e = detail::match_entity(v.text, begin, kind);
        if (e > begin) {
          const std::size_t nb = w;
          append_norm(v.text.substr(begin, e - begin));
          emit(begin, std::uint32_t(e), kind, nb);
          consumed = std::uint32_t(e);
          if (e >= end) {
            begin = end;
            return;
          }
          begin = std::uint32_t(e);
        }
      }
      const std::string_view seg = v.text.substr(begin, end - begin);
      const std::size_t nb = w;
      TokenKind kind;
      bool stable = false;
      ensure(seg.size());
      if (detail::ascii_token(seg, fold, norm.data() + w, kind)) {
        w += seg.size();
        emit(begin, end, kind, nb);
      } else if (detail::classify_segment(seg, kind, &stable)) {
        if (stable && fold) {
          // Its own NFKC_Casefold form: copied without calling ICU
          // (room was ensured above).
          std::memcpy(norm.data() + w, seg.data(), seg.size());
          w += seg.size();
        } else {
          append_norm(seg);
        }
        emit(begin, end, kind, nb);
      }
      begin = end;
    };
    // A segment of ASCII letters and digits (and '@') is one token of its own
    // unless an entity starts there or one has ended inside it.
    auto on_alnum = [&](const std::uint32_t end) {
      if (entities && (begin < consumed || !detail::plain_ascii_word(v.text, begin, end))) {
        on_boundary(end);
        return;
      }
      const std::size_t nb = w;
      TokenKind kind = TokenKind::word;
      ensure(end - begin);
      const std::string_view seg = v.text.substr(begin, end - begin);
      detail::ascii_token(seg, fold, norm.data() + w, kind);
      w += seg.size();
      emit(begin, end, kind, nb);
      begin = end;
    };
    // The segmenter's hints: white space never makes a token.
    struct Sink {
      decltype(on_boundary)& generic;
      decltype(on_alnum)& alnum;
      std::uint32_t& begin;
      void boundary(std::uint32_t end) { generic(end); }
      void space_end(std::uint32_t end) { begin = end; }
      void alnum_end(std::uint32_t end) { alnum(end); }
    } sink{on_boundary, on_alnum, begin};
    detail::wb::segment_words(v.text, s.bounds, sink);
    return w;
  };
  const bool fold = impl.options.normalization == NormalizationForm::nfkc_casefold;
  std::size_t w;
  if (fold)
    w = v.map ? run(std::true_type{}, std::true_type{}) : run(std::true_type{}, std::false_type{});
  else
    w = v.map ? run(std::false_type{}, std::true_type{})
              : run(std::false_type{}, std::false_type{});
  out.normalized_text.resize(w);
}

TokenizedText Tokenizer::tokenize(std::string_view text) const {
  TokenizedText out;
  tokenize(text, out);
  return out;
}

std::vector<std::uint32_t> Tokenizer::word_boundaries(std::string_view text) const {
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);
  Scratch& s = scratch();
  bool repaired = false;
  const ValidView v = make_valid(text, s, repaired);
  s.bounds.clear();
  detail::word_boundaries_fast(v.text, 0, s.bounds);
  std::vector<std::uint32_t> result;
  result.reserve(s.bounds.size() + 1);
  result.push_back(0);
  for (const std::uint32_t b : s.bounds)
    result.push_back(v.original(b));
  return result;
}

std::vector<std::uint32_t> sentence_boundaries(std::string_view text) {
  if (text.size() > kMaxText) text = text.substr(0, kMaxText);
  Scratch& s = scratch();
  bool repaired = false;
  const ValidView v = make_valid(text, s, repaired);
  std::vector<std::uint32_t> raw;
  detail::icu_sentence_boundaries(v.text, raw);
  std::vector<std::uint32_t> result;
  result.reserve(raw.size() + 1);
  result.push_back(0);
  for (const std::uint32_t b : raw)
    result.push_back(v.original(b));
  return result;
}

std::vector<Span> split_sentences(std::string_view text) {
  const std::vector<std::uint32_t> bounds = sentence_boundaries(text);
  std::vector<Span> spans;
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    std::uint32_t b = bounds[i], e = bounds[i + 1];
    while (e > b && (text[e - 1] == ' ' || (text[e - 1] >= '\t' && text[e - 1] <= '\r')))
      --e;
    while (b < e && (text[b] == ' ' || (text[b] >= '\t' && text[b] <= '\r')))
      ++b;
    if (e > b) spans.push_back({b, e});
  }
  return spans;
}

} // namespace supportnlp::text
