// Fuzz target: every C API entry point that takes text or JSON options
// (include/supportnlp/supportnlp.h). The first byte picks the entry point
// (selector % 11) and a variant (selector / 11); the rest is the options
// JSON (NUL-terminated copy) or the text (pointer and length, not
// terminated). Every JSON output must parse; every vector must be finite and
// of unit length (or zero).
#include "fuzz_util.hpp"

#include "supportnlp/supportnlp.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

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

// The tiny random-weight transformer fixtures (tests/data/transformer): a
// WordPiece BERT and a SentencePiece XLM-R.
std::string transformer_dir(unsigned which) {
  return std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/" +
         (which % 2 ? "xlmr" : "bert-prefixed");
}

struct Handles {
  snlp_tokenizer* tokenizer[3] = {};
  snlp_pii_detector* pii = nullptr;
  snlp_urgency_rules* urgency = nullptr;
  snlp_analyzer* analyzer = nullptr;
  snlp_langid* langid = nullptr;
  snlp_transformer* transformer[2] = {};
  // The only paths the analyzer's options may name (the input must not
  // make the harness open arbitrary files): a model of another kind and a
  // file that does not exist. The bundle directory does not exist either,
  // so a call ends after the options and the sentiment model.
  std::string other_kind_model, missing_model, missing_bundle;
  Handles() {
    const std::string data = supportnlp::fuzz::data_dir();
    other_kind_model = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/golden/v1_0.snlp";
    missing_model = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/no-such-model.snlp";
    missing_bundle = std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/no-such-bundle";
    for (unsigned k = 0; k < 2; ++k)
      SUPPORTNLP_FUZZ_CHECK(
          snlp_transformer_open(transformer_dir(k).c_str(), nullptr, &transformer[k]) == SNLP_OK);
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

// A vector the transformer promises: finite, and of unit length, or zero
// (empty text), as the fixtures' folders normalize.
void check_vector(const float* v, std::size_t dim) {
  double norm2 = 0;
  for (std::size_t i = 0; i < dim; ++i) {
    SUPPORTNLP_FUZZ_CHECK(std::isfinite(v[i]));
    norm2 += double(v[i]) * v[i];
  }
  SUPPORTNLP_FUZZ_CHECK(norm2 == 0 || std::abs(norm2 - 1) < 1e-3);
}

// Whether every path the analyzer options name is one the harness allows.
bool allowed_paths(const std::string& options, const Handles& h) {
  const auto j = nlohmann::json::parse(options, nullptr, false);
  if (!j.is_object()) return true; // refused before any path is read
  for (const char* key : {"sentiment_model", "encoder"}) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) continue;
    const auto& path = it->get_ref<const std::string&>();
    if (!path.empty() && path != h.other_kind_model && path != h.missing_model) return false;
  }
  return true;
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
  const unsigned variant = selector / 11;
  // An empty text is passed as NULL with length 0 half of the time.
  const char* text = rest.empty() && (variant & 1) ? nullptr : rest.data();
  char* out = nullptr;
  snlp_status status = SNLP_OK;
  switch (selector % 11) {
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
    status = snlp_tokenize(h.tokenizer[variant % 3], text, rest.size(), &out);
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
  case 5: // sentiment from -1 to 1 in steps of 1/11
    status = snlp_urgency_assess(h.urgency, text, rest.size(), (int(variant) - 11) / 11.0, &out);
    check_output(status, out);
    break;
  case 6:
    status = snlp_analyze(h.analyzer, text, rest.size(), &out);
    check_output(status, out);
    break;
  case 7:
    status = snlp_langid_identify(h.langid, text, rest.size(), &out);
    check_output(status, out);
    break;
  case 8: {
    if (!allowed_paths(options, h)) break;
    snlp_analyzer* a = nullptr;
    status = snlp_analyzer_open_with_options(h.missing_bundle.c_str(), options.c_str(), &a);
    SUPPORTNLP_FUZZ_CHECK(status != SNLP_OK && a == nullptr); // no bundle there
    SUPPORTNLP_FUZZ_CHECK(snlp_last_error() != nullptr);
    break;
  }
  case 9: {
    snlp_transformer* t = nullptr;
    status = snlp_transformer_open(transformer_dir(variant).c_str(), options.c_str(), &t);
    if (status != SNLP_OK) {
      SUPPORTNLP_FUZZ_CHECK(t == nullptr && snlp_last_error() != nullptr);
      break;
    }
    std::vector<float> v(snlp_transformer_dim(t));
    SUPPORTNLP_FUZZ_CHECK(
        snlp_transformer_encode(t, kProbe, sizeof kProbe - 1, v.data(), v.size()) == SNLP_OK);
    check_vector(v.data(), v.size());
    char* fingerprint = nullptr;
    SUPPORTNLP_FUZZ_CHECK(snlp_transformer_fingerprint(t, &fingerprint) == SNLP_OK);
    snlp_free_string(fingerprint);
    snlp_transformer_close(t);
    break;
  }
  default: {
    // The text alone, then in a batch with its first half and an empty
    // text: the batch gives the same vectors up to float rounding.
    const snlp_transformer* t = h.transformer[variant % 2];
    const std::size_t dim = snlp_transformer_dim(t);
    std::vector<float> one(dim), batch(3 * dim);
    SUPPORTNLP_FUZZ_CHECK(snlp_transformer_encode(t, text, rest.size(), one.data(), dim) ==
                          SNLP_OK);
    check_vector(one.data(), dim);
    const char* texts[3] = {text, rest.data(), nullptr};
    const std::size_t lens[3] = {rest.size(), rest.size() / 2, 0};
    SUPPORTNLP_FUZZ_CHECK(
        snlp_transformer_encode_batch(t, texts, lens, 3, batch.data(), batch.size()) == SNLP_OK);
    for (std::size_t i = 0; i < dim; ++i) {
      SUPPORTNLP_FUZZ_CHECK(std::abs(batch[i] - one[i]) < 1e-4f);
      SUPPORTNLP_FUZZ_CHECK(batch[2 * dim + i] == 0.0f);
    }
    check_vector(batch.data() + dim, dim);
    break;
  }
  }
  return 0;
}
