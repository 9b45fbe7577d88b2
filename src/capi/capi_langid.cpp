// C API: language identifier handle.
#include "capi_common.hpp"

#include "supportnlp/data_dir.hpp"
#include "supportnlp/pipeline/json.hpp"
#include "supportnlp/text/language_identifier.hpp"

struct snlp_langid {
  supportnlp::text::LanguageIdentifier lid;
};

using namespace supportnlp;

namespace {

// The bundled model: models/langid.snlp under supportnlp::data_dir()
// ($SUPPORTNLP_DATA, else the installation this library runs from).
std::string default_model_path() {
  return data_dir() + "/models/langid.snlp";
}

} // namespace

extern "C" {

snlp_status snlp_langid_open(const char* path, snlp_langid** out) {
  return capi::guarded([&]() -> snlp_status {
    if (!out) return capi::fail(SNLP_INVALID_ARGUMENT, "out is NULL");
    *out = nullptr;
    auto lid = text::LanguageIdentifier::load(path ? std::string(path) : default_model_path());
    if (!lid) return capi::fail(lid.error());
    *out = new snlp_langid{std::move(lid.value())};
    return SNLP_OK;
  });
}

snlp_status snlp_langid_identify(const snlp_langid* langid, const char* text, size_t len,
                                 char** json_out) {
  return capi::guarded([&]() -> snlp_status {
    if (auto s = capi::check_call(langid, text, len, json_out); s != SNLP_OK) return s;
    const auto r = langid->lid.identify(std::string_view(text ? text : "", len), 3);
    return capi::emit_text(pipeline::language_json(r), json_out);
  });
}

void snlp_langid_close(snlp_langid* langid) {
  delete langid;
}

} // extern "C"
