// Fuzz target: whole knowledge-base files (kind "kb"), loaded with the
// shipped encoder (data/models/encoder.snlp) and searched.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/search/knowledge_base.hpp"

#include <cmath>
#include <memory>

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

namespace {
std::shared_ptr<const embed::Encoder> encoder() {
  static const std::shared_ptr<const embed::Encoder> enc = [] {
    auto e = embed::StaticEncoder::load(fuzz::data_dir() + "/models/encoder.snlp");
    SUPPORTNLP_FUZZ_CHECK(e.ok());
    return std::make_shared<const embed::StaticEncoder>(std::move(e.value()));
  }();
  return enc;
}
} // namespace

#ifndef SUPPORTNLP_FUZZ_REPLAY
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)encoder();
  return 0;
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::write_scratch("kb", fuzz::as_text(data, size));
  auto kb = search::KnowledgeBase::load(path, encoder());
  if (!kb) {
    // A lexical-only KB loads without an encoder.
    kb = search::KnowledgeBase::load(path, nullptr);
    if (!kb) return 0;
  }
  for (const char* text : fuzz::kProbeTexts) {
    const auto hits = kb->search(text);
    for (const auto& h : hits) {
      SUPPORTNLP_FUZZ_CHECK(kb->find(h.article_id) != nullptr);
      SUPPORTNLP_FUZZ_CHECK(std::isfinite(h.score)); // a NaN vector must not become the top hit
    }
  }
  return 0;
}
