// BERT's WordPiece tokenizer (wordpiece.hpp).
#include "embed/transformer/wordpiece.hpp"

#include "embed/transformer/encoding_util.hpp"
#include "embed/transformer/special_tokens.hpp"

#include "cpu/hash.hpp"
#include "supportnlp/text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace supportnlp::embed::transformer {
namespace {

inline bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Vocabulary pieces by their bytes: open addressing over a power-of-two
// array with linear probing, keyed by the FNV-1a state after the piece's
// bytes. A lookup takes that state from the caller, who computes the states
// of every candidate length in one pass over the word (WordPiece tries a
// word's prefixes from the longest down).
class PieceTable {
public:
  void build(const std::string& arena,
             const std::vector<std::pair<std::string_view, std::int32_t>>& pieces) {
    arena_ = arena.data();
    std::size_t slots = 16;
    while (slots < pieces.size() * 2)
      slots *= 2;
    slots_.assign(slots, Slot{});
    mask_ = slots - 1;
    for (const auto& [piece, id] : pieces) {
      const std::uint64_t h = cpu::fnv1a(piece.data(), piece.size());
      std::size_t i = mix(h) & mask_;
      while (slots_[i].id >= 0 && !same(slots_[i], piece, h))
        i = (i + 1) & mask_;
      // A piece listed twice: the later id wins, as in Hugging Face.
      slots_[i] = Slot{h, static_cast<std::uint32_t>(piece.data() - arena_),
                       static_cast<std::uint32_t>(piece.size()), id};
      longest_ = std::max(longest_, piece.size());
    }
  }
  /// The id of `piece` whose FNV-1a state is `h`, or -1.
  std::int32_t find(std::string_view piece, std::uint64_t h) const {
    for (std::size_t i = mix(h) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id < 0) return -1;
      if (same(s, piece, h)) return s.id;
    }
  }
  /// Bytes of the longest piece.
  std::size_t longest() const { return longest_; }

private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0, size = 0;
    std::int32_t id = -1;
  };
  static std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
  }
  bool same(const Slot& s, std::string_view piece, std::uint64_t h) const {
    return s.hash == h && s.size == piece.size() &&
           std::memcmp(arena_ + s.offset, piece.data(), piece.size()) == 0;
  }
  const char* arena_ = nullptr;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t longest_ = 0;
};

class WordPieceTokenizer final : public Tokenizer {
public:
  WordPieceTokenizer(const WordPieceConfig& config, std::int32_t unk, std::int32_t cls,
                     std::int32_t sep, std::int32_t pad)
      : table_(BertCharTable::get(config.normalization)), unk_(unk), cls_(cls), sep_(sep),
        pad_(pad), vocab_size_(config.vocab.size()), max_word_chars_(config.max_word_chars) {
    // One arena for every token string, so the maps' keys are stable views.
    std::size_t total = 0;
    for (const auto& t : config.vocab)
      total += t.size();
    arena_.reserve(total);
    std::vector<std::size_t> at(config.vocab.size());
    for (std::size_t i = 0; i < config.vocab.size(); ++i) {
      at[i] = arena_.size();
      arena_ += config.vocab[i];
    }
    std::vector<std::pair<std::string_view, std::int32_t>> starts, continuations;
    starts.reserve(config.vocab.size());
    for (std::size_t i = 0; i < config.vocab.size(); ++i) {
      const std::string_view token(arena_.data() + at[i], config.vocab[i].size());
      if (token.empty()) continue;
      const auto id = static_cast<std::int32_t>(i);
      starts.emplace_back(token, id);
      if (token.size() > 2 && token.compare(0, 2, "##") == 0)
        continuations.emplace_back(token.substr(2), id);
    }
    starts_.build(arena_, starts);
    continuations_.build(arena_, continuations);
    for (const auto& s : config.special_tokens) {
      const std::int32_t id = s.empty() ? -1 : starts_.find(s, cpu::fnv1a(s.data(), s.size()));
      if (id >= 0) specials_.add(s, id);
    }
  }

