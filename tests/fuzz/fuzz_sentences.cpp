// Fuzz target: the sentence splitter (text::split_sentences,
// text::sentence_boundaries).
#include "fuzz_util.hpp"

#include "supportnlp/text/tokenizer.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = fuzz::as_text(data, size);
  const auto spans = text::split_sentences(in);
  std::uint32_t last = 0;
  for (const auto& s : spans) {
    SUPPORTNLP_FUZZ_CHECK(s.begin >= last && s.begin <= s.end && s.end <= in.size());
    last = s.end;
  }
  const auto bounds = text::sentence_boundaries(in);
  SUPPORTNLP_FUZZ_CHECK(!bounds.empty() && bounds.front() == 0 && bounds.back() == in.size());
  for (std::size_t i = 1; i < bounds.size(); ++i)
    SUPPORTNLP_FUZZ_CHECK(bounds[i - 1] < bounds[i] || (in.empty() && bounds[i] == 0));
  return 0;
}
