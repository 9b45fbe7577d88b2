#pragma once
// A small deterministic Encoder for tests: each lower-cased ASCII word adds a
// pseudo-random +-1 pattern, so texts sharing words have a high cosine. It
// lets the KnowledgeBase be tested without a trained model.

#include "cpu/hash.hpp"
#include "supportnlp/embed/encoder.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>

namespace supportnlp::search::testing {

class HashedEncoder final : public embed::Encoder {
public:
  explicit HashedEncoder(int dim = 64, std::string name = "hashed") : dim_(dim), name_(name) {}
  int dim() const noexcept override { return dim_; }
  std::string fingerprint() const override { return name_ + "/" + std::to_string(dim_); }
  void encode(std::string_view text, float* out) const override {
    for (int j = 0; j < dim_; ++j)
      out[j] = 0.0f;
    std::string word;
    auto flush = [&] {
      if (word.empty()) return;
      std::uint64_t h = cpu::fnv1a(word.data(), word.size());
      for (int j = 0; j < dim_; ++j) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        out[j] += (h & 1) ? 1.0f : -1.0f;
      }
      word.clear();
    };
    for (char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)))
        word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      else
        flush();
    }
    flush();
    float n = 0;
    for (int j = 0; j < dim_; ++j)
      n += out[j] * out[j];
    n = std::sqrt(n);
    if (n > 0)
      for (int j = 0; j < dim_; ++j)
        out[j] /= n;
  }
  using embed::Encoder::encode;

private:
  int dim_;
  std::string name_;
};

} // namespace supportnlp::search::testing
