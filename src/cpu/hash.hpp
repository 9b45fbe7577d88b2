#pragma once
// The library's one byte hash: 64-bit FNV-1a. Its values are part of model
// files (hashed feature ids) and of test expectations, so it must never
// change. Callers that need well-spread low bits finish it with their own
// mixer (features::hash_bytes uses splitmix64's).

#include <cstddef>
#include <cstdint>

namespace supportnlp::cpu {

/// FNV-1a's 64-bit offset basis and prime.
inline constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
inline constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

/// One FNV-1a step: state `h` takes in `unit` (a byte, or a code point for
/// hashes over characters).
constexpr std::uint64_t fnv1a_step(std::uint64_t h, std::uint64_t unit) noexcept {
  return (h ^ unit) * kFnvPrime;
}

/// 64-bit FNV-1a of bytes[0..size), continuing from state `h` (the offset
/// basis for a fresh hash; a seed may be mixed into it).
inline std::uint64_t fnv1a(const void* bytes, std::size_t size,
                           std::uint64_t h = kFnvOffsetBasis) noexcept {
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < size; ++i)
    h = fnv1a_step(h, p[i]);
  return h;
}

} // namespace supportnlp::cpu
