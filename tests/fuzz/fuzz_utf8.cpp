// Fuzz target: UTF-8 validation, repair and decoding (text/utf8.hpp).
#include "fuzz_util.hpp"

#include "supportnlp/text/utf8.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = fuzz::as_text(data, size);
  const bool valid = text::is_valid_utf8(in);
  const std::size_t bad = text::find_invalid_utf8(in);
  SUPPORTNLP_FUZZ_CHECK(valid == (bad == in.size() || bad == std::string_view::npos));
  const std::string repaired = text::repair_utf8(in);
  SUPPORTNLP_FUZZ_CHECK(text::is_valid_utf8(repaired));
  if (valid) SUPPORTNLP_FUZZ_CHECK(repaired == in);
  // Decoding the repaired text and encoding it again gives it back.
  std::string again;
  for (std::size_t pos = 0; pos < repaired.size();) {
    const std::size_t before = pos;
    text::append_utf8(again, text::decode_utf8(repaired, pos));
    SUPPORTNLP_FUZZ_CHECK(pos > before);
  }
  SUPPORTNLP_FUZZ_CHECK(again == repaired);
  return 0;
}
