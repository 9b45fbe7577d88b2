#pragma once
/// \file
/// Result<T>: the value or the error of an operation that can fail (loading,
/// building, training, saving). Inference never fails and does not use it.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace supportnlp {

/// What went wrong, coarsely; Error::message says precisely.
enum class ErrorCode : int {
  invalid_argument = 1,    ///< a parameter or option is out of range
  io_error = 2,            ///< a file could not be opened, read or written
  not_found = 3,           ///< a file, label, tensor or record does not exist
  truncated = 4,           ///< a file ends before its contents do
  bad_magic = 5,           ///< a file is not a supportnlp model file
  unsupported_version = 6, ///< the file's format version is newer than this library
  checksum_mismatch = 7,   ///< stored and computed checksums differ: the file is corrupt
  corrupt = 8,             ///< a file's structure is inconsistent
  wrong_kind = 9,          ///< a model file of another kind (e.g. a KB given as intent model)
  parse_error = 10,        ///< malformed text input (TSV, JSON, JSON Lines)
  invalid_data = 11,       ///< well-formed input that cannot be used (no labels, empty set)
  internal = 12,           ///< a dependency failed unexpectedly
};

/// A failure: a code to branch on and a message for people, naming the file,
/// line or value concerned.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

/// Name of an error code, e.g. "checksum_mismatch".
const char* to_string(ErrorCode code) noexcept;

/// A value of type T or an Error. Check with `ok()` (or `if (result)`) before
/// calling `value()`; `value()` on an error, or `error()` on a value, is a
/// programming error: it fails an assertion in builds without NDEBUG (naming
/// the mistake where it is made), and throws std::bad_variant_access in
/// release builds.
///
/// \code
///   auto model = supportnlp::io::ModelFile::open("intent.snlp");
///   if (!model) { std::cerr << model.error().message << '\n'; return 1; }
///   use(model.value());
/// \endcode
template <class T>
class [[nodiscard]] Result {
public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok() && "Result::value() called on an error: check ok() first");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok() && "Result::value() called on an error: check ok() first");
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok() && "Result::value() called on an error: check ok() first");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    assert(!ok() && "Result::error() called on a value: check ok() first");
    return std::get<1>(state_);
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

private:
  std::variant<T, Error> state_;
};

/// Result of an operation that produces no value.
template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const {
    assert(!ok_ && "Result<void>::error() called on success: check ok() first");
    return error_;
  }

private:
  Error error_;
  bool ok_ = true;
};

/// Shorthand for building an Error.
inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

} // namespace supportnlp
