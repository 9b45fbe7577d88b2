// Writes a tiny learned sentiment model (toy support texts, small hash
// tables) to argv[1], for the C API test of a configured sentiment model
// (test_capi_sentiment.c), which as a C program cannot train one itself.
#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_sentiment_model OUT.snlp\n");
    return 2;
  }
  using namespace supportnlp::models;
  const char* neg[] = {"still waiting for my refund", "the app keeps crashing",
                       "worst support ever", "I was charged twice", "my order never arrived"};
  const char* neu[] = {"how do I change my address", "what are your opening hours",
                       "where can I find my invoice", "can I pay by bank transfer",
                       "do you ship to canada"};
  const char* pos[] = {"thanks for the quick fix", "great support, problem solved",
                       "love the new dashboard", "the agent was very helpful",
                       "works perfectly now, thanks"};
  std::vector<LabeledText> data;
  for (int rep = 0; rep < 3; ++rep) {
    for (const char* t : neg)
      data.push_back({t, "negative"});
    for (const char* t : neu)
      data.push_back({t, "neutral"});
    for (const char* t : pos)
      data.push_back({t, "positive"});
  }
  SentimentTrainOptions o;
  o.classifier.features.buckets = 1u << 12;
  o.nb.features.buckets = 1u << 12;
  o.nb.bags = 1;
  auto model = SentimentModel::train(data, {}, o);
  if (!model) {
    std::fprintf(stderr, "%s\n", model.error().message.c_str());
    return 1;
  }
  if (auto saved = model->save(argv[1]); !saved) {
    std::fprintf(stderr, "%s\n", saved.error().message.c_str());
    return 1;
  }
  return 0;
}
