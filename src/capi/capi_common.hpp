#pragma once
// Shared plumbing of the C API: the exception barrier, the thread-local last
// error, option parsing and JSON output. Nothing here is visible to C callers.

#include "supportnlp/result.hpp"
#include "supportnlp/supportnlp.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace supportnlp::capi {

/// Records `message` as this thread's last error and returns `status`.
snlp_status fail(snlp_status status, std::string message) noexcept;

/// Maps a library Error to a status and records its message.
snlp_status fail(const Error& error) noexcept;

/// Runs `body` (returning snlp_status) so that no exception escapes:
/// std::bad_alloc becomes SNLP_OUT_OF_MEMORY, anything else SNLP_INTERNAL.
template <class Body> snlp_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(SNLP_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(SNLP_INTERNAL, e.what());
  } catch (...) {
    return fail(SNLP_INTERNAL, "unknown exception");
  }
}

/// Parses an options string: NULL gives an empty object. On error returns
/// SNLP_INVALID_ARGUMENT (message recorded), else SNLP_OK.
snlp_status parse_options(const char* options_json, nlohmann::json& out);

/// Reads optional key `key` of `options` into `value` if present, checking
/// its type; erases it so leftover keys can be reported as unknown.
snlp_status take_bool(nlohmann::json& options, const char* key, bool& value);
snlp_status take_int(nlohmann::json& options, const char* key, int& value);
snlp_status take_double(nlohmann::json& options, const char* key, double& value);
snlp_status take_string(nlohmann::json& options, const char* key, std::string& value);
/// SNLP_INVALID_ARGUMENT naming the first key left in `options`, else SNLP_OK.
snlp_status reject_unknown(const nlohmann::json& options, const char* what);

/// Validates the (text, len, json_out) triple common to all calls and clears
/// *json_out. text may be NULL only when len is 0.
snlp_status check_call(const void* handle, const char* text, std::size_t len, char** json_out);

/// Serialises `value` (invalid UTF-8 replaced) into a malloc'ed C string.
snlp_status emit(const nlohmann::json& value, char** json_out);

/// Copies `json` (already JSON text, from the library's writers) into a
/// malloc'ed C string.
snlp_status emit_text(const std::string& json, char** json_out);

} // namespace supportnlp::capi