  Encoding encode(std::string_view text, std::size_t max_length) const override;
  std::int32_t pad_id() const override { return pad_; }
  std::size_t vocab_size() const override { return vocab_size_; }

private:
  // The word being collected: its normalized bytes and, per byte, the
  // original span of the character it came from; and the hash states of
  // emit_word. Reused across calls on one thread (encode's scratch).
  struct Word {
    std::string bytes;
    std::vector<std::uint32_t> begin, end;
    std::size_t chars = 0;
    std::vector<std::uint64_t> hashes;
    std::vector<NormalizedChar> above_bmp;
    void clear() {
      bytes.clear();
      begin.clear();
      end.clear();
      chars = 0;
    }
    // Past `limit` characters the word is [UNK] whatever follows: only its
    // end moves on (so a long run of letters costs no memory).
    void append(const NormalizedChar& c, std::uint32_t b, std::uint32_t e, std::size_t limit) {
      if (chars > limit) {
        end.back() = e;
        return;
      }
      bytes.append(c.utf8, c.size);
      for (std::uint8_t i = 0; i < c.size; ++i) {
        begin.push_back(b);
        end.push_back(e);
      }
      ++chars;
    }
  };

  void emit_word(Word& w, Encoding& out) const;

  const BertCharTable& table_;
  std::int32_t unk_, cls_, sep_, pad_;
  std::size_t vocab_size_;
  std::size_t max_word_chars_;
  std::string arena_;
  PieceTable starts_;        // every token, for a word's first piece
  PieceTable continuations_; // "##x" tokens keyed by x
  SpecialTokens specials_;
};

// Greedy longest-match-first over the word's bytes, at character boundaries;
// a word with a part no piece matches, or longer than max_word_chars_,
// becomes one [UNK] spanning the whole word.
void WordPieceTokenizer::emit_word(Word& w, Encoding& out) const {
  const std::size_t n = w.bytes.size();
  if (n == 0) return;
  const std::size_t rollback = out.ids.size();
  if (w.chars <= max_word_chars_) {
    const std::string_view word(w.bytes);
    std::size_t start = 0;
    while (start < n) {
      const PieceTable& table = start == 0 ? starts_ : continuations_;
      const std::size_t limit = std::min(n, start + table.longest());
      // hashes[k]: the FNV-1a state of word[start, start + k).
      w.hashes.resize(limit - start + 1);
      std::uint64_t h = cpu::kFnvOffsetBasis;
      for (std::size_t k = start; k < limit; ++k) {
        h = cpu::fnv1a_step(h, static_cast<unsigned char>(word[k]));
        w.hashes[k - start + 1] = h;
      }
      std::size_t end = limit;
      while (end < n && end > start && is_continuation_byte(word[end]))
        --end;
      std::int32_t id = -1;
      while (end > start) {
        id = table.find(word.substr(start, end - start), w.hashes[end - start]);
        if (id >= 0) break;
        --end;
        while (end > start && is_continuation_byte(word[end]))
          --end;
      }
      if (id < 0) break;
      push(out, id, w.begin[start], w.end[end - 1]);
      start = end;
    }
    if (start == n) return;
  }
  out.ids.resize(rollback);
  out.begin.resize(rollback);
  out.end.resize(rollback);
  push(out, unk_, w.begin.front(), w.end.back());
}

