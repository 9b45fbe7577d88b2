#pragma once
// Private to topic discovery: class-based TF-IDF keywords and phrases.

#include "supportnlp/search/topics.hpp"

#include <string>
#include <vector>

namespace supportnlp::search::detail {

/// Fills Topic::keywords and Topic::phrases of `topics` (indexed by topic
/// id) from the texts assigned to them (`assignment`, -1: outlier; outliers
/// form one more class so that words common to everything score low).
void label_topics(const std::vector<std::string>& texts, const std::vector<int>& assignment,
                  std::size_t keywords, std::size_t phrases, std::vector<Topic>& topics);

} // namespace supportnlp::search::detail
