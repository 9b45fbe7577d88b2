// Fuzz target: stand-alone dense index files (kind "dense-index") read with
// search::DenseIndex::read, then searched.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/search/dense_index.hpp"

#include <vector>

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto file = io::ModelFile::from_bytes(fuzz::as_text(data, size), "dense-index", "fuzz.snlp");
  if (!file) return 0;
  auto index = search::DenseIndex::read(*file, "");
  if (!index) return 0;
  SUPPORTNLP_FUZZ_CHECK(index->dim() > 0);
  if (index->dim() > (1 << 16)) return 0;
  std::vector<float> query(static_cast<std::size_t>(index->dim()), 0.0f);
  query[0] = 1.0f;
  std::vector<search::ScoredId> hits;
  index->search(query.data(), 5, hits);
  SUPPORTNLP_FUZZ_CHECK(hits.size() <= 5 && hits.size() <= index->size());
  for (const auto& h : hits)
    SUPPORTNLP_FUZZ_CHECK(h.id < index->size());
  return 0;
}
