// C API: tokenizer handle.
#include "capi_common.hpp"

#include "pipeline/json_values.hpp"
#include "supportnlp/text/tokenizer.hpp"

struct snlp_tokenizer {
  supportnlp::text::Tokenizer tokenizer;
};

using namespace supportnlp;

extern "C" {

snlp_status snlp_tokenizer_open(const char* options_json, snlp_tokenizer** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    nlohmann::json j;
    text::TokenizerOptions o;
    std::string norm = "nfkc_casefold";
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_bool(j, "entities", o.entities);
    if (s == SNLP_OK) s = capi::take_bool(j, "punctuation", o.punctuation);
    if (s == SNLP_OK) s = capi::take_string(j, "normalization", norm);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "tokenizer");
    if (s != SNLP_OK) return s;
    if (norm == "none") {
      o.normalization = text::NormalizationForm::none;
    } else if (norm == "nfkc") {
      o.normalization = text::NormalizationForm::nfkc;
    } else if (norm == "nfkc_casefold") {
      o.normalization = text::NormalizationForm::nfkc_casefold;
    } else {
      return capi::fail(SNLP_INVALID_ARGUMENT, "normalization must be none, nfkc or "
                                               "nfkc_casefold, got \"" +
                                                   norm + "\"");
    }
    *out = new snlp_tokenizer{text::Tokenizer(o)};
    return SNLP_OK;
  });
}

snlp_status snlp_tokenize(const snlp_tokenizer* tokenizer, const char* text, size_t len,
                          char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(tokenizer, text, len, json_out); s != SNLP_OK) return s;
    const auto t = tokenizer->tokenizer.tokenize(std::string_view(text ? text : "", len));
    // The library's token writer, the same as `supportnlp tokenize`'s.
    std::string json = "{\"repaired_utf8\":";
    json += t.repaired_utf8 ? "true" : "false";
    json += ",\"tokens\":";
    pipeline::json::append_tokens(json, t, /*normalized=*/true);
    json.push_back('}');
    return capi::emit_text(json, json_out);
  });
}

void snlp_tokenizer_close(snlp_tokenizer* tokenizer) {
  delete tokenizer;
}

} // extern "C"
