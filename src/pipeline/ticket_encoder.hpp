#pragma once
// Private: the Analyzer's transformer, shared by its intent model and its
// knowledge base so that a ticket is encoded once, not once per stage. A
// transformer vector costs milliseconds; both stages encode the same token
// stream within one analyze() call on one thread.
//
// Thread safety: as the encoder it wraps. The last text and its vector are
// kept per thread (thread_local), tagged with this wrapper's own id, so two
// Analyzers, or two threads, never see each other's vectors.

#include "supportnlp/embed/encoder.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::pipeline::detail {

class TicketEncoder final : public embed::Encoder {
public:
  explicit TicketEncoder(std::shared_ptr<const embed::Encoder> inner);

  int dim() const noexcept override { return inner_->dim(); }
  std::string fingerprint() const override { return inner_->fingerprint(); }
  /// The wrapped encoder's vector of `text`; the same text again on this
  /// thread, with no other text between, is copied from the last call.
  void encode(std::string_view text, float* out) const override;
  void encode_tokens(const text::TokenizedText& tokens, float* out) const override;
  /// Batches (KB articles at load) go straight to the wrapped encoder.
  void encode_batch(const std::vector<std::string_view>& texts, float* out) const override {
    inner_->encode_batch(texts, out);
  }
  using Encoder::encode;

private:
  template <class Encode> void cached(std::string_view text, float* out, Encode&& encode) const;

  std::shared_ptr<const embed::Encoder> inner_;
  std::uint64_t id_; // never reused, unlike an address
};

} // namespace supportnlp::pipeline::detail
