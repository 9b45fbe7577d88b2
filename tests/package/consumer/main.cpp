// A downstream program: links the installed library and uses its public API.
#include <supportnlp/supportnlp.hpp>

#include <cstdio>

int main() {
  supportnlp::text::Tokenizer tokenizer;
  const auto tokens = tokenizer.tokenize("Order ORD-99812 hasn't arrived, mail me at a@b.com");
  if (tokens.tokens.empty()) {
    std::puts("no tokens");
    return 1;
  }
  std::printf("%zu tokens, supportnlp %s\n", tokens.tokens.size(), SUPPORTNLP_VERSION_STRING);
  return 0;
}
