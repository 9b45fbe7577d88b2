#include "models/ngram_options_json.hpp"

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

features::NgramOptions ngram_options_from_json(const nlohmann::json& f) {
  features::NgramOptions o;
  o.buckets = f.at("buckets").get<std::uint32_t>();
  o.word_min_n = f.at("word_min_n");
  o.word_max_n = f.at("word_max_n");
  o.char_min_n = f.at("char_min_n");
  o.char_max_n = f.at("char_max_n");
  o.char_across_words = f.at("char_across_words");
  o.entity_tokens = f.at("entity_tokens");
  o.punctuation = f.at("punctuation");
  o.sublinear_tf = f.value("sublinear_tf", o.sublinear_tf);
  o.seed = f.at("seed").get<std::uint32_t>();
  return o;
}

} // namespace supportnlp::models::detail
