// Fuzz target: the model container read from bytes (io::ModelFile::from_bytes),
// every tensor's view and require() with each dtype.
#include "fuzz_util.hpp"
#include "model_mutator.hpp"

#include "supportnlp/io/model_file.hpp"

using namespace supportnlp;

SUPPORTNLP_FUZZ_MODEL_MUTATOR()

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto file = io::ModelFile::from_bytes(fuzz::as_text(data, size), {}, "fuzz.snlp");
  if (!file) {
    SUPPORTNLP_FUZZ_CHECK(!file.error().message.empty());
    return 0;
  }
  std::uint64_t sum = file->kind().size() + file->metadata().size();
  for (const auto& t : file->tensors()) {
    SUPPORTNLP_FUZZ_CHECK(t.bytes ==
                          static_cast<std::size_t>(t.elements()) * io::dtype_size(t.dtype));
    const auto* bytes = static_cast<const unsigned char*>(t.data);
    for (std::size_t i = 0; i < t.bytes; i += 61) // touch the view
      sum += bytes[i];
    SUPPORTNLP_FUZZ_CHECK(file->find(t.name) != nullptr);
    for (int d = 1; d <= 7; ++d)
      (void)file->require(t.name, static_cast<io::DType>(d), static_cast<int>(t.shape.size()));
  }
  (void)file->require("", io::DType::f32);
  return static_cast<int>(sum & 0);
}
