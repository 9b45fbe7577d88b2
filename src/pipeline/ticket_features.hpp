#pragma once
// Private: what the Analyzer computes of one ticket once and every stage
// reads (issue 16): the token stream, the n-grams of each extractor a stage
// hashes with, the vector of each encoder a stage reads. Each is computed on
// the first request and kept for the rest of the ticket, so two stages that
// read the same thing (the intent model and the KB on one transformer, the
// intent model and the KB's static encoder on n-grams that hash alike) pay
// for it once.
//
// TicketFeaturePlan is fixed when the Analyzer opens: the extractors and
// encoders its stages read, each named by a slot. It is immutable
// afterwards and shared by every thread. TicketFeatures holds one ticket's
// values (buffers reused from ticket to ticket); one per thread, never
// shared.
//
//   plan.add_ngrams(intent_options) -> slot i; plan.add_encoder(kb_encoder) -> slot v
//   ticket.start(plan, tokenizer, text);      // tokenizes, forgets the last ticket
//   ticket.expect_vector(v);                  // read later: extract its n-grams with i's
//   intent.classify(ticket.tokens(), {&ticket.ngrams(i, false)}, 3);
//   kb.search(ticket.tokens(), ticket.vector(v), options);
//   ticket.finish();                          // no view of the text is kept

#include "supportnlp/embed/encoder.hpp"
#include "supportnlp/embed/static_encoder.hpp"
#include "supportnlp/features/ngrams.hpp"
#include "supportnlp/text/tokenizer.hpp"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace supportnlp::pipeline::detail {

// The n-gram extractors and encoders an Analyzer's stages read.
class TicketFeaturePlan {
public:
  using Slot = std::uint32_t;

  // A slot for the n-grams extracted with `options`. Two slots whose
  // extractors hash alike (NgramExtractor::shares_hashes) are paired: when
  // one is extracted and the other is expected for the same ticket, both
  // are extracted in one pass (features::extract_pair).
  Slot add_ngrams(const features::NgramOptions& options);
  // A slot for `encoder`'s vector (non-null); the same encoder again gets
  // the same slot, so stages sharing an encoder share its vector. A
  // StaticEncoder's vector is pooled from n-grams of a slot of its own
  // feature options, which may then pair with another stage's.
  Slot add_encoder(std::shared_ptr<const embed::Encoder> encoder);

private:
  friend class TicketFeatures;
  static constexpr Slot kNone = 0xFFFFFFFFu;
  struct Ngrams {
    features::NgramExtractor extractor;
    Slot partner = kNone;
  };
  struct Vector {
    std::shared_ptr<const embed::Encoder> encoder;
    const embed::StaticEncoder* pooled = nullptr; // encoder, when pooled from n-grams
    Slot ngrams = kNone;                          // the n-gram slot it pools
  };
  std::vector<Ngrams> ngrams_;
  std::vector<Vector> vectors_;
};

// One ticket's features under a plan.
class TicketFeatures {
public:
  using Slot = TicketFeaturePlan::Slot;

  // Starts the ticket `text` (which must stay alive until finish()):
  // tokenizes it with `tokenizer` (default options, those every model
  // reads) and forgets the previous ticket's values.
  void start(const TicketFeaturePlan& plan, const text::Tokenizer& tokenizer,
             std::string_view text);
  // Says that this ticket will read n-gram slot `slot` (or the n-grams
  // vector slot `slot` is pooled from), so that its partner's extraction
  // brings it along. Reading an unexpected slot is still right, only alone.
  void expect_ngrams(Slot slot) noexcept;
  void expect_vector(Slot slot) noexcept;

  // The ticket's token stream (views the text).
  const text::TokenizedText& tokens() const noexcept { return tokens_; }
  // The n-grams of `slot`, with origins if `origins` (valid until the next
  // start()).
  const features::SparseFeatures& ngrams(Slot slot, bool origins) {
    return extracted(slot, origins);
  }
  // The vector of encoder slot `slot` (the encoder's dim() floats, valid
  // until the next start()).
  const float* vector(Slot slot);
  // Ends the ticket: no view of its text is kept.
  void finish() noexcept { tokens_.source = {}; }

private:
  struct NgramState {
    features::SparseFeatures features;
    bool expected = false;
    bool ready = false;
    bool origins = false; // ready with origins
  };
  struct VectorState {
    std::vector<float> values;
    bool ready = false;
  };
  // Extracts slot `slot` (with its expected partner when they pair) unless
  // it is ready with the origins asked for.
  features::SparseFeatures& extracted(Slot slot, bool origins);

  const TicketFeaturePlan* plan_ = nullptr;
  text::TokenizedText tokens_;
  std::vector<NgramState> ngrams_;
  std::vector<VectorState> vectors_;
};

} // namespace supportnlp::pipeline::detail
