#pragma once
// Private UTF-8 helpers shared by the normalizer and the tokenizer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text::detail {

/// Length of the maximal invalid subpart starting at `pos` (>= 1).
std::size_t invalid_sequence_length(std::string_view text, std::size_t pos) noexcept;

/// Writes `text` with invalid subparts replaced by U+FFFD into `out`. If
/// `offsets` is given it receives out.size() + 1 entries: for each output
/// byte the offset in `text` it came from, then text.size(). Returns true if
/// anything was replaced.
bool repair_utf8_with_offsets(std::string_view text, std::string& out,
                              std::vector<std::uint32_t>* offsets);

} // namespace supportnlp::text::detail
