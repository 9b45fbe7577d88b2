#include "supportnlp/result.hpp"

namespace supportnlp {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
  case ErrorCode::invalid_argument: return "invalid_argument";
  case ErrorCode::io_error: return "io_error";
  case ErrorCode::not_found: return "not_found";
  case ErrorCode::truncated: return "truncated";
  case ErrorCode::bad_magic: return "bad_magic";
  case ErrorCode::unsupported_version: return "unsupported_version";
  case ErrorCode::checksum_mismatch: return "checksum_mismatch";
  case ErrorCode::corrupt: return "corrupt";
  case ErrorCode::wrong_kind: return "wrong_kind";
  case ErrorCode::parse_error: return "parse_error";
  case ErrorCode::invalid_data: return "invalid_data";
  case ErrorCode::internal: return "internal";
  }
  return "unknown";
}

} // namespace supportnlp
