// Smallest useful consumer: redact a ticket through the C++ API and the C API.
#include <supportnlp/rules/pii.hpp>
#include <supportnlp/supportnlp.h>

#include <cstdio>
#include <cstring>

int main() {
  const char* ticket = "Card 4111 1111 1111 1111, mail bob@example.com";
  const auto redacted = supportnlp::rules::PiiDetector().redact(ticket);
  std::printf("%s\n", redacted.text.c_str());

  snlp_pii_detector* pii = nullptr;
  char* json = nullptr;
  if (snlp_pii_open(nullptr, &pii) != SNLP_OK ||
      snlp_pii_detect(pii, ticket, std::strlen(ticket), &json) != SNLP_OK) {
    std::printf("C API failed: %s\n", snlp_last_error());
    return 1;
  }
  std::printf("%s\nsupportnlp %s\n", json, snlp_version());
  snlp_free_string(json);
  snlp_pii_close(pii);
  return redacted.spans.size() == 2 ? 0 : 1;
}
