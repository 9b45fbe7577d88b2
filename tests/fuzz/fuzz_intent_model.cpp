// Fuzz target: intent and generic text-classifier files (kind "intent"),
// loaded from a scratch file, then asked about a few texts.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/models/intent/intent.hpp"

#include <cmath>

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::write_scratch("intent_model", fuzz::as_text(data, size));
  if (auto model = models::IntentClassifier::load(path)) {
    for (const char* text : fuzz::kProbeTexts) {
      const auto r = model->classify(text, 3);
      SUPPORTNLP_FUZZ_CHECK(r.confidence >= 0.0f && r.confidence <= 1.0f); // NaN fails too
    }
  }
  if (auto classifier = models::TextClassifier::load(path, "intent")) {
    for (const char* text : fuzz::kProbeTexts) {
      const auto p = classifier->predict(text, 3);
      (void)p;
    }
  }
  return 0;
}
