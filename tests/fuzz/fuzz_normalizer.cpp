// Fuzz target: text::Normalizer in every form, with its offset map checked.
#include "fuzz_util.hpp"

#include "supportnlp/text/normalizer.hpp"
#include "supportnlp/text/utf8.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = fuzz::select(data, size);
  const text::NormalizationForm forms[] = {text::NormalizationForm::none,
                                           text::NormalizationForm::nfkc,
                                           text::NormalizationForm::nfkc_casefold};
  const text::Normalizer norm(forms[selector % 3]);
  const auto n = norm.normalize(in);
  SUPPORTNLP_FUZZ_CHECK(text::is_valid_utf8(n.text));
  SUPPORTNLP_FUZZ_CHECK(n.offsets.size() == n.text.size() + 1);
  SUPPORTNLP_FUZZ_CHECK(n.offsets.back() == in.size());
  for (std::size_t i = 1; i < n.offsets.size(); ++i)
    SUPPORTNLP_FUZZ_CHECK(n.offsets[i - 1] <= n.offsets[i] && n.offsets[i] <= in.size());
  std::string appended;
  norm.append_normalized(in, appended);
  SUPPORTNLP_FUZZ_CHECK(text::is_valid_utf8(appended));
  return 0;
}
