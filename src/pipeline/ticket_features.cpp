// One ticket's features, computed once for every stage (ticket_features.hpp).
#include "pipeline/ticket_features.hpp"

#include "embed/featurizer.hpp"

#include <algorithm>

namespace supportnlp::pipeline::detail {

TicketFeaturePlan::Slot TicketFeaturePlan::add_ngrams(const features::NgramOptions& options) {
  const auto slot = static_cast<Slot>(ngrams_.size());
  ngrams_.push_back({features::NgramExtractor(options), kNone});
  Ngrams& added = ngrams_.back();
  for (Slot other = 0; other < slot; ++other) {
    Ngrams& o = ngrams_[other];
    if (o.partner == kNone && o.extractor.shares_hashes(added.extractor)) {
      o.partner = slot;
      added.partner = other;
      break;
    }
  }
  return slot;
}

TicketFeaturePlan::Slot
TicketFeaturePlan::add_encoder(std::shared_ptr<const embed::Encoder> encoder) {
  for (Slot v = 0; v < vectors_.size(); ++v)
    if (vectors_[v].encoder == encoder) return v;
  Vector added;
  added.pooled = dynamic_cast<const embed::StaticEncoder*>(encoder.get());
  if (added.pooled != nullptr) added.ngrams = add_ngrams(added.pooled->feature_options());
  added.encoder = std::move(encoder);
  vectors_.push_back(std::move(added));
  return static_cast<Slot>(vectors_.size() - 1);
}

void TicketFeatures::start(const TicketFeaturePlan& plan, const text::Tokenizer& tokenizer,
                           std::string_view text) {
  plan_ = &plan;
  tokenizer.tokenize(text, tokens_);
  ngrams_.resize(plan.ngrams_.size());
  for (NgramState& n : ngrams_)
    n.expected = n.ready = n.origins = false;
  vectors_.resize(plan.vectors_.size());
  for (VectorState& v : vectors_)
    v.ready = false;
}

void TicketFeatures::expect_ngrams(Slot slot) noexcept {
  ngrams_[slot].expected = true;
}

void TicketFeatures::expect_vector(Slot slot) noexcept {
  const auto& v = plan_->vectors_[slot];
  // A text the static encoder cuts to its first kMaxFeatureBytes is encoded
  // by the encoder itself (vector()): its n-grams would not be read.
  if (v.pooled != nullptr && tokens_.source.size() <= embed::kMaxFeatureBytes)
    expect_ngrams(v.ngrams);
}

features::SparseFeatures& TicketFeatures::extracted(Slot slot, bool origins) {
  NgramState& n = ngrams_[slot];
  if (n.ready && (n.origins || !origins)) return n.features;
  const auto& plan = plan_->ngrams_[slot];
  const Slot partner = plan.partner;
  if (partner != TicketFeaturePlan::kNone && ngrams_[partner].expected && !ngrams_[partner].ready) {
    NgramState& p = ngrams_[partner];
    features::extract_pair(tokens_, plan.extractor, n.features, origins,
                           plan_->ngrams_[partner].extractor, p.features);
    p.ready = true;
    p.origins = false;
  } else {
    plan.extractor.extract(tokens_, n.features, origins);
  }
  n.ready = true;
  n.origins = origins;
  return n.features;
}

const float* TicketFeatures::vector(Slot slot) {
  VectorState& v = vectors_[slot];
  if (v.ready) return v.values.data();
  const auto& plan = plan_->vectors_[slot];
  v.values.resize(static_cast<std::size_t>(plan.encoder->dim()));
  if (plan.pooled != nullptr && tokens_.source.size() <= embed::kMaxFeatureBytes)
    plan.pooled->encode_features(extracted(plan.ngrams, false), v.values.data());
  else
    plan.encoder->encode_tokens(tokens_, v.values.data());
  v.ready = true;
  return v.values.data();
}

} // namespace supportnlp::pipeline::detail