Encoding WordPieceTokenizer::encode(std::string_view text, std::size_t max_length) const {
  Encoding out;
  // Offsets are 32-bit: a longer text is cut (max_length ends it far sooner).
  if (text.size() > UINT32_MAX) text = text.substr(0, UINT32_MAX);
  const std::size_t budget = piece_budget(max_length);
  const std::size_t reserve = std::min(budget, text.size()) + 2;
  out.ids.reserve(reserve);
  out.begin.reserve(reserve);
  out.end.reserve(reserve);
  push(out, cls_, 0, 0);
  thread_local Word word;
  word.clear();
  const auto flush = [&] {
    emit_word(word, out);
    word.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size() && out.ids.size() - 1 < budget) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    std::int32_t special = 0;
    if (const std::size_t len = specials_.match(text, pos, special)) {
      flush();
      push(out, special, static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + len));
      pos += len;
      continue;
    }
    const auto b = static_cast<std::uint32_t>(pos);
    // Invalid UTF-8 decodes to U+FFFD, which the normalizer removes.
    const char32_t cp = byte < 0x80 ? (++pos, char32_t{byte}) : text::decode_utf8(text, pos);
    const auto e = static_cast<std::uint32_t>(pos);
    std::uint8_t count = 0;
    const NormalizedChar* chars = table_.map(cp, count, word.above_bmp);
    for (std::uint8_t i = 0; i < count; ++i) {
      const NormalizedChar& c = chars[i];
      if (c.cls == CharClass::word) {
        word.append(c, b, e, max_word_chars_);
      } else {
        flush();
        if (c.cls == CharClass::isolated) {
          word.append(c, b, e, max_word_chars_);
          flush();
        }
      }
    }
  }
  flush();
  close_encoding(out, budget, sep_);
  return out;
}

} // namespace

std::vector<std::string> split_vocab_lines(std::string_view vocab_txt) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < vocab_txt.size()) {
    std::size_t nl = vocab_txt.find('\n', pos);
    if (nl == std::string_view::npos) nl = vocab_txt.size();
    std::size_t end = nl;
    if (end > pos && vocab_txt[end - 1] == '\r') --end;
    lines.emplace_back(vocab_txt.substr(pos, end - pos));
    pos = nl + 1;
  }
  return lines;
}

Result<std::unique_ptr<Tokenizer>> make_wordpiece(WordPieceConfig config) {
  if (config.vocab.empty())
    return make_error(ErrorCode::invalid_data, config.source + ": the vocabulary is empty");
  if (config.vocab.size() > static_cast<std::size_t>(INT32_MAX))
    return make_error(ErrorCode::invalid_data, config.source + ": the vocabulary is too large");
  // Later duplicates win, as in Hugging Face's load_vocab.
  const auto id_of = [&](const std::string& token) -> std::int32_t {
    std::int32_t id = -1;
    for (std::size_t i = 0; i < config.vocab.size(); ++i)
      if (config.vocab[i] == token) id = static_cast<std::int32_t>(i);
    return id;
  };
  std::int32_t ids[4];
  const std::string* names[4] = {&config.unk_token, &config.cls_token, &config.sep_token,
                                 &config.pad_token};
  const char* fields[4] = {"unk_token", "cls_token", "sep_token", "pad_token"};
  for (int i = 0; i < 4; ++i) {
    ids[i] = id_of(*names[i]);
    if (ids[i] < 0)
      return make_error(ErrorCode::invalid_data, config.source + ": " + fields[i] + " '" +
                                                     *names[i] + "' is not in the vocabulary");
  }
  std::unique_ptr<Tokenizer> t =
      std::make_unique<WordPieceTokenizer>(config, ids[0], ids[1], ids[2], ids[3]);
  return t;
}

Result<std::unique_ptr<Tokenizer>> wordpiece_from_vocab(std::string_view vocab_txt, bool lower_case,
                                                        bool strip_accents, bool chinese_chars) {
  if (!text::is_valid_utf8(vocab_txt))
    return make_error(ErrorCode::invalid_data,
                      "vocab.txt: not valid UTF-8 (at byte " +
                          std::to_string(text::find_invalid_utf8(vocab_txt)) + ")");
  WordPieceConfig config;
  config.vocab = split_vocab_lines(vocab_txt);
  config.normalization = BertNormalization{lower_case, strip_accents, chinese_chars};
  return make_wordpiece(std::move(config));
}

} // namespace supportnlp::embed::transformer
