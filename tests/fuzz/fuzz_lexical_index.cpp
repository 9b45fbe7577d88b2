// Fuzz target: BM25 index tensors (search::LexicalIndex::read, prefix ""), in
// a container of any kind, then searched.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/search/lexical_index.hpp"

#include <vector>

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto file = io::ModelFile::from_bytes(fuzz::as_text(data, size), {}, "fuzz.snlp");
  if (!file) return 0;
  auto index = search::LexicalIndex::read(*file, "");
  if (!index) return 0;
  std::vector<search::ScoredId> hits;
  for (const char* text : fuzz::kProbeTexts) {
    index->search(text, 5, hits);
    SUPPORTNLP_FUZZ_CHECK(hits.size() <= 5);
    for (const auto& h : hits)
      SUPPORTNLP_FUZZ_CHECK(h.id < index->size());
  }
  (void)index->match_spans("refund order", "where is my refund for the order");
  return 0;
}
