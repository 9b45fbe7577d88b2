#pragma once
// English suffix stripping (M. F. Porter, "An algorithm for suffix
// stripping", 1980) for the lexical index: "refunds", "refunded" and
// "refunding" all become "refund". Only lower-case ASCII words of three or
// more letters are stemmed; anything else is returned unchanged.

#include <string>
#include <string_view>

namespace supportnlp::search::detail {

/// Stems `word` in place (expects the case-folded form).
void porter_stem(std::string& word);

} // namespace supportnlp::search::detail
