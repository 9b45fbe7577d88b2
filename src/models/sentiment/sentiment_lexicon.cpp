// LexiconSentiment: the no-training analyzer (tokenize, apply the lexicon
// rules, squash the valence sum into [-1, 1], threshold into a label).
#include "supportnlp/models/sentiment/sentiment.hpp"

#include "models/sentiment/lexicon_scorer.hpp"

#include <cmath>

namespace supportnlp::models {

struct LexiconSentiment::Impl {
  LexiconOptions options;
  detail::LexiconScorer scorer;
  text::Tokenizer tokenizer;
};

namespace {

text::TokenizedText& thread_tokens() {
  thread_local text::TokenizedText tokens;
  return tokens;
}

} // namespace

LexiconSentiment::LexiconSentiment(LexiconOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl_ = std::move(impl);
}

const LexiconOptions& LexiconSentiment::options() const noexcept {
  return impl_->options;
}

std::size_t LexiconSentiment::lexicon_size() const noexcept {
  return impl_->scorer.size();
}

const std::vector<std::string>& lexicon_languages() noexcept {
  // The languages data/lexicon/*.tsv has entries for: the English lexicon
  // and, for the other languages of the default routing model, their
  // negators, modifiers, strongest words and support phrases.
  static const std::vector<std::string> codes{"en", "es", "de", "fr", "pt"};
  return codes;
}

const char* LexiconSentiment::kind() const noexcept {
  return "lexicon";
}

const std::vector<std::string>& LexiconSentiment::languages() const noexcept {
  return lexicon_languages();
}

void LexiconSentiment::analyze(std::string_view text, const text::TokenizedText& tokens,
                               SentimentResult& out) const {
  // Tokens of other bytes would give evidence offsets into another text.
  if (tokens.source.size() != text.size() ||
      (tokens.source.data() != text.data() && tokens.source != text)) {
    analyze(text, out);
    return;
  }
  analyze(tokens, out);
}

void LexiconSentiment::analyze(std::string_view text, SentimentResult& out) const {
  text::TokenizedText& tokens = thread_tokens();
  impl_->tokenizer.tokenize(text, tokens);
  analyze(tokens, out);
  tokens.source = {};
}

void LexiconSentiment::analyze(const text::TokenizedText& tokens, SentimentResult& out) const {
  const LexiconOptions& opt = impl_->options;
  detail::LexiconSignals signals;
  impl_->scorer.score(tokens, opt, signals, opt.explain ? &out.evidence : nullptr);
  if (!opt.explain) out.evidence.clear();
  const float sum = signals.sum;
  const float score = sum / std::sqrt(sum * sum + opt.alpha);
  out.score = score;
  out.repaired_utf8 = tokens.repaired_utf8;
  if (score <= opt.negative_threshold)
    out.label = SentimentLabel::negative;
  else if (score >= opt.positive_threshold)
    out.label = SentimentLabel::positive;
  else
    out.label = SentimentLabel::neutral;
  // Uncalibrated: the score's magnitude goes to its side, the rest to neutral.
  const float magnitude = std::fabs(score);
  out.probabilities[0] = score < 0 ? magnitude : 0.0f;
  out.probabilities[2] = score > 0 ? magnitude : 0.0f;
  out.probabilities[1] = 1.0f - magnitude;
}

float LexiconSentiment::raw_valence(const text::TokenizedText& tokens) const {
  detail::LexiconSignals signals;
  impl_->scorer.score(tokens, impl_->options, signals, nullptr);
  return signals.sum;
}

} // namespace supportnlp::models
