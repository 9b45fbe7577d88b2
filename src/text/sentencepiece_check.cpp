// Validates the precompiled normalization tables of a SentencePiece model:
// a minimal protobuf wire-format walk finds them, then every trie node is
// checked to stay inside the table, and every replacement string to end
// inside it.
//
// Table layout (SentencePiece's normalizer): a little-endian uint32 trie
// size, a darts-clone double-array trie of that many bytes (uint32 units),
// then NUL-terminated replacement strings that trie values index.
#include "text/sentencepiece_check.hpp"

#include <cstdint>
#include <cstring>

namespace supportnlp::text::detail {
namespace {

// Reads protobuf wire format; every read is bounds-checked.
class WireReader {
public:
  explicit WireReader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }

  bool varint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      value |= std::uint64_t(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  // Reads one field; `payload` is set for length-delimited fields.
  bool field(std::uint32_t& number, int& wire_type, std::string_view& payload) {
    std::uint64_t tag = 0;
    if (!varint(tag)) return false;
    number = static_cast<std::uint32_t>(tag >> 3);
    wire_type = static_cast<int>(tag & 7);
    payload = {};
    std::uint64_t n = 0;
    switch (wire_type) {
    case 0:
      return varint(n);
    case 1:
      return skip(8);
    case 5:
      return skip(4);
    case 2:
      if (!varint(n) || n > data_.size() - pos_) return false;
      payload = data_.substr(pos_, n);
      pos_ += n;
      return true;
    default:
      return false; // groups never occur in SentencePiece models
    }
  }

private:
  bool skip(std::size_t n) {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  std::string_view data_;
  std::size_t pos_ = 0;
};

std::uint32_t unit_at(std::string_view trie, std::size_t index) {
  std::uint32_t u = 0;
  std::memcpy(&u, trie.data() + index * 4, 4);
  return u; // little-endian hosts only, like SentencePiece's own reader
}
bool has_leaf(std::uint32_t u) {
  return ((u >> 8) & 1) == 1;
}
std::uint32_t unit_value(std::uint32_t u) {
  return u & ((1u << 31) - 1);
}
std::uint32_t unit_offset(std::uint32_t u) {
  return (u >> 10) << ((u & (1u << 9)) >> 6);
}

std::string check_charmap(std::string_view blob) {
  if (blob.empty()) return {}; // no table: identity normalization
  if (blob.size() <= 4) return "normalization table is truncated";
  std::uint32_t trie_bytes = 0;
  std::memcpy(&trie_bytes, blob.data(), 4);
  if (trie_bytes == 0 || trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4)
    return "normalization table has a bad trie size";
  const std::string_view trie = blob.substr(4, trie_bytes);
  const std::string_view strings = blob.substr(4 + trie_bytes);
  const std::size_t units = trie_bytes / 4;
  // Every unit that can be reached as a node (value units, bit 31 set, never
  // match a byte label, so they cannot) is checked, reachable or not, which
  // is one linear pass: a node's children are read at (base ^ byte) for any
  // input byte, so the whole 256-unit block at `base` must lie inside the
  // trie; a leaf's value is read at `base` and must index a NUL-terminated
  // replacement string. darts-clone sizes tries in whole 256-unit blocks, so
  // unused (zero) units pass.
  const std::size_t last_nul = strings.rfind('\0');
  for (std::size_t node = 0; node < units; ++node) {
    const std::uint32_t u = unit_at(trie, node);
    if (u & (1u << 31)) continue;
    const std::size_t base = node ^ unit_offset(u);
    if ((base | 0xFF) >= units) return "normalization trie points outside itself";
    if (has_leaf(u)) {
      const std::uint32_t value = unit_value(unit_at(trie, base));
      if (last_nul == std::string_view::npos || value > last_nul)
        return "normalization table entry points outside its strings";
    }
  }
  return {};
}

// Calls visit(number, wire_type, payload) on each field of a protobuf
// message, in order; false when the message cannot be read to its end.
template <class Visit> bool for_each_field(std::string_view message, Visit visit) {
  WireReader r(message);
  while (!r.done()) {
    std::uint32_t number = 0;
    int type = 0;
    std::string_view payload;
    if (!r.field(number, type, payload)) return false;
    visit(number, type, payload);
  }
  return true;
}

// Last precompiled_charmap (field 2) of a NormalizerSpec message; protobuf
// keeps the last occurrence of a repeated singular field.
bool find_charmap(std::string_view spec, std::string_view& charmap) {
  return for_each_field(spec, [&](std::uint32_t number, int type, std::string_view payload) {
    if (number == 2 && type == 2) charmap = payload;
  });
}

// The piece text (field 1, the last one given) of a SentencePiece message
// must be non-empty and free of NUL bytes: it becomes a key of
// SentencePiece's trie, whose builder throws on an empty key (and a NUL
// ends a key early). A message without field 1 has the empty piece.
// Returns false when the message cannot be read.
bool check_piece(std::string_view message, std::string& problem) {
  std::string_view piece;
  const bool readable =
      for_each_field(message, [&](std::uint32_t number, int type, std::string_view payload) {
        if (number == 1 && type == 2) piece = payload;
      });
  if (!readable) return false;
  if (piece.empty())
    problem = "a piece is empty";
  else if (piece.find('\0') != std::string_view::npos)
    problem = "a piece holds a NUL byte";
  return true;
}

} // namespace

std::string check_sentencepiece_model(std::string_view model) {
  // ModelProto fields 3 (normalizer_spec) and 5 (denormalizer_spec); a
  // message field given twice is merged, so the last charmap in any
  // occurrence wins.
  std::string_view normalizer, denormalizer;
  std::string problem;
  const bool readable =
      for_each_field(model, [&](std::uint32_t number, int type, std::string_view payload) {
        if (!problem.empty() || type != 2) return;
        if (number == 3 && !find_charmap(payload, normalizer))
          problem = "malformed normalizer spec";
        else if (number == 5 && !find_charmap(payload, denormalizer))
          problem = "malformed denormalizer spec";
        else if (number == 1 && !check_piece(payload, problem))
          problem = "malformed piece";
      });
  if (!problem.empty()) return problem;
  if (!readable) return "malformed protobuf";
  if (auto e = check_charmap(normalizer); !e.empty()) return e;
  if (auto e = check_charmap(denormalizer); !e.empty()) return "denormalizer: " + e;
  return {};
}

} // namespace supportnlp::text::detail
