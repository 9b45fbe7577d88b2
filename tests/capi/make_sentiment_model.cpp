// Writes a tiny learned sentiment model (toy support texts, small hash
// tables) to argv[1], for the C API test of a configured sentiment model
// (test_capi_sentiment.c), which as a C program cannot train one itself.
#include "../common/toy_sentiment.hpp"

#include <supportnlp/models/sentiment/sentiment_model.hpp>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_sentiment_model OUT.snlp\n");
    return 2;
  }
  using namespace supportnlp::models;
  auto model = SentimentModel::train(toy_sentiment::data(), {}, toy_sentiment::options());
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
