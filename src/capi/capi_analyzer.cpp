// C API: analyzer handle.
#include "capi_common.hpp"

#include "supportnlp/pipeline/analyzer.hpp"

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
    std::string sentiment_model;
    snlp_status s = capi::parse_options(options_json, j);
    if (s == SNLP_OK) s = capi::take_string(j, "sentiment_model", sentiment_model);
    if (s == SNLP_OK) s = capi::reject_unknown(j, "analyzer");
    if (s != SNLP_OK) return s;
    pipeline::AnalyzerOptions options;
    if (!sentiment_model.empty()) {
      auto sentiment = models::load_sentiment(sentiment_model);
      if (!sentiment) return capi::fail(sentiment.error());
      options.sentiment = std::move(sentiment).value();
    }
    auto analyzer = pipeline::Analyzer::open_directory(path, options);
    if (!analyzer) return capi::fail(analyzer.error());
    *out = new snlp_analyzer{std::move(analyzer).value()};
    return SNLP_OK;
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
