#pragma once
// Checked reads of a model file's metadata and tensors, shared by every
// loader. Metadata sits behind a checksum, but a checksum only proves the
// bytes are what some writer wrote, not that the writer (or whoever re-sealed
// the file) wrote sense: each field is checked for its type and range here,
// and each tensor for presence, dtype, shape and finite values, so a loader
// answers a clean Error naming the file and the field instead of throwing
// (nlohmann's value(key, default) throws type_error on a wrong type) or
// loading a model that answers NaN.
//
// FieldReader keeps the first error and returns the fallback afterwards, so
// a loader reads all its fields in a row and checks ok() once:
//
//   io::detail::FieldReader r(meta, path);
//   double t = r.number("temperature", 0.05, 5.0);
//   auto f = r.object("features");
//   int n = f.integer<int>("char_min_n", 0, 16);
//   if (!r.ok()) return r.error();

#include "supportnlp/io/model_file.hpp"
#include "supportnlp/result.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::io::detail {

class FieldReader {
public:
  /// Reads fields of `object` (any JSON value: a non-object fails on the first
  /// read); messages start with `file` and name fields as `prefix` + key.
  FieldReader(const nlohmann::json& object, std::string file, std::string prefix = "")
      : object_(&object), file_(std::move(file)), prefix_(std::move(prefix)),
        error_(std::make_shared<std::optional<Error>>()) {
    if (!object.is_object()) fail_self("is not a JSON object");
  }

  bool ok() const noexcept { return !error_->has_value(); }
  const Error& error() const noexcept { return **error_; }

  /// Records an error about field `key` (the first one wins).
  void fail(std::string_view key, const std::string& problem,
            ErrorCode code = ErrorCode::corrupt) const {
    if (ok())
      *error_ = make_error(code, file_ + ": metadata field '" + prefix_ + std::string(key) + "' " +
                                     problem);
  }

  bool has(std::string_view key) const {
    return ok() && object_->is_object() && object_->contains(key);
  }

  /// An integer in [lo, hi]; required.
  template <class T> T integer(std::string_view key, T lo, T hi) const {
    return integer_impl<T>(key, lo, hi, nullptr);
  }
  /// Same, `fallback` when absent (present with another type is an error).
  template <class T> T integer(std::string_view key, T lo, T hi, T fallback) const {
    return integer_impl<T>(key, lo, hi, &fallback);
  }

  /// A finite number in [lo, hi]; required.
  double number(std::string_view key, double lo, double hi) const {
    return number_impl(key, lo, hi, nullptr);
  }
  double number(std::string_view key, double lo, double hi, double fallback) const {
    return number_impl(key, lo, hi, &fallback);
  }

  bool boolean(std::string_view key) const { return boolean_impl(key, nullptr); }
  bool boolean(std::string_view key, bool fallback) const { return boolean_impl(key, &fallback); }

  /// A string; `non_empty` refuses "".
  std::string string(std::string_view key, bool non_empty = false) const {
    return string_impl(key, non_empty, nullptr);
  }
  std::string string(std::string_view key, bool non_empty, const std::string& fallback) const {
    return string_impl(key, non_empty, &fallback);
  }

  /// An array of non-empty, distinct strings, of at least `min_count`.
  std::vector<std::string> string_list(std::string_view key, std::size_t min_count) const {
    std::vector<std::string> out;
    const nlohmann::json* v = get(key, true);
    if (v == nullptr) return out;
    if (!v->is_array()) {
      fail(key, "is " + type_of(*v) + ", expected an array of strings");
      return out;
    }
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const auto& e = (*v)[i];
      if (!e.is_string() || e.get_ref<const std::string&>().empty()) {
        fail(key, "entry " + std::to_string(i) + " is " +
                      (e.is_string() ? std::string("an empty string") : type_of(e)) +
                      ", expected a non-empty string");
        return {};
      }
      const std::string& s = e.get_ref<const std::string&>();
      if (!seen.insert(s).second) {
        fail(key, "holds '" + s + "' twice");
        return {};
      }
      out.push_back(s);
    }
    if (out.size() < min_count) {
      fail(key, "has " + std::to_string(out.size()) + " entries, expected at least " +
                    std::to_string(min_count));
      return {};
    }
    return out;
  }

  /// A nested object, read with the same error state; a missing or non-object
  /// field fails (when `required`) and yields a reader of an empty object.
  FieldReader object(std::string_view key, bool required = true) const {
    const nlohmann::json* v = get(key, required);
    if (v != nullptr && !v->is_object()) {
      fail(key, "is " + type_of(*v) + ", expected an object");
      v = nullptr;
    }
    return FieldReader(v != nullptr ? *v : empty_object(), *this, prefix_ + std::string(key) + ".");
  }

  /// The raw value of `key` (nullptr when absent or after an error).
  const nlohmann::json* raw(std::string_view key) const { return get(key, false); }

  static std::string type_of(const nlohmann::json& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number()) return v.dump();
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      return "the string \"" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "\"";
    }
    return v.is_array() ? "an array" : "an object";
  }

