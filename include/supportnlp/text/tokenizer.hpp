#pragma once
/// \file
/// Word tokenization for support text: UAX #29 word boundaries (ICU for
/// non-ASCII text, an equivalent ASCII fast path) plus support entities kept
/// whole (URLs, emails, @mentions, #hashtags, order/ticket ids, prices,
/// versions, emoji sequences). Sentence splitting follows UAX #29 sentences.
///
/// \code
///   supportnlp::text::Tokenizer tok;
///   auto t = tok.tokenize("Refund for ORD-99812? Mail bob@x.com 😡");
///   for (const auto& token : t.tokens)
///     std::cout << t.original(token) << ' ' << to_string(token.kind)
///               << ' ' << t.normalized(token) << '\n';
/// \endcode
///
/// Thread safety: a Tokenizer is immutable after construction; tokenize() may
/// be called from any number of threads at once.

#include "supportnlp/text/normalizer.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text {

/// What a token is. Values are stable (they may be stored in model files).
enum class TokenKind : std::uint8_t {
  word = 0,     ///< letters (any script), with inner apostrophes/periods per UAX #29
  number = 1,   ///< digits, decimals, "1,299.00", prices with currency sign
  punct = 2,    ///< punctuation
  symbol = 3,   ///< other symbols (currency alone, math, arrows)
  emoji = 4,    ///< an emoji, including ZWJ sequences, flags, skin tones, keycaps
  url = 5,      ///< http(s)://..., www.example.com/..., bare domains with a path
  email = 6,    ///< local@domain.tld
  mention = 7,  ///< @name
  hashtag = 8,  ///< #topic
  id = 9,       ///< order/ticket/reference ids: "#A-12345", "ORD-99812", "INC0012345"
  version = 10, ///< "v2.3.1", "10.4.2"
  emoticon = 11,///< ":-)", ":(", "<3"
  other = 12,   ///< anything else that is not whitespace
};

/// Name of a kind, e.g. "email".
const char* to_string(TokenKind kind) noexcept;

/// One token. `begin`/`end` are byte offsets into the caller's original text
/// (never into a repaired or normalized copy); `norm_begin`/`norm_end` index
/// TokenizedText::normalized_text.
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t norm_begin = 0;
  std::uint32_t norm_end = 0;
  TokenKind kind = TokenKind::other;
};

/// Tokens of one text. Reuse one instance across calls to avoid allocation.
struct TokenizedText {
  std::string_view source;       ///< the caller's text; must outlive this view
  std::vector<Token> tokens;
  std::string normalized_text;   ///< normalized forms of all tokens, back to back
  bool repaired_utf8 = false;    ///< the input held invalid UTF-8 (U+FFFD in normalized forms)

  /// The token's bytes in the original text.
  std::string_view original(const Token& t) const noexcept {
    return source.substr(t.begin, t.end - t.begin);
  }
  /// The token's normalized form (per TokenizerOptions::normalization).
  std::string_view normalized(const Token& t) const noexcept {
    return std::string_view(normalized_text).substr(t.norm_begin, t.norm_end - t.norm_begin);
  }
};

/// Tokenizer options; defaults suit feature extraction for support text.
struct TokenizerOptions {
  /// Recognise support entities (url, email, mention, hashtag, id, version,
  /// price, emoticon). Off: plain UAX #29 word segmentation.
  bool entities = true;
  /// Emit punctuation tokens.
  bool punctuation = true;
  /// Normalization of each token's normalized form.
  NormalizationForm normalization = NormalizationForm::nfkc_casefold;
};

/// A half-open byte range [begin, end) of the original text.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

class Tokenizer {
public:
  explicit Tokenizer(TokenizerOptions options = {});

  const TokenizerOptions& options() const noexcept;

  /// Tokenizes `text` into `out` (cleared first; its buffers are reused).
  /// Never fails; whitespace is not emitted. Texts over 4 GiB are truncated
  /// to the first 4 GiB (offsets are 32-bit).
  void tokenize(std::string_view text, TokenizedText& out) const;
  /// Convenience overload returning a new TokenizedText.
  TokenizedText tokenize(std::string_view text) const;

  /// Word-boundary positions of `text` per UAX #29 (entities ignored): the
  /// byte offsets at which a boundary occurs, including 0 and text.size().
  /// This is what the conformance test compares with WordBreakTest.txt.
  /// Same code path as tokenize(). One tailoring is inherited from ICU 72
  /// (CLDR): '@' counts as a letter, so "bob@x.com" is one segment even with
  /// entities off; Unicode's test file has no '@'. Invalid UTF-8 is repaired
  /// first; offsets are still into `text`.
  std::vector<std::uint32_t> word_boundaries(std::string_view text) const;

private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// Sentence spans of `text` per UAX #29 (ICU), with trailing whitespace
/// excluded from each span. Never fails.
std::vector<Span> split_sentences(std::string_view text);

/// Sentence-boundary positions per UAX #29, including 0 and text.size(),
/// as compared with SentenceBreakTest.txt.
std::vector<std::uint32_t> sentence_boundaries(std::string_view text);

} // namespace supportnlp::text
