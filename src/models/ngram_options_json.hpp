// How a model file's metadata records the n-gram options its features were
// extracted with: one JSON object, written and read the same way by every
// model that stores hashed n-gram features (TextClassifier, the sentiment
// model's NB-LR view).
#pragma once

#include "supportnlp/features/ngrams.hpp"

#include <nlohmann/json.hpp>

namespace supportnlp::models::detail {

/// The options as a JSON object (keys named after the fields).
nlohmann::json ngram_options_json(const features::NgramOptions& f);

/// The options read back; throws nlohmann::json::exception when a key is
/// missing or of the wrong type. "sublinear_tf" may be absent (the NB-LR
/// view's first files did not write it): it then keeps NgramOptions' default.
features::NgramOptions ngram_options_from_json(const nlohmann::json& f);

} // namespace supportnlp::models::detail