private:
  FieldReader(const nlohmann::json& object, const FieldReader& parent, std::string prefix)
      : object_(&object), file_(parent.file_), prefix_(std::move(prefix)), error_(parent.error_) {}

  static const nlohmann::json& empty_object() {
    static const nlohmann::json e = nlohmann::json::object();
    return e;
  }

  void fail_self(const std::string& problem) const {
    if (ok())
      *error_ = make_error(ErrorCode::corrupt,
                           file_ + ": metadata" +
                               (prefix_.empty()
                                    ? std::string()
                                    : " field '" + prefix_.substr(0, prefix_.size() - 1) + "'") +
                               " " + problem);
  }

  const nlohmann::json* get(std::string_view key, bool required) const {
    if (!ok() || !object_->is_object()) return nullptr;
    const auto it = object_->find(key);
    if (it == object_->end()) {
      if (required) fail(key, "is missing");
      return nullptr;
    }
    return &*it;
  }

  template <class T> T integer_impl(std::string_view key, T lo, T hi, const T* fallback) const {
    const T dflt = fallback ? *fallback : lo;
    const nlohmann::json* v = get(key, fallback == nullptr);
    if (v == nullptr) return dflt;
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    // 128-bit arithmetic compares any JSON integer with any T's range.
    __int128 value = 0;
    if (v->is_number_unsigned()) {
      value = static_cast<__int128>(v->get<std::uint64_t>());
    } else if (v->is_number_integer()) {
      value = static_cast<__int128>(v->get<std::int64_t>());
    } else {
      fail(key, "is " + type_of(*v) + ", expected an integer in " + range);
      return dflt;
    }
    const bool in_range = value >= static_cast<__int128>(lo) && value <= static_cast<__int128>(hi);
    if (!in_range) {
      fail(key, "is " + v->dump() + ", expected an integer in " + range);
      return dflt;
    }
    return static_cast<T>(value);
  }

  double number_impl(std::string_view key, double lo, double hi, const double* fallback) const {
    const double dflt = fallback ? *fallback : lo;
    const nlohmann::json* v = get(key, fallback == nullptr);
    if (v == nullptr) return dflt;
    const std::string range = "[" + trim(lo) + ", " + trim(hi) + "]";
    if (!v->is_number()) {
      fail(key, "is " + type_of(*v) + ", expected a number in " + range);
      return dflt;
    }
    const double d = v->get<double>();
    if (!(std::isfinite(d) && d >= lo && d <= hi)) {
      fail(key, "is " + v->dump() + ", expected a finite number in " + range);
      return dflt;
    }
    return d;
  }

  bool boolean_impl(std::string_view key, const bool* fallback) const {
    const bool dflt = fallback ? *fallback : false;
    const nlohmann::json* v = get(key, fallback == nullptr);
    if (v == nullptr) return dflt;
    if (!v->is_boolean()) {
      fail(key, "is " + type_of(*v) + ", expected true or false");
      return dflt;
    }
    return v->get<bool>();
  }

  std::string string_impl(std::string_view key, bool non_empty, const std::string* fallback) const {
    const std::string dflt = fallback ? *fallback : std::string();
    const nlohmann::json* v = get(key, fallback == nullptr);
    if (v == nullptr) return dflt;
    if (!v->is_string() || (non_empty && v->get_ref<const std::string&>().empty())) {
      fail(key, "is " + type_of(*v) + ", expected a " + (non_empty ? "non-empty " : "") + "string");
      return dflt;
    }
    return v->get<std::string>();
  }

  static std::string trim(double d) {
    std::string s = nlohmann::json(d).dump();
    return s;
  }

  const nlohmann::json* object_;
  std::string file_;
  std::string prefix_;
  std::shared_ptr<std::optional<Error>> error_;
};

/// Parses a model file's metadata (ModelFile::open already checked it is a
/// JSON object) without throwing; a discarded parse is reported as corrupt.
inline Result<nlohmann::json> parse_metadata(const ModelFile& file) {
  auto m = nlohmann::json::parse(file.metadata(), nullptr, false);
  if (m.is_discarded() || !m.is_object())
    return make_error(ErrorCode::corrupt, file.path() + ": metadata is not a JSON object");
  return m;
}

