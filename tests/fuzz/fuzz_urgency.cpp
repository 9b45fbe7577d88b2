// Fuzz target: urgency rules (rules::UrgencyRules::assess); the first byte
// picks the sentiment score passed in. Evidence lies in the text.
#include "fuzz_util.hpp"

#include "supportnlp/rules/urgency.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const rules::UrgencyRules rules;
  const auto [selector, in] = fuzz::select(data, size);
  const double sentiment = (static_cast<int>(selector) - 128) / 127.0;
  const auto a = rules.assess(in, sentiment);
  SUPPORTNLP_FUZZ_CHECK(static_cast<int>(a.level) <= 3);
  for (const auto& e : a.evidence)
    SUPPORTNLP_FUZZ_CHECK(e.begin <= e.end && e.end <= in.size());
  return 0;
}
