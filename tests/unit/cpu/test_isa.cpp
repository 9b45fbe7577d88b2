// The instruction-set level: detection, the SUPPORTNLP_CPU override, and
// that the kernel table in use is the level asked for.
#include <catch2/catch.hpp>

#include "cpu/kernels.hpp"
#include "supportnlp/cpu/cpu.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

using namespace supportnlp::cpu;

TEST_CASE("SUPPORTNLP_CPU lowers the level, never raises it", "[cpu]") {
  for (Isa detected : {Isa::portable, Isa::avx2, Isa::avx512}) {
    INFO("detected " << isa_name(detected));
    CHECK(resolve_isa("portable", detected) == Isa::portable);
    CHECK(resolve_isa("avx2", detected) == (detected == Isa::portable ? Isa::portable : Isa::avx2));
    CHECK(resolve_isa("avx512", detected) == detected);
    CHECK(resolve_isa("AVX2", detected) == resolve_isa("avx2", detected));
    CHECK(resolve_isa("Portable", detected) == Isa::portable);
  }
}

TEST_CASE("an unset, empty, auto or unknown SUPPORTNLP_CPU means the detected level", "[cpu]") {
  for (Isa detected : {Isa::portable, Isa::avx2, Isa::avx512})
    for (const char* request : {static_cast<const char*>(nullptr), "", "auto", "AUTO", "sse2",
                                "avx", "avx-512", "avx2 ", " avx2", "avx5120", "native"}) {
      INFO("detected " << isa_name(detected) << ", request '" << (request ? request : "(unset)")
                       << "'");
      CHECK(resolve_isa(request, detected) == detected);
    }
}

TEST_CASE("levels are named and ordered", "[cpu]") {
  CHECK(std::string(isa_name(Isa::portable)) == "portable");
  CHECK(std::string(isa_name(Isa::avx2)) == "avx2");
  CHECK(std::string(isa_name(Isa::avx512)) == "avx512");
  CHECK(std::string(isa_name(static_cast<Isa>(7))) == "unknown");
  CHECK(supported(Isa::portable));
  CHECK(supported(detected_isa()));
  CHECK_FALSE(supported(static_cast<Isa>(3)));
  if (supported(Isa::avx512)) CHECK(supported(Isa::avx2));
  for (Isa isa : {Isa::portable, Isa::avx2, Isa::avx512}) {
    CHECK((kernels_for(isa) != nullptr) == supported(isa));
    if (const Kernels* k = kernels_for(isa)) CHECK(k->isa == isa);
  }
}

// ctest runs the [kernels] tests once per level (tests/CMakeLists.txt);
// a level this CPU lacks prints the line that marks that run skipped.
TEST_CASE("the kernels in use are those of the level SUPPORTNLP_CPU asks for", "[cpu][kernels]") {
  const char* request = std::getenv("SUPPORTNLP_CPU");
  const Isa expected = resolve_isa(request, detected_isa());
  INFO("SUPPORTNLP_CPU=" << (request ? request : "(unset)") << ", detected "
                         << isa_name(detected_isa()));
  CHECK(active_isa() == expected);
  CHECK(kernels().isa == expected);
  CHECK(&kernels() == kernels_for(expected));
  // What the request would get on a CPU with every level: if that is more
  // than this CPU has, the level asked for is not here.
  if (resolve_isa(request, Isa::avx512) != expected)
    std::cout << "isa unavailable: " << request << " (running at " << isa_name(expected) << ")\n";
}
