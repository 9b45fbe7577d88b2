// Fuzz target: static encoder files (embed::StaticEncoder::from_bytes), then
// encoding a few texts: vectors must be finite.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/embed/static_encoder.hpp"

#include <cmath>

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto enc = embed::StaticEncoder::from_bytes(fuzz::as_text(data, size), "fuzz.snlp");
  if (!enc) return 0;
  SUPPORTNLP_FUZZ_CHECK(enc->dim() > 0);
  for (const char* text : fuzz::kProbeTexts) {
    const auto v = enc->encode(text);
    SUPPORTNLP_FUZZ_CHECK(v.size() == static_cast<std::size_t>(enc->dim()));
    for (float x : v)
      SUPPORTNLP_FUZZ_CHECK(std::isfinite(x));
  }
  return 0;
}