/// The tensor `name` of `file` with `dtype` and exactly `shape` (a dimension
/// of -1 matches any size), or an error naming the file and the tensor.
inline Result<const Tensor*> require_shape(const ModelFile& file, std::string_view name,
                                           DType dtype, const std::vector<std::int64_t>& shape) {
  auto t = file.require(name, dtype, static_cast<int>(shape.size()));
  if (!t) return t;
  const auto& s = t.value()->shape;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] >= 0 && s[i] != shape[i]) {
      std::string want, have;
      for (std::size_t j = 0; j < shape.size(); ++j) {
        want += (j ? " x " : "") + (shape[j] < 0 ? std::string("*") : std::to_string(shape[j]));
        have += (j ? " x " : "") + std::to_string(s[j]);
      }
      return make_error(ErrorCode::corrupt, file.path() + ": tensor '" + std::string(name) +
                                                "' has shape " + have + ", expected " + want);
    }
  }
  return t;
}

/// What the values of an f32 tensor may be (see check_values).
struct ValueRule {
  /// Lowest value allowed, if any.
  std::optional<float> min_value;
  /// `min_value` itself is refused too.
  bool strictly_greater = false;
  /// Largest magnitude allowed. The default admits every finite float.
  float max_abs = std::numeric_limits<float>::max();
};

/// The magnitude bound of a trained linear model's tensors (weights,
/// biases, scales, idf, vectors). Trained values are small numbers; the
/// bound keeps inference sums finite, so a damaged file whose values are
/// finite but huge cannot overflow to Inf and turn a softmax into NaN.
inline constexpr float kMaxTrainedValue = 1e6f;

/// Every value of an f32 tensor is finite and obeys `rule`; one linear pass
/// at load time, nothing at inference. The error names the file, the tensor
/// and the first bad element.
inline Result<void> check_values(const ModelFile& file, const Tensor& t, ValueRule rule = {}) {
  if (t.dtype != DType::f32) return {};
  const auto n = static_cast<std::size_t>(t.elements());
  const float* v = t.as<float>();
  // Bit test first (no branch per element on the common path): with the
  // sign cleared, Inf and NaN sort above every finite bound.
  std::uint32_t limit;
  std::memcpy(&limit, &rule.max_abs, sizeof limit);
  limit &= 0x7FFFFFFFu;
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    bad |= static_cast<std::uint32_t>((bits & 0x7FFFFFFFu) > limit);
  }
  const bool check_min = rule.min_value.has_value();
  if (bad == 0 && !check_min) return {};
  const bool bounded = rule.max_abs < std::numeric_limits<float>::max();
  for (std::size_t i = 0; i < n; ++i) {
    const float x = v[i];
    const bool below =
        check_min && (rule.strictly_greater ? !(x > *rule.min_value) : !(x >= *rule.min_value));
    if (!std::isfinite(x) || below || std::fabs(x) > rule.max_abs) {
      std::string what = std::isfinite(x) ? nlohmann::json(x).dump()
                         : std::isnan(x)  ? std::string("NaN")
                                          : std::string(x > 0 ? "+Inf" : "-Inf");
      std::string text = "finite";
      if (bounded) text += ", at most " + nlohmann::json(rule.max_abs).dump() + " in magnitude";
      if (check_min)
        text += std::string(rule.strictly_greater ? " and > " : " and >= ") +
                nlohmann::json(*rule.min_value).dump();
      return make_error(ErrorCode::corrupt, file.path() + ": tensor '" + t.name + "' element " +
                                                std::to_string(i) + " is " + what +
                                                ", every value must be " + text);
    }
  }
  return {};
}

/// Every value of an f32 tensor is finite (and, with `min_value`, at least
/// that), with no bound on its magnitude.
inline Result<void> check_finite(const ModelFile& file, const Tensor& t,
                                 std::optional<float> min_value = std::nullopt,
                                 bool strictly_greater = false) {
  return check_values(file, t, ValueRule{min_value, strictly_greater});
}

/// check_finite with the trained-model bound: every value also lies within
/// ±kMaxTrainedValue. For the tensors of the linear models and indexes.
inline Result<void> check_trained(const ModelFile& file, const Tensor& t,
                                  std::optional<float> min_value = std::nullopt,
                                  bool strictly_greater = false) {
  return check_values(file, t, ValueRule{min_value, strictly_greater, kMaxTrainedValue});
}

} // namespace supportnlp::io::detail
