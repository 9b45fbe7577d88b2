// The tiny learned-sentiment fixture shared by the sentiment, Analyzer and C
// API tests: fifteen short support texts (five per label), repeated, and
// small hash tables, so a model trains in milliseconds. It answers
// differently from the lexicon analyzer (its score is P(positive) -
// P(negative)), which lets a test tell which one answered.
#pragma once

#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <vector>

namespace toy_sentiment {

/// The fifteen texts, each `repeats` times, labelled negative/neutral/positive.
inline std::vector<supportnlp::models::LabeledText> data(int repeats = 3) {
  const char* neg[] = {"still waiting for my refund", "the app keeps crashing",
                       "worst support ever", "I was charged twice", "my order never arrived"};
  const char* neu[] = {"how do I change my address", "what are your opening hours",
                       "where can I find my invoice", "can I pay by bank transfer",
                       "do you ship to canada"};
  const char* pos[] = {"thanks for the quick fix", "great support, problem solved",
                       "love the new dashboard", "the agent was very helpful",
                       "works perfectly now, thanks"};
  std::vector<supportnlp::models::LabeledText> out;
  for (int rep = 0; rep < repeats; ++rep) {
    for (const char* t : neg)
      out.push_back({t, "negative"});
    for (const char* t : neu)
      out.push_back({t, "neutral"});
    for (const char* t : pos)
      out.push_back({t, "positive"});
  }
  return out;
}

/// Small tables (2^12 buckets per view) and one NB-LR fit.
inline supportnlp::models::SentimentTrainOptions options() {
  supportnlp::models::SentimentTrainOptions o;
  o.classifier.features.buckets = 1u << 12;
  o.nb.features.buckets = 1u << 12;
  o.nb.bags = 1;
  return o;
}

} // namespace toy_sentiment
