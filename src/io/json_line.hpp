#pragma once
// The judgement of one JSON line, shared by the readers of io/records.hpp
// and search's article reader: valid UTF-8, nesting bounded by
// io::kMaxJsonDepth, then nlohmann's parser. Private to the library.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace supportnlp::io::detail {

/// Parses `line` into `out`. Returns empty, or the message of a malformed
/// line: "invalid UTF-8 in a JSON record", "JSON nested deeper than 64
/// levels" or "malformed JSON".
std::string parse_json_line(std::string_view line, nlohmann::json& out);

} // namespace supportnlp::io::detail
