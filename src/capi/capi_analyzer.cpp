// C API: analyzer handle.
#include "capi_common.hpp"

#include "supportnlp/pipeline/analyzer.hpp"

#include <filesystem>

struct snlp_analyzer {
  supportnlp::pipeline::Analyzer analyzer;
};

using namespace supportnlp;

extern "C" {

snlp_status snlp_analyzer_open(const char* path, snlp_analyzer** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!path) return capi::fail(SNLP_INVALID_ARGUMENT, "path is NULL");
    auto analyzer = pipeline::Analyzer::open_directory(path);
    if (!analyzer) return capi::fail(analyzer.error());
    *out = new snlp_analyzer{std::move(analyzer).value()};
    return SNLP_OK;
  });
}

snlp_status snlp_analyzer_open_with_options(const char* path, const char* options_json,
                                            snlp_analyzer** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    if (!path) return capi::fail(SNLP_INVALID_ARGUMENT, "path is NULL");
    nlohmann::json j;
    std::string sentiment_model, encoder;
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_string(j, "sentiment_model", sentiment_model);
    if (s == SNLP_OK) s = capi::take_string(j, "encoder", encoder);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "analyzer");
    if (s != SNLP_OK) return s;
    pipeline::AnalyzerOptions options;
    if (!sentiment_model.empty()) {
      auto sentiment = models::load_sentiment(sentiment_model);
      if (!sentiment) return capi::fail(sentiment.error());
      options.sentiment = std::move(sentiment).value();
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec))
      return capi::fail(SNLP_NOT_FOUND,
                        std::string("bundle directory ") + path + " does not exist");
    auto paths = pipeline::BundlePaths::in_directory(path);
    if (!encoder.empty()) paths.transformer_encoder = encoder;
    auto analyzer = pipeline::Analyzer::open(paths, options);
    if (!analyzer) return capi::fail(analyzer.error());
    *out = new snlp_analyzer{std::move(analyzer).value()};
    return SNLP_OK;
  });
}

snlp_status snlp_analyzer_info(const snlp_analyzer* analyzer, char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (!json_out) return capi::fail(SNLP_INVALID_ARGUMENT, "json_out is NULL");
    *json_out = nullptr;
    if (!analyzer) return capi::fail(SNLP_INVALID_ARGUMENT, "analyzer is NULL");
    const auto& a = analyzer->analyzer;
    nlohmann::json info{
        {"language", a.has_language()},   {"intent", a.has_intent()},
        {"kb_articles", a.kb_articles()}, {"transformer_encoder", a.transformer_encoder()},
        {"kb_encoder", a.kb_encoder()},   {"intent_encoder", a.intent_encoder()}};
    return capi::emit(info, json_out);
  });
}

snlp_status snlp_analyze(const snlp_analyzer* analyzer, const char* text, size_t len,
                         char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(analyzer, text, len, json_out); s != SNLP_OK) return s;
    const auto a = analyzer->analyzer.analyze(std::string_view(text ? text : "", len));
    return capi::emit_text(pipeline::to_json(a), json_out);
  });
}

void snlp_analyzer_close(snlp_analyzer* analyzer) {
  delete analyzer;
}

} // extern "C"
