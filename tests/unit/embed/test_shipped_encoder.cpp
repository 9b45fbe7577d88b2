// The shipped encoder (data/models/encoder.snlp) puts paraphrases closer than
// unrelated requests. Every phrasing here was written for this test and
// checked to occur in none of the training files.
#include <catch2/catch.hpp>

#include "supportnlp/embed/static_encoder.hpp"

#include <iterator>
#include <numeric>
#include <string>

namespace {

struct Triple {
  const char* anchor;
  const char* paraphrase;
  const char* unrelated;
};

} // namespace

TEST_CASE("shipped encoder ranks paraphrases above unrelated requests", "[embed][kernels]") {
  auto enc =
      supportnlp::embed::StaticEncoder::load(SUPPORTNLP_SOURCE_DIR "/data/models/encoder.snlp");
  REQUIRE(enc.ok());
  CHECK(enc->dim() == 256);
  const Triple triples[] = {
      {"I just can't log in to the website", "how do I reset my password", "where is my parcel"},
      {"I just can't log in to the website", "my account is locked after too many attempts",
       "I want a refund for my order"},
      {"I just can't log in to the website", "the two-factor authentication code never arrives",
       "change my delivery address"},
      {"logging in fails every time", "forgot my password, need a reset link",
       "what are your opening hours"},
      {"cannot sign into my account", "forgot my password, need a reset link",
       "what are your opening hours"},
      {"I was charged twice this month", "there is a duplicate payment on my card",
       "how do I reset my password"},
      {"my parcel never showed up", "the order has not been delivered yet",
       "I was charged twice this month"},
      {"please close my account", "I want to remove my profile for good", "track my shipment"},
      {"how do I get my money back", "I would like a refund", "logging in fails every time"},
      {"the app keeps crashing", "the application stops working when I open it",
       "update my billing address"},
      {"talk to a real person", "can I speak with a human agent", "how much is shipping"},
  };
  auto cosine = [&](const char* a, const char* b) {
    auto x = enc->encode(a), y = enc->encode(b);
    return std::inner_product(x.begin(), x.end(), y.begin(), 0.0f);
  };
  // One miss is tolerated and documented in data/models/README.md: "logging
  // in fails every time" shares no word with "forgot my password, need a
  // reset link" and the shipped model scores it 0.08 against 0.10 for the
  // unrelated text.
  int ordered = 0;
  std::string misses;
  for (const auto& t : triples) {
    if (cosine(t.anchor, t.paraphrase) > cosine(t.anchor, t.unrelated))
      ++ordered;
    else
      misses += std::string(t.anchor) + " | " + t.paraphrase + "\n";
  }
  INFO("misordered:\n" << misses);
  CHECK(ordered >= static_cast<int>(std::size(triples)) - 1);
}
