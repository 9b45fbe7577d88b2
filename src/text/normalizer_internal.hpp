#pragma once
// Private normalization helpers shared with the tokenizer.

#include "supportnlp/text/normalizer.hpp"

#include <unicode/normalizer2.h>

#include <string>
#include <string_view>

namespace supportnlp::text::detail {

/// ICU's normalizer for `form`, or nullptr for NormalizationForm::none.
const icu::Normalizer2* icu_normalizer(NormalizationForm form) noexcept;

/// True if every byte of `text` is < 0x80.
bool is_ascii(std::string_view text) noexcept;

/// Appends the normalized form of ASCII text (no ICU call).
void append_ascii_normalized(std::string_view ascii, NormalizationForm form, std::string& out);

/// Appends the normalized form of valid UTF-8 `valid` using `norm`.
void append_valid_normalized(std::string_view valid, NormalizationForm form,
                             const icu::Normalizer2* norm, std::string& out);

} // namespace supportnlp::text::detail
