// Small helpers shared by the writer and the reader: dtype tables and strict
// UTF-8 validation of names and metadata.

#include "io/format_layout.hpp"
#include "supportnlp/io/model_file.hpp"

namespace supportnlp::io {

std::size_t dtype_size(DType dtype) noexcept {
  switch (dtype) {
  case DType::f32:
    return 4;
  case DType::f16:
    return 2;
  case DType::i8:
    return 1;
  case DType::u8:
    return 1;
  case DType::i32:
    return 4;
  case DType::u32:
    return 4;
  case DType::u64:
    return 8;
  }
  return 0;
}

const char* to_string(DType dtype) noexcept {
  switch (dtype) {
  case DType::f32:
    return "f32";
  case DType::f16:
    return "f16";
  case DType::i8:
    return "i8";
  case DType::u8:
    return "u8";
  case DType::i32:
    return "i32";
  case DType::u32:
    return "u32";
  case DType::u64:
    return "u64";
  }
  return "unknown";
}

std::int64_t Tensor::elements() const noexcept {
  std::int64_t n = 1;
  for (std::int64_t d : shape)
    n *= d; // shapes were overflow-checked at open
  return n;
}

namespace format {

bool known_dtype(std::uint8_t dtype) noexcept {
  return dtype >= 1 && dtype <= 7;
}

bool valid_utf8(const char* s, std::size_t n) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0FU;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0U) != 0x80U) return false;
      cp = (cp << 6) | (p[i + k] & 0x3FU);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

} // namespace format
} // namespace supportnlp::io
