#pragma once
// Private: special tokens typed in the text ("[SEP]", "<s>", "<mask>"), which
// Hugging Face's tokenizers match in the raw text before anything else and
// keep as their id. Matching is verbatim and case-sensitive; at one position
// the longest token wins (the added-token matcher's leftmost-longest rule).

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportnlp::embed::transformer {

class SpecialTokens {
public:
  /// Adds `token` with `id`; an empty token is ignored.
  void add(std::string token, std::int32_t id) {
    if (token.empty()) return;
    first_byte_[static_cast<unsigned char>(token[0])] = true;
    tokens_.emplace_back(std::move(token), id);
    std::stable_sort(tokens_.begin(), tokens_.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
  /// The length of the special token at text[pos] (its id in `id`), or 0.
  std::size_t match(std::string_view text, std::size_t pos, std::int32_t& id) const {
    if (!first_byte_[static_cast<unsigned char>(text[pos])]) return 0;
    for (const auto& [token, token_id] : tokens_) {
      if (text.compare(pos, token.size(), token) == 0) {
        id = token_id;
        return token.size();
      }
    }
    return 0;
  }
  bool empty() const { return tokens_.empty(); }

private:
  std::vector<std::pair<std::string, std::int32_t>> tokens_;
  std::array<bool, 256> first_byte_{};
};

} // namespace supportnlp::embed::transformer
