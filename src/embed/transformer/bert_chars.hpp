#pragma once
// Private: what BERT's normalizer and pre-tokenizer do to each code point,
// looked up in a table built once per process from ICU (ICU is never called
// per character in the hot path, except for code points above the BMP).
//
// Hugging Face's BertNormalizer then BertPreTokenizer, per input code point:
//  - clean text: U+0000, U+FFFD and "control" characters (general category
//    C*: Cc, Cf, Cn, Co, Cs, except tab, newline and carriage return) are
//    removed; White_Space characters become a space, which separates words;
//  - CJK ideographs (the eight blocks of BERT's _is_chinese_char) become a
//    word of their own;
//  - strip accents: NFD, then nonspacing marks (Mn) are dropped;
//  - lowercase: Unicode lowercase per character (U+0130 becomes "i" U+0307);
//  - punctuation (ASCII !-/ :-@ [-` {-~, and general category P*) of the
//    normalized text becomes a word of its own.
// A code point maps to zero or more normalized characters, each with the
// class that decides how the pre-tokenizer treats it.

#include <cstdint>
#include <vector>

namespace supportnlp::embed::transformer {

/// How the pre-tokenizer treats a normalized character.
enum class CharClass : std::uint8_t {
  space = 0,    ///< ends the current word and is dropped
  isolated = 1, ///< a word by itself (punctuation, CJK ideograph)
  word = 2,     ///< part of the current word
};

/// One normalized character: its UTF-8 bytes and class.
struct NormalizedChar {
  char utf8[4];
  std::uint8_t size; ///< bytes used in utf8
  CharClass cls;
};

/// The normalizer's options that change the per-character mapping.
struct BertNormalization {
  bool lower_case = true;
  bool strip_accents = true;
  bool chinese_chars = true;
};

/// The per-character mapping under one BertNormalization. Immutable after
/// construction; shared by every tokenizer with the same options.
class BertCharTable {
public:
  /// The table for `options`, built on first use (thread-safe) and kept for
  /// the life of the process.
  static const BertCharTable& get(const BertNormalization& options);

  /// The normalized characters of code point `cp`: a pointer to `count`
  /// entries (count 0: the code point is removed). For code points above the
  /// BMP the entries are computed into `scratch` (which must outlive the
  /// returned pointer's use).
  const NormalizedChar* map(char32_t cp, std::uint8_t& count,
                            std::vector<NormalizedChar>& scratch) const;

  /// The same mapping computed directly with ICU (how the table is built);
  /// tests compare the two.
  static void compute(char32_t cp, const BertNormalization& options,
                      std::vector<NormalizedChar>& out);

private:
  explicit BertCharTable(const BertNormalization& options);
  struct Entry {
    std::uint32_t first; // index into chars_
    std::uint8_t count;
  };
  BertNormalization options_;
  std::vector<Entry> bmp_; // 0x10000 entries
  std::vector<NormalizedChar> chars_;
};

} // namespace supportnlp::embed::transformer
