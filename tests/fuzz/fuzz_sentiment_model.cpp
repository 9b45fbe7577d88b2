// Fuzz target: learned sentiment model files (kind "sentiment"), loaded from
// a scratch file, then asked about a few texts.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/models/sentiment/sentiment_model.hpp"

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::write_scratch("sentiment_model", fuzz::as_text(data, size));
  if (auto model = models::SentimentModel::load(path)) {
    for (const char* text : fuzz::kProbeTexts) {
      const auto r = model->analyze(text);
      SUPPORTNLP_FUZZ_CHECK(r.score >= -1.0f && r.score <= 1.0f); // NaN fails too
    }
  }
  return 0;
}
