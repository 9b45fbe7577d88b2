// Helpers shared by the urgency tests (urgency_test.cpp,
// urgency_languages_test.cpp): one rule set per process, and whether an
// assessment carries a signal.
#pragma once

#include <supportnlp/rules/urgency.hpp>

#include <string>

namespace urgency_test {

inline const supportnlp::rules::UrgencyRules& rules() {
  static const supportnlp::rules::UrgencyRules r;
  return r;
}

inline bool has(const supportnlp::rules::UrgencyAssessment& a,
                supportnlp::rules::UrgencySignal s) {
  for (const auto& e : a.evidence)
    if (e.signal == s) return true;
  return false;
}

inline supportnlp::rules::Urgency level(const std::string& text, double sentiment = 0.0) {
  return rules().assess(text, sentiment).level;
}

} // namespace urgency_test
