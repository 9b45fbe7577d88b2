// How a model file's metadata records the n-gram options its features were
// extracted with: one JSON object, written and read the same way by every
// model that stores hashed n-gram features (TextClassifier, the sentiment
// model's NB-LR view).
#pragma once

#include "io/checked_fields.hpp"
#include "supportnlp/features/ngrams.hpp"

#include <nlohmann/json.hpp>

namespace supportnlp::models::detail {

/// The options as a JSON object (keys named after the fields).
nlohmann::json ngram_options_json(const features::NgramOptions& f);

/// The options read back from the object `f` (a reader of the "features"
/// field); never throws. Each field is checked for its type and range, and
/// the ranges for consistency: buckets in [1, 2^31], n-gram lengths in
/// [0, 16] (0 turns a view off), min <= max for a view that is on, and at
/// least one view on. The first problem is recorded in `f`, naming the field.
/// "sublinear_tf" may be absent (the NB-LR view's first files did not write
/// it): it then keeps NgramOptions' default.
features::NgramOptions ngram_options_from_json(const io::detail::FieldReader& f);

} // namespace supportnlp::models::detail
