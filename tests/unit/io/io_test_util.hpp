#pragma once
// Helpers for the model container tests: a sample model holding every dtype,
// and byte-level patching that re-seals the checksums, so tests can build
// files that are structurally wrong yet pass every CRC (what a buggy writer or
// a malicious file would produce).

#include "supportnlp/io/model_file.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace snlp_test {

using supportnlp::io::DType;

inline std::uint32_t get_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
inline std::uint64_t get_u64(const std::string& s, std::size_t at) {
  return get_u32(s, at) | (static_cast<std::uint64_t>(get_u32(s, at + 4)) << 32);
}
inline void put_u16(std::string& s, std::size_t at, std::uint16_t v) {
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>(v >> 8);
}
inline void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline void put_u64(std::string& s, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Offsets of the 1.0 header (docs/model-format.md), written out independently
// of the library's own constants so the tests check the spec, not themselves.
struct Layout {
  std::uint64_t header_size, file_size, data_offset;
  std::uint32_t kind_len, metadata_len, tensor_count, directory_len;
  std::uint64_t kind_at() const { return header_size; }
  std::uint64_t metadata_at() const { return kind_at() + kind_len; }
  std::uint64_t directory_at() const { return metadata_at() + metadata_len; }
};

inline Layout layout(const std::string& f) {
  return {get_u32(f, 12), get_u64(f, 16), get_u64(f, 24), get_u32(f, 32),
          get_u32(f, 36), get_u32(f, 40), get_u32(f, 44)};
}

inline std::uint32_t crc(const std::string& f, std::uint64_t at, std::uint64_t n,
                         std::uint32_t c = 0) {
  return supportnlp::io::crc32(f.data() + at, static_cast<std::size_t>(n), c);
}

// Recomputes the directory, metadata and header CRCs from the header fields
// (section CRCs only where the header's lengths lie inside the file).
inline void reseal(std::string& f) {
  const Layout l = layout(f);
  const std::uint64_t end = l.directory_at() + l.directory_len;
  if (end <= f.size()) {
    put_u32(f, 48, crc(f, l.directory_at(), l.directory_len, crc(f, l.kind_at(), l.kind_len)));
    put_u32(f, 52, crc(f, l.metadata_at(), l.metadata_len));
  }
  put_u32(f, 60, crc(f, 0, 60));
}

// Byte offset of directory entry `index` (entries are walked by their length).
inline std::uint64_t entry_at(const std::string& f, std::uint32_t index) {
  std::uint64_t at = layout(f).directory_at();
  for (std::uint32_t i = 0; i < index; ++i)
    at += get_u32(f, at);
  return at;
}

// A model with one tensor of every dtype, scalars, empty and rank-3 shapes.
inline supportnlp::io::ModelWriter sample_writer() {
  supportnlp::io::ModelWriter w("test-kind");
  w.set_metadata(R"({"labels":["refund","shipping","café"],"dim":3,"note":"日本語"})");
  const float f32[6] = {1.5f, -2.25f, 0.0f, 3.0e10f, -1.0e-10f, 42.0f};
  w.add_tensor("weights", DType::f32, {2, 3}, f32, sizeof f32);
  const std::uint16_t f16[4] = {0x3C00, 0xC000, 0x7BFF, 0x0001}; // 1, -2, 65504, min subnormal
  w.add_tensor("half", DType::f16, {4}, f16, sizeof f16);
  const std::int8_t i8[8] = {-128, -1, 0, 1, 2, 64, 126, 127};
  w.add_tensor("quant", DType::i8, {2, 2, 2}, i8, sizeof i8, 0.0125f);
  w.add_blob("vocab", std::string("hello\nworld\n\0binary\xff", 20));
  const std::int32_t i32[3] = {-2147483647 - 1, 0, 2147483647};
  w.add_tensor("ids", DType::i32, {3, 1}, i32, sizeof i32);
  const std::uint32_t u32[2] = {0xFFFFFFFFu, 7};
  w.add_tensor("counts", DType::u32, {2}, u32, sizeof u32);
  const std::uint64_t u64 = 0x0123456789ABCDEFULL;
  w.add_tensor("scalar", DType::u64, {}, &u64, sizeof u64);
  w.add_tensor("empty", DType::f32, {0, 5}, nullptr, 0);
  return w;
}

inline std::string sample_bytes() {
  auto r = sample_writer().serialize();
  return r ? r.value() : std::string();
}

} // namespace snlp_test
