#include "embed/featurizer.hpp"

#include "supportnlp/text/tokenizer.hpp"

namespace supportnlp::embed {
namespace {

bool is_utf8_lead(unsigned char c) noexcept {
  return (c & 0xC0) != 0x80;
}

const text::Tokenizer& tokenizer() {
  static const text::Tokenizer instance{text::TokenizerOptions{}};
  return instance;
}

} // namespace

features::NgramOptions ngram_options(const FeatureConfig& config) noexcept {
  features::NgramOptions o;
  o.buckets = config.buckets;
  o.word_min_n = 1;
  o.word_max_n = config.word_ngrams;
  o.char_min_n = config.char_ngram_min;
  o.char_max_n = config.char_ngram_min > 0 ? config.char_ngram_max : 0;
  o.entity_tokens = true;
  o.punctuation = true;
  o.sublinear_tf = true;
  o.seed = config.seed;
  return o;
}

void extract_features(std::string_view text, const features::NgramExtractor& extractor,
                      features::SparseFeatures& out) {
  if (text.size() > kMaxFeatureBytes) {
    std::size_t cut = kMaxFeatureBytes;
    while (cut > 0 && !is_utf8_lead(static_cast<unsigned char>(text[cut])))
      --cut;
    text = text.substr(0, cut);
  }
  thread_local text::TokenizedText tokens;
  tokenizer().tokenize(text, tokens);
  extractor.extract(tokens, out);
}

} // namespace supportnlp::embed
