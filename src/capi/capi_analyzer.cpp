// C API: analyzer handle.
#include "capi_common.hpp"

#include "supportnlp/pipeline/analyzer.hpp"

#include <cstdlib>
#include <cstring>

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

snlp_status snlp_analyze(const snlp_analyzer* analyzer, const char* text, size_t len,
                         char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(analyzer, text, len, json_out); s != SNLP_OK) return s;
    const auto a = analyzer->analyzer.analyze(std::string_view(text ? text : "", len));
    const std::string json = pipeline::to_json(a);
    char* copy = static_cast<char*>(std::malloc(json.size() + 1));
    if (!copy) return capi::fail(SNLP_OUT_OF_MEMORY, "out of memory");
    std::memcpy(copy, json.c_str(), json.size() + 1);
    *json_out = copy;
    return SNLP_OK;
  });
}

void snlp_analyzer_close(snlp_analyzer* analyzer) {
  delete analyzer;
}

} // extern "C"
