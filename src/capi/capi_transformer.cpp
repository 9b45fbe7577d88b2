// C API: transformer sentence encoder handle.
#include "capi_common.hpp"

#include "supportnlp/embed/transformer_encoder.hpp"

#include <string_view>
#include <vector>

struct snlp_transformer {
  supportnlp::embed::TransformerEncoder encoder;
};

using namespace supportnlp;

namespace {

snlp_status take_pooling(nlohmann::json& j, embed::TransformerPooling& pooling) {
  std::string name;
  if (auto s = capi::take_string(j, "pooling", name); s != SNLP_OK) return s;
  if (name.empty() || name == "folder")
    pooling = embed::TransformerPooling::folder;
  else if (name == "mean")
    pooling = embed::TransformerPooling::mean;
  else if (name == "cls")
    pooling = embed::TransformerPooling::cls;
  else if (name == "max")
    pooling = embed::TransformerPooling::max;
  else
    return capi::fail(SNLP_INVALID_ARGUMENT, "transformer option \"pooling\" is \"" + name +
                                                 "\"; expected folder, mean, cls or max");
  return SNLP_OK;
}

} // namespace

extern "C" {

snlp_status snlp_transformer_open(const char* path, const char* options_json,
                                  snlp_transformer** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!path) return capi::fail(SNLP_INVALID_ARGUMENT, "path is NULL");
    nlohmann::json j;
    embed::TransformerEncoderOptions options;
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_int(j, "threads", options.threads);
    if (s == SNLP_OK) s = capi::take_int(j, "max_seq_length", options.max_seq_length);
    if (s == SNLP_OK) s = take_pooling(j, options.pooling);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "transformer");
    if (s != SNLP_OK) return s;
    auto encoder = embed::TransformerEncoder::load(path, options);
    if (!encoder) return capi::fail(encoder.error());
    *out = new snlp_transformer{std::move(encoder).value()};
    return SNLP_OK;
  });
}

size_t snlp_transformer_dim(const snlp_transformer* encoder) {
  return encoder ? static_cast<size_t>(encoder->encoder.dim()) : 0;
}

snlp_status snlp_transformer_fingerprint(const snlp_transformer* encoder, char** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!encoder) return capi::fail(SNLP_INVALID_ARGUMENT, "encoder is NULL");
    // A plain string, not JSON: copied as is.
    return capi::emit_text(encoder->encoder.fingerprint(), out);
  });
}

snlp_status snlp_transformer_encode(const snlp_transformer* encoder, const char* text, size_t len,
                                    float* out, size_t out_len) {
  return capi::guarded([&]() -> snlp_status {
    if (!encoder) return capi::fail(SNLP_INVALID_ARGUMENT, "encoder is NULL");
    if (!text && len > 0) return capi::fail(SNLP_INVALID_ARGUMENT, "text is NULL");
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    const auto dim = static_cast<size_t>(encoder->encoder.dim());
    if (out_len < dim)
      return capi::fail(SNLP_INVALID_ARGUMENT, "out holds " + std::to_string(out_len) +
                                                   " floats; the encoder writes " +
                                                   std::to_string(dim));
    encoder->encoder.encode(std::string_view(text ? text : "", len), out);
    return SNLP_OK;
  });
}

snlp_status snlp_transformer_encode_batch(const snlp_transformer* encoder, const char* const* texts,
                                          const size_t* lens, size_t n, float* out,
                                          size_t out_len) {
  return capi::guarded([&]() -> snlp_status {
    if (!encoder) return capi::fail(SNLP_INVALID_ARGUMENT, "encoder is NULL");
    if (n == 0) return SNLP_OK;
    if (!texts || !lens) return capi::fail(SNLP_INVALID_ARGUMENT, "texts or lens is NULL");
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    const auto dim = static_cast<size_t>(encoder->encoder.dim());
    if (dim != 0 && n > out_len / dim)
      return capi::fail(SNLP_INVALID_ARGUMENT,
                        "out holds " + std::to_string(out_len) + " floats; " + std::to_string(n) +
                            " texts need " + std::to_string(n) + " x " + std::to_string(dim));
    std::vector<std::string_view> views(n);
    for (size_t i = 0; i < n; ++i) {
      if (!texts[i] && lens[i] > 0)
        return capi::fail(SNLP_INVALID_ARGUMENT, "texts[" + std::to_string(i) + "] is NULL");
      views[i] = std::string_view(texts[i] ? texts[i] : "", lens[i]);
    }
    encoder->encoder.encode_batch(views, out);
    return SNLP_OK;
  });
}

void snlp_transformer_close(snlp_transformer* encoder) {
  delete encoder;
}

} // extern "C"
