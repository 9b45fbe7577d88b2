// Fuzz target: every C API entry point that takes text or JSON options
// (include/supportnlp/supportnlp.h). The first byte picks the entry point;
// the rest is the options JSON (NUL-terminated copy) or the text (pointer and
// length, not terminated). Every JSON output must parse.
#include "fuzz_util.hpp"

#include "supportnlp/supportnlp.h"

#include <nlohmann/json.hpp>

#include <string>

namespace {

void check_output(snlp_status status, char*& json) {
  if (status == SNLP_OK) {
    SUPPORTNLP_FUZZ_CHECK(json != nullptr);
    SUPPORTNLP_FUZZ_CHECK(nlohmann::json::accept(json));
    snlp_free_string(json);
  } else {
    SUPPORTNLP_FUZZ_CHECK(snlp_last_error() != nullptr);
    SUPPORTNLP_FUZZ_CHECK(snlp_status_name(status) != nullptr);
  }
}

struct Handles {
  snlp_tokenizer* tokenizer[3] = {};
  snlp_pii_detector* pii = nullptr;
  snlp_urgency_rules* urgency = nullptr;
  snlp_analyzer* analyzer = nullptr;
  snlp_langid* langid = nullptr;
  Handles() {
    const std::string data = supportnlp::fuzz::data_dir();
    SUPPORTNLP_FUZZ_CHECK(snlp_tokenizer_open(nullptr, &tokenizer[0]) == SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_tokenizer_open(R"({"entities":false,"punctuation":false,
        "normalization":"none"})",
                                              &tokenizer[1]) == SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_tokenizer_open(R"({"normalization":"nfkc"})", &tokenizer[2]) ==
                          SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_pii_open(nullptr, &pii) == SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_urgency_open(nullptr, &urgency) == SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_analyzer_open(data.c_str(), &analyzer) == SNLP_OK);
    SUPPORTNLP_FUZZ_CHECK(snlp_langid_open((data + "/models/langid.snlp").c_str(), &langid) ==
                          SNLP_OK);
  }
};

const char kProbe[] = "I was charged twice, call me on +44 20 7946 0958 asap";

const Handles& handles() {
  static const Handles h;
  return h;
}

} // namespace

#ifndef SUPPORTNLP_FUZZ_REPLAY
// Opening the bundle takes longer than the per-input timeout allows.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)handles();
  return 0;
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Handles& h = handles();
  const auto [selector, rest] = supportnlp::fuzz::select(data, size);
  const std::string options(rest); // the JSON entry points take a C string
  // An empty text is passed as NULL with length 0 half of the time.
  const char* text = rest.empty() && (selector & 0x80) ? nullptr : rest.data();
  char* out = nullptr;
  snlp_status status = SNLP_OK;
  switch (selector % 8) {
  case 0: {
    snlp_tokenizer* t = nullptr;
    if (snlp_tokenizer_open(options.c_str(), &t) == SNLP_OK) {
      status = snlp_tokenize(t, kProbe, sizeof kProbe - 1, &out);
      check_output(status, out);
      snlp_tokenizer_close(t);
    }
    break;
  }
  case 1:
    status = snlp_tokenize(h.tokenizer[(selector >> 3) % 3], text, rest.size(), &out);
    check_output(status, out);
    break;
  case 2: {
    snlp_pii_detector* d = nullptr;
    if (snlp_pii_open(options.c_str(), &d) == SNLP_OK) {
      status = snlp_pii_detect(d, kProbe, sizeof kProbe - 1, &out);
      check_output(status, out);
      snlp_pii_close(d);
    }
    break;
  }
  case 3:
    status = snlp_pii_detect(h.pii, text, rest.size(), &out);
    check_output(status, out);
    break;
  case 4: {
    snlp_urgency_rules* u = nullptr;
    if (snlp_urgency_open(options.c_str(), &u) == SNLP_OK) {
      status = snlp_urgency_assess(u, kProbe, sizeof kProbe - 1, -0.5, &out);
      check_output(status, out);
      snlp_urgency_close(u);
    }
    break;
  }
  case 5:
    status = snlp_urgency_assess(h.urgency, text, rest.size(), ((selector >> 3) - 8) / 8.0, &out);
    check_output(status, out);
    break;
  case 6:
    status = snlp_analyze(h.analyzer, text, rest.size(), &out);
    check_output(status, out);
    break;
  default:
    status = snlp_langid_identify(h.langid, text, rest.size(), &out);
    check_output(status, out);
    break;
  }
  return 0;
}
