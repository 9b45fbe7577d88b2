// The C API's common functions and plumbing.
#include "capi_common.hpp"

#include "supportnlp/cpu/cpu.hpp"
#include "supportnlp/version.hpp"

#include <cstdlib>
#include <cstring>

namespace supportnlp::capi {

namespace {
thread_local std::string last_error;
} // namespace

snlp_status fail(snlp_status status, std::string message) noexcept {
  try {
    last_error = std::move(message);
  } catch (...) {
    last_error.clear(); // keep the status even if the message cannot be stored
  }
  return status;
}

snlp_status fail(const Error& error) noexcept {
  return fail(static_cast<snlp_status>(static_cast<int>(error.code)), error.message);
}

snlp_status parse_options(const char* options_json, nlohmann::json& out) {
  if (!options_json) {
    out = nlohmann::json::object();
    return SNLP_OK;
  }
  out = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded() || !out.is_object())
    return fail(SNLP_INVALID_ARGUMENT,
                "options must be a JSON object, got: " + std::string(options_json).substr(0, 200));
  return SNLP_OK;
}

namespace {

template <class T, class Check>
snlp_status take(nlohmann::json& options, const char* key, T& value, Check is_type,
                 const char* type_name) {
  auto it = options.find(key);
  if (it == options.end()) return SNLP_OK;
  if (!is_type(*it))
    return fail(SNLP_INVALID_ARGUMENT,
                std::string("option \"") + key + "\" must be " + type_name + ", got " + it->dump());
  value = it->template get<T>();
  options.erase(it);
  return SNLP_OK;
}

} // namespace

snlp_status take_bool(nlohmann::json& options, const char* key, bool& value) {
  return take(
      options, key, value, [](const nlohmann::json& j) { return j.is_boolean(); }, "a boolean");
}
snlp_status take_int(nlohmann::json& options, const char* key, int& value) {
  return take(
      options, key, value,
      [](const nlohmann::json& j) {
        return j.is_number_integer() && j.get<long long>() >= -1000000 &&
               j.get<long long>() <= 1000000;
      },
      "an integer");
}
snlp_status take_double(nlohmann::json& options, const char* key, double& value) {
  return take(
      options, key, value, [](const nlohmann::json& j) { return j.is_number(); }, "a number");
}
snlp_status take_string(nlohmann::json& options, const char* key, std::string& value) {
  return take(
      options, key, value, [](const nlohmann::json& j) { return j.is_string(); }, "a string");
}

snlp_status reject_unknown(const nlohmann::json& options, const char* what) {
  if (options.empty()) return SNLP_OK;
  return fail(SNLP_INVALID_ARGUMENT,
              std::string("unknown ") + what + " option \"" + options.begin().key() + "\"");
}

snlp_status check_call(const void* handle, const char* text, std::size_t len, char** json_out) {
  if (json_out) *json_out = nullptr;
  if (!handle) return fail(SNLP_INVALID_ARGUMENT, "handle is NULL");
  if (!json_out) return fail(SNLP_INVALID_ARGUMENT, "json_out is NULL");
  if (!text && len > 0) return fail(SNLP_INVALID_ARGUMENT, "text is NULL but len > 0");
  return SNLP_OK;
}

snlp_status emit(const nlohmann::json& value, char** json_out) {
  return emit_text(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), json_out);
}

snlp_status emit_text(const std::string& json, char** json_out) {
  char* out = static_cast<char*>(std::malloc(json.size() + 1));
  if (!out) return fail(SNLP_OUT_OF_MEMORY, "out of memory");
  std::memcpy(out, json.c_str(), json.size() + 1);
  *json_out = out;
  return SNLP_OK;
}

} // namespace supportnlp::capi

extern "C" {

const char* snlp_status_name(snlp_status status) {
  // A C caller may pass any int. In C++ an enum value outside the
  // enumerators' range is undefined (clang's UBSan stops on it), so the
  // value is read through its object representation, never as the enum.
  int code = 0;
  static_assert(sizeof code == sizeof status, "snlp_status is an int");
  std::memcpy(&code, &status, sizeof code);
  if (code == SNLP_OK) return "ok";
  if (code == SNLP_OUT_OF_MEMORY) return "out_of_memory";
  if (code >= 1 && code <= 12)
    return supportnlp::to_string(static_cast<supportnlp::ErrorCode>(code));
  return "unknown";
}

const char* snlp_version(void) {
  return SUPPORTNLP_VERSION_STRING;
}

const char* snlp_cpu_isa(void) {
  return supportnlp::cpu::isa_name(supportnlp::cpu::active_isa());
}

const char* snlp_last_error(void) {
  return supportnlp::capi::last_error.c_str();
}

void snlp_free_string(char* s) {
  std::free(s);
}

} // extern "C"
