// Fuzz target: SentencePiece model bytes through text::Subwords::from_bytes
// (the library's check runs before SentencePiece parses them), then encoding.
#include "fuzz_util.hpp"

#include "supportnlp/text/subwords.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto sp = text::Subwords::from_bytes(fuzz::as_text(data, size));
  if (!sp) return 0;
  for (const char* t : fuzz::kProbeTexts) {
    const auto ids = sp->encode(t);
    const auto pieces = sp->encode_pieces(t);
    (void)ids;
    (void)pieces;
  }
  return 0;
}
