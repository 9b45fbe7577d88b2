// A downstream program: links the installed library, uses its public C++ and C
// APIs, and opens the installed models through data_dir(). Given a directory,
// it also checks that data_dir() answers that directory (the package tests
// pass the moved prefix's share/supportnlp).
#include <supportnlp/supportnlp.h>
#include <supportnlp/supportnlp.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  supportnlp::text::Tokenizer tokenizer;
  const auto tokens = tokenizer.tokenize("Order ORD-99812 hasn't arrived, mail me at a@b.com");
  if (tokens.tokens.empty()) {
    std::puts("no tokens");
    return 1;
  }

  const std::string dir = supportnlp::data_dir();
  if (argc > 1 && fs::weakly_canonical(dir) != fs::weakly_canonical(argv[1])) {
    std::printf("data_dir() is %s, expected %s\n", dir.c_str(), argv[1]);
    return 1;
  }
  char* c_dir = nullptr;
  if (snlp_data_dir(&c_dir) != SNLP_OK || dir != c_dir) {
    std::printf("snlp_data_dir() differs from data_dir(): %s\n", c_dir ? c_dir : snlp_last_error());
    snlp_free_string(c_dir);
    return 1;
  }
  snlp_free_string(c_dir);

  auto lid = supportnlp::text::LanguageIdentifier::load(dir + "/models/langid.snlp");
  if (!lid) {
    std::printf("%s: %s\n", supportnlp::to_string(lid.error().code), lid.error().message.c_str());
    return 1;
  }
  const std::string language = lid->identify("¿Dónde está mi pedido?").code;
  snlp_langid* c_lid = nullptr; // the C API's bundled model, found the same way
  if (snlp_langid_open(nullptr, &c_lid) != SNLP_OK) {
    std::printf("snlp_langid_open(NULL): %s\n", snlp_last_error());
    return 1;
  }
  snlp_langid_close(c_lid);

  std::printf("%zu tokens, supportnlp %s, data %s, langid %s\n", tokens.tokens.size(),
              SUPPORTNLP_VERSION_STRING, dir.c_str(), language.c_str());
  return language == "es" ? 0 : 1;
}
