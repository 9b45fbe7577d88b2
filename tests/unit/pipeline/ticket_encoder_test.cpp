// The Analyzer's shared transformer (src/pipeline/ticket_encoder.hpp): the
// same text twice in a row on one thread is encoded once; anything else
// goes to the wrapped encoder, and the vectors are always the wrapped
// encoder's.
#include "pipeline/ticket_encoder.hpp"

#include <supportnlp/text/tokenizer.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace supportnlp;
using pipeline::detail::TicketEncoder;

namespace {

// A deterministic encoder that counts its calls.
class CountingEncoder final : public embed::Encoder {
public:
  mutable std::atomic<int> calls{0};
  int dim() const noexcept override { return 4; }
  std::string fingerprint() const override { return "counting/4"; }
  void encode(std::string_view text, float* out) const override {
    ++calls;
    for (int j = 0; j < 4; ++j)
      out[j] = static_cast<float>(text.size() * 10 + static_cast<std::size_t>(j)) +
               (text.empty() ? 0.0f : static_cast<float>(text[0]));
  }
  using embed::Encoder::encode;
};

std::vector<float> vec(const embed::Encoder& e, const std::string& text) {
  std::vector<float> v(4);
  e.encode(text, v.data());
  return v;
}

} // namespace

TEST_CASE("TicketEncoder: a text encoded again right away is not encoded twice",
          "[pipeline][encoder]") {
  auto inner = std::make_shared<CountingEncoder>();
  const TicketEncoder shared(inner);
  CHECK(shared.dim() == 4);
  CHECK(shared.fingerprint() == "counting/4");
  const auto a = vec(*inner, "refund please");
  const auto b = vec(*inner, "cannot log in");
  inner->calls = 0;

  CHECK(vec(shared, "refund please") == a);
  CHECK(inner->calls == 1);
  CHECK(vec(shared, "refund please") == a); // the second stage, same ticket
  CHECK(inner->calls == 1);
  // The token-taking entry point is the same text to the cache.
  text::Tokenizer tokenizer;
  text::TokenizedText tokens;
  const std::string ticket = "refund please";
  tokenizer.tokenize(ticket, tokens);
  std::vector<float> v(4);
  shared.encode_tokens(tokens, v.data());
  CHECK(v == a);
  CHECK(inner->calls == 1);
  // Only the last text is kept.
  CHECK(vec(shared, "cannot log in") == b);
  CHECK(vec(shared, "refund please") == a);
  CHECK(inner->calls == 3);
  CHECK(vec(shared, "refund please!") != a);
  CHECK(inner->calls == 4);

  // Another wrapper never reads this one's entry, even around the same
  // encoder: its own first call encodes.
  const TicketEncoder other(inner);
  CHECK(vec(other, "refund please!") == vec(*inner, "refund please!"));
  CHECK(inner->calls == 6);
}

TEST_CASE("TicketEncoder: threads keep their own last text", "[pipeline][encoder]") {
  auto inner = std::make_shared<CountingEncoder>();
  const TicketEncoder shared(inner);
  const std::vector<std::string> texts = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const std::string& text = texts[static_cast<std::size_t>((i / 2 + t) % 6)];
        if (vec(shared, text) != vec(*inner, text)) ++wrong;
      }
    });
  for (auto& th : threads)
    th.join();
  CHECK(wrong == 0);
}
