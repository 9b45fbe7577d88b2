// Fuzz target: text::Tokenizer with every option set (entities, punctuation
// and normalization form chosen by the first byte); token spans must lie in
// the input, in order, and normalized forms in the normalized text.
#include "fuzz_util.hpp"

#include "supportnlp/text/tokenizer.hpp"
#include "supportnlp/text/utf8.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = fuzz::select(data, size);
  text::TokenizerOptions options;
  options.entities = selector & 1;
  options.punctuation = selector & 2;
  const text::NormalizationForm forms[] = {text::NormalizationForm::nfkc_casefold,
                                           text::NormalizationForm::nfkc,
                                           text::NormalizationForm::none};
  options.normalization = forms[(selector >> 2) % 3];
  const text::Tokenizer tokenizer(options);
  const auto t = tokenizer.tokenize(in);
  std::uint32_t last_end = 0;
  for (const auto& tok : t.tokens) {
    SUPPORTNLP_FUZZ_CHECK(tok.begin < tok.end && tok.end <= in.size());
    SUPPORTNLP_FUZZ_CHECK(tok.begin >= last_end);
    SUPPORTNLP_FUZZ_CHECK(tok.norm_begin <= tok.norm_end &&
                          tok.norm_end <= t.normalized_text.size());
    last_end = tok.end;
  }
  SUPPORTNLP_FUZZ_CHECK(text::is_valid_utf8(t.normalized_text));
  const auto bounds = tokenizer.word_boundaries(in);
  for (std::size_t i = 1; i < bounds.size(); ++i)
    SUPPORTNLP_FUZZ_CHECK(bounds[i - 1] < bounds[i] && bounds[i] <= in.size());
  return 0;
}
