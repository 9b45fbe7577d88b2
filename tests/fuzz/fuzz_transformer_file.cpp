// Fuzz target: converted transformer encoder files (issue 14): the model
// container, then embed::transformer::read_encoder_file (metadata, tokenizer
// bytes, every weight tensor), as TransformerEncoder::load reads a file. A
// file that loads is run: the probe texts through its tokenizer (ids inside
// the vocabulary, the length limit kept) and the forward pass (finite
// vectors), in its own weight mode and, for a float32 file, quantized to
// int8 on load as well.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "embed/transformer/encoder_file.hpp"

#include <cmath>
#include <vector>

using namespace supportnlp;
using namespace supportnlp::embed::transformer;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

namespace {

void run(std::string_view bytes, WeightMode mode) {
  auto file = io::ModelFile::from_bytes(bytes, kEncoderFileKind, "fuzz.snlp");
  if (!file) return;
  auto read = read_encoder_file(std::move(file).value(), mode);
  if (!read) return;
  const ModelConfig& c = read->config.model;
  const auto max_len = static_cast<std::size_t>(read->config.sentence.max_seq_length);
  SUPPORTNLP_FUZZ_CHECK(max_len >= 2);
  std::vector<std::vector<std::int32_t>> ids;
  for (const char* text : fuzz::kProbeTexts) {
    Encoding e = read->tokenizer->encode(text, max_len);
    SUPPORTNLP_FUZZ_CHECK(e.ids.size() <= max_len);
    for (std::int32_t id : e.ids)
      SUPPORTNLP_FUZZ_CHECK(id >= 0 && id < c.vocab_size);
    ids.push_back(std::move(e.ids));
  }
  ids.push_back({}); // an empty text: the zero vector
  std::vector<IdSpan> spans;
  for (const auto& v : ids)
    spans.push_back({v.data(), v.size()});
  const auto h = static_cast<std::size_t>(c.hidden);
  std::vector<float> out(spans.size() * h, -1.0f);
  read->model->forward(spans.data(), spans.size(), max_len, read->config.sentence.pooling, true, 1,
                       out.data());
  for (float x : out)
    SUPPORTNLP_FUZZ_CHECK(std::isfinite(x));
  for (std::size_t j = 0; j < h; ++j)
    SUPPORTNLP_FUZZ_CHECK(out[(spans.size() - 1) * h + j] == 0.0f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = fuzz::as_text(data, size);
  run(bytes, WeightMode::f32);
  run(bytes, WeightMode::int8);
  return 0;
}
