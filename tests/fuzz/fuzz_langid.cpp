// Fuzz target: language-identifier model files (text::LanguageIdentifier::load
// from a scratch file), then identification: confidences within [0, 1].
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/text/language_identifier.hpp"

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::write_scratch("langid", fuzz::as_text(data, size));
  auto lid = text::LanguageIdentifier::load(path);
  if (!lid) return 0;
  for (const char* t : fuzz::kProbeTexts) {
    const auto r = lid->identify(t, 3);
    SUPPORTNLP_FUZZ_CHECK(r.confidence >= 0.0f && r.confidence <= 1.0f);
  }
  return 0;
}
