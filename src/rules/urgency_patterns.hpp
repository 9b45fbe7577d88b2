#pragma once
// The urgency rule table (docs/urgency.md mirrors it). A pattern is a
// sequence of lower-case words matched against consecutive words of the
// ticket. Special tokens: "word*" matches any word starting with "word";
// "#" matches a number ("3", "three", "several"); "@day" a weekday name.

#include "supportnlp/rules/urgency.hpp"

#include <string_view>
#include <vector>

namespace supportnlp::rules::detail {

struct UrgencyPattern {
  UrgencySignal signal;
  const char* pattern;
};

/// All patterns of the default rule set.
const std::vector<UrgencyPattern>& urgency_patterns();

/// Words that cancel a following match ("not", "never", "isn't", ...).
const std::vector<std::string_view>& negator_words();

/// Words "#" matches besides digit runs ("three", "several", ...).
const std::vector<std::string_view>& number_words();

/// Words "@day" matches ("monday" ... "sunday").
const std::vector<std::string_view>& weekday_words();

} // namespace supportnlp::rules::detail
