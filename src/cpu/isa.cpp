// The one place that asks the CPU what it can do, and the SUPPORTNLP_CPU
// override over it.
#include "supportnlp/cpu/cpu.hpp"

#include "cpu/simd.hpp"

#include <cstdlib>
#include <initializer_list>

namespace supportnlp::cpu {
namespace {

Isa detect() noexcept {
#ifdef SUPPORTNLP_CPU_X86
  __builtin_cpu_init();
  // __builtin_cpu_supports also checks that the OS saves the AVX and
  // AVX-512 registers (XGETBV), so a level found here is usable.
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return Isa::portable;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vnni"))
    return Isa::avx512;
  return Isa::avx2;
#else
  return Isa::portable;
#endif
}

// ASCII case-insensitive equality with a lower-case name.
bool names(const char* request, const char* name) noexcept {
  for (; *request != '\0' && *name != '\0'; ++request, ++name) {
    char c = *request;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != *name) return false;
  }
  return *request == *name;
}

} // namespace

Isa detected_isa() noexcept {
  static const Isa isa = detect();
  return isa;
}

Isa active_isa() noexcept {
  static const Isa isa = resolve_isa(std::getenv("SUPPORTNLP_CPU"), detected_isa());
  return isa;
}

bool supported(Isa isa) noexcept {
  return static_cast<int>(isa) >= 0 && static_cast<int>(isa) <= static_cast<int>(detected_isa());
}

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
  case Isa::portable:
    return "portable";
  case Isa::avx2:
    return "avx2";
  case Isa::avx512:
    return "avx512";
  }
  return "unknown";
}

Isa resolve_isa(const char* request, Isa detected) noexcept {
  if (request == nullptr || *request == '\0' || names(request, "auto")) return detected;
  for (Isa level : {Isa::portable, Isa::avx2, Isa::avx512})
    if (names(request, isa_name(level)))
      return static_cast<int>(level) < static_cast<int>(detected) ? level : detected;
  return detected;
}

} // namespace supportnlp::cpu
