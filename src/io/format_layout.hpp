#pragma once
// Byte layout of the model container, version 1.x. docs/model-format.md is the
// specification; this header is its single source of truth in code, shared by
// the writer and the reader. All integers are little-endian on disk whatever
// the host's byte order, so they are read and written byte by byte.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace supportnlp::io::format {

inline constexpr char kMagic[8] = {'S', 'N', 'L', 'P', 'M', 'D', 'L', '\0'};
inline constexpr std::size_t kAlignment = 64;

// Fixed header, 64 bytes in version 1.0.
inline constexpr std::size_t kHeaderSize = 64;
inline constexpr std::size_t kOffMagic = 0;         // char[8]
inline constexpr std::size_t kOffMajor = 8;         // u16
inline constexpr std::size_t kOffMinor = 10;        // u16
inline constexpr std::size_t kOffHeaderSize = 12;   // u32
inline constexpr std::size_t kOffFileSize = 16;     // u64
inline constexpr std::size_t kOffDataOffset = 24;   // u64
inline constexpr std::size_t kOffKindLen = 32;      // u32
inline constexpr std::size_t kOffMetadataLen = 36;  // u32
inline constexpr std::size_t kOffTensorCount = 40;  // u32
inline constexpr std::size_t kOffDirectoryLen = 44; // u32
inline constexpr std::size_t kOffDirectoryCrc = 48; // u32, CRC of kind + directory
inline constexpr std::size_t kOffMetadataCrc = 52;  // u32
inline constexpr std::size_t kOffReserved = 56;     // u32, zero
inline constexpr std::size_t kOffHeaderCrc = 60;    // u32, CRC of bytes [0, 60)

// Directory entry: fixed part, then rank i64 dims, then the name.
inline constexpr std::size_t kEntryFixedSize = 32;
inline constexpr std::size_t kEntOffLen = 0;     // u32, whole entry length
inline constexpr std::size_t kEntOffDType = 4;   // u8
inline constexpr std::size_t kEntOffRank = 5;    // u8
inline constexpr std::size_t kEntOffNameLen = 6; // u16
inline constexpr std::size_t kEntOffScale = 8;   // f32
inline constexpr std::size_t kEntOffCrc = 12;    // u32, CRC of the tensor's bytes
inline constexpr std::size_t kEntOffOffset = 16; // u64, absolute file offset
inline constexpr std::size_t kEntOffSize = 24;   // u64, byte length

// Limits a reader enforces before trusting a length.
inline constexpr std::size_t kMaxKindLen = 64;
inline constexpr std::size_t kMaxRank = 8;
inline constexpr std::size_t kMaxNameLen = 0xFFFF;

inline std::uint16_t load_u16(const unsigned char* p) noexcept {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const unsigned char* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t load_u64(const unsigned char* p) noexcept {
  return static_cast<std::uint64_t>(load_u32(p)) |
         (static_cast<std::uint64_t>(load_u32(p + 4)) << 32);
}
inline float load_f32(const unsigned char* p) noexcept {
  const std::uint32_t bits = load_u32(p);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline void store_u16(unsigned char* p, std::uint16_t v) noexcept {
  p[0] = static_cast<unsigned char>(v);
  p[1] = static_cast<unsigned char>(v >> 8);
}
inline void store_u32(unsigned char* p, std::uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void store_u64(unsigned char* p, std::uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void store_f32(unsigned char* p, float f) noexcept {
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  store_u32(p, bits);
}

inline constexpr std::uint64_t align_up(std::uint64_t n) noexcept {
  return (n + (kAlignment - 1)) & ~static_cast<std::uint64_t>(kAlignment - 1);
}

// Kinds are short ASCII identifiers so they can be named in messages safely.
inline bool valid_kind(const char* s, std::size_t n) noexcept {
  if (n == 0 || n > kMaxKindLen) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[i];
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Strict UTF-8 (no overlongs, no surrogates, max U+10FFFF).
bool valid_utf8(const char* s, std::size_t n) noexcept;

// True if `dtype` is one of the enum values this version defines.
bool known_dtype(std::uint8_t dtype) noexcept;

} // namespace supportnlp::io::format
