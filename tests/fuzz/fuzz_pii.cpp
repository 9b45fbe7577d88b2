// Fuzz target: PII detection and redaction with every option set (first byte).
// Spans lie in the text, in order, non-overlapping; redaction maps back.
#include "fuzz_util.hpp"

#include "supportnlp/rules/pii.hpp"

using namespace supportnlp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [selector, in] = fuzz::select(data, size);
  rules::PiiOptions options;
  options.emails = !(selector & 1);
  options.phones = !(selector & 2);
  options.cards = !(selector & 4);
  options.ibans = !(selector & 8);
  options.ip_addresses = !(selector & 16);
  options.phone_context = !(selector & 32);
  const rules::PiiDetector detector(options);
  const auto spans = detector.detect(in);
  std::uint32_t last = 0;
  for (const auto& s : spans) {
    SUPPORTNLP_FUZZ_CHECK(s.begin >= last && s.begin < s.end && s.end <= in.size());
    last = s.end;
  }
  const auto red = detector.redact(in);
  SUPPORTNLP_FUZZ_CHECK(red.spans.size() == spans.size());
  for (const auto& s : red.spans) {
    SUPPORTNLP_FUZZ_CHECK(s.end <= in.size() && s.redacted_end <= red.text.size());
    SUPPORTNLP_FUZZ_CHECK(s.redacted_begin <= s.redacted_end);
  }
  (void)rules::luhn_valid(in);
  (void)rules::iban_valid(in);
  return 0;
}
