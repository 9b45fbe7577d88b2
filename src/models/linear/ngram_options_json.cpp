#include "models/linear/ngram_options_json.hpp"

namespace supportnlp::models::detail {

nlohmann::json ngram_options_json(const features::NgramOptions& f) {
  return {{"buckets", f.buckets},
          {"word_min_n", f.word_min_n},
          {"word_max_n", f.word_max_n},
          {"char_min_n", f.char_min_n},
          {"char_max_n", f.char_max_n},
          {"char_across_words", f.char_across_words},
          {"entity_tokens", f.entity_tokens},
          {"punctuation", f.punctuation},
          {"sublinear_tf", f.sublinear_tf},
          {"seed", f.seed}};
}

features::NgramOptions ngram_options_from_json(const io::detail::FieldReader& f) {
  // The extractor clamps lengths to [0, 16]; a file outside that range was
  // not written by this library, so it is refused rather than clamped.
  constexpr int kMaxN = 16;
  features::NgramOptions o;
  o.buckets = f.integer<std::uint32_t>("buckets", 1, 1u << 31);
  o.word_min_n = f.integer<int>("word_min_n", 0, kMaxN);
  o.word_max_n = f.integer<int>("word_max_n", 0, kMaxN);
  o.char_min_n = f.integer<int>("char_min_n", 0, kMaxN);
  o.char_max_n = f.integer<int>("char_max_n", 0, kMaxN);
  o.char_across_words = f.boolean("char_across_words");
  o.entity_tokens = f.boolean("entity_tokens");
  o.punctuation = f.boolean("punctuation");
  o.sublinear_tf = f.boolean("sublinear_tf", o.sublinear_tf);
  o.seed = f.integer<std::uint32_t>("seed", 0, 0xFFFFFFFFu);
  if (!f.ok()) return o;
  if (o.word_min_n >= 1 && o.word_min_n > o.word_max_n)
    f.fail("word_min_n", "is " + std::to_string(o.word_min_n) + ", above word_max_n " +
                             std::to_string(o.word_max_n));
  else if (o.char_min_n >= 1 && o.char_min_n > o.char_max_n)
    f.fail("char_min_n", "is " + std::to_string(o.char_min_n) + ", above char_max_n " +
                             std::to_string(o.char_max_n));
  else if (o.word_min_n == 0 && o.char_min_n == 0)
    f.fail("word_min_n", "and char_min_n are both 0: no feature would be extracted");
  return o;
}

} // namespace supportnlp::models::detail
