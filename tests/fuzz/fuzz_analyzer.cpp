// Fuzz target: pipeline::Analyzer::analyze on the default bundle (data/), and
// the analysis's JSON form.
#include "fuzz_util.hpp"

#include "supportnlp/pipeline/analyzer.hpp"

using namespace supportnlp;

namespace {
const pipeline::Analyzer& analyzer() {
  static const pipeline::Analyzer analyzer = [] {
    auto a = pipeline::Analyzer::open_directory(fuzz::data_dir());
    SUPPORTNLP_FUZZ_CHECK(a.ok());
    return std::move(a.value());
  }();
  return analyzer;
}
} // namespace

#ifndef SUPPORTNLP_FUZZ_REPLAY
// Opening the bundle takes longer than the per-input timeout allows.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)analyzer();
  return 0;
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = fuzz::as_text(data, size);
  const auto a = analyzer().analyze(in);
  const std::string json = pipeline::to_json(a, "fuzz");
  SUPPORTNLP_FUZZ_CHECK(!json.empty());
  return 0;
}
