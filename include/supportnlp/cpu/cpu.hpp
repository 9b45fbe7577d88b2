#pragma once
/// \file
/// Which instruction set supportnlp's hand-written kernels run with, and how
/// to choose it.
///
/// The library is built for the baseline CPU (x86-64 with SSE2). Its kernels
/// (linear-model scoring, dense-index scans, encoder pooling) also exist in
/// AVX2 and AVX-512 versions; one level is chosen once per process, at the
/// first call that needs it: the best this CPU supports, or less if the
/// environment variable `SUPPORTNLP_CPU` asks for less (docs/building.md):
///
/// | `SUPPORTNLP_CPU` | level used |
/// |---|---|
/// | unset, empty or `auto` | detected_isa() |
/// | `portable`, `avx2`, `avx512` | that level, or the best one below it this CPU has |
/// | anything else | detected_isa() (the value is ignored) |
///
/// Asking for a level the CPU lacks never fails or crashes; it gets the best
/// level the CPU has below it. Linear-model scores and encoder vectors are
/// identical, bit for bit, at every level; dense-index scores agree to
/// float rounding (int8 scores exactly).
///
/// ```cpp
/// #include <supportnlp/cpu/cpu.hpp>
/// std::printf("kernels: %s\n", supportnlp::cpu::isa_name(supportnlp::cpu::active_isa()));
/// ```

namespace supportnlp::cpu {

/// An instruction-set level of the kernels, lowest first; each level
/// includes the ones below it.
enum class Isa : int {
  portable = 0, ///< baseline code only: scalar C++, and SSE2 on x86-64
  avx2 = 1,     ///< AVX2 and FMA (x86-64: Intel Haswell, AMD Zen and later)
  avx512 =
      2, ///< AVX-512 F, BW and VNNI as well (Intel Cascade Lake, Ice Lake, AMD Zen 4 and later)
};

/// The best level this CPU and build can run: portable on anything but
/// x86-64 built with GCC or Clang. Does not read `SUPPORTNLP_CPU`.
/// Thread-safe.
Isa detected_isa() noexcept;

/// The level the kernels use in this process: resolve_isa() of
/// `SUPPORTNLP_CPU` as it was at the first call. Fixed for the life of the
/// process (a later change of the variable has no effect). Thread-safe.
Isa active_isa() noexcept;

/// True if this CPU and build can run `isa` (`isa <= detected_isa()`).
bool supported(Isa isa) noexcept;

/// "portable", "avx2" or "avx512" ("unknown" for a value outside the enum);
/// static storage.
const char* isa_name(Isa isa) noexcept;

/// The level used when `SUPPORTNLP_CPU` holds `request` (null: unset) on a
/// CPU whose best level is `detected`, by the table above. Names are
/// matched without regard to ASCII case.
Isa resolve_isa(const char* request, Isa detected) noexcept;

} // namespace supportnlp::cpu
