// Fuzz target: the transformer encoder's untrusted inputs (issue 14).
// Selector byte even: the rest is a safetensors file
// (embed::transformer::SafeTensors::from_bytes), and every tensor it lists is
// read as float32 in its own shape. Odd: the rest is text for the WordPiece
// tokenizer over a fixed vocabulary, encoded with a max_length taken from the
// selector. The promises checked: a file either fails cleanly or gives
// finite values of the size its shape says; token ids stay inside the
// vocabulary, the encoding keeps its length limit, and offsets lie inside
// the text, in order.
#include "fuzz_util.hpp"

#include "embed/transformer/safetensors.hpp"
#include "embed/transformer/tokenizer.hpp"

#include <cmath>
#include <memory>

using namespace supportnlp;
using namespace supportnlp::embed::transformer;

namespace {

const Tokenizer& wordpiece() {
  static const std::unique_ptr<Tokenizer> tokenizer = [] {
    auto t = wordpiece_from_vocab("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nmy\norder\nrefund\n"
                                  "where\nis\nnot\narr\n##ived\n##s\n##ing\n##ed\n.\n,\n!\n?\n"
                                  "\xE6\x97\xA5\n\xE6\x9C\xAC\ncafe\n##e\na\nb\nc\n##a\n##b\n",
                                  /*lower_case=*/true, /*strip_accents=*/true,
                                  /*chinese_chars=*/true);
    if (!t) std::abort();
    return std::move(t.value());
  }();
  return *tokenizer;
}

void fuzz_safetensors(std::string_view bytes) {
  auto file = SafeTensors::from_bytes(bytes, "fuzz.safetensors");
  if (!file) return;
  std::size_t n = 0;
  for (const TensorInfo& t : file->tensors()) {
    if (++n > 16) break;
    SUPPORTNLP_FUZZ_CHECK(t.begin <= t.end && t.end <= file->data_size());
    auto values = file->floats(t.name, t.shape);
    if (!values) continue;
    std::size_t count = 1;
    for (const std::int64_t d : t.shape)
      count *= static_cast<std::size_t>(d);
    SUPPORTNLP_FUZZ_CHECK(values->size == count);
    for (std::size_t i = 0; i < values->size; ++i)
      SUPPORTNLP_FUZZ_CHECK(std::isfinite(values->data[i]));
  }
}

void fuzz_wordpiece(std::string_view text, std::size_t max_length) {
  const Tokenizer& tok = wordpiece();
  const Encoding e = tok.encode(text, max_length);
  SUPPORTNLP_FUZZ_CHECK(e.ids.size() == e.begin.size() && e.ids.size() == e.end.size());
  SUPPORTNLP_FUZZ_CHECK(e.ids.size() <= max_length);
  SUPPORTNLP_FUZZ_CHECK(e.ids.size() >= 2);
  for (std::size_t i = 0; i < e.ids.size(); ++i) {
    SUPPORTNLP_FUZZ_CHECK(e.ids[i] >= 0 && static_cast<std::size_t>(e.ids[i]) < tok.vocab_size());
    SUPPORTNLP_FUZZ_CHECK(e.begin[i] <= e.end[i] && e.end[i] <= text.size());
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = fuzz::select(data, size);
  if (in.selector % 2 == 0)
    fuzz_safetensors(in.rest);
  else
    fuzz_wordpiece(in.rest, 2 + in.selector / 2);
  return 0;
}
