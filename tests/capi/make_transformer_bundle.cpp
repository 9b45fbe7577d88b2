// Writes the bundles of the C API transformer test (test_capi_transformer.c),
// which as a C program cannot train: under argv[2],
//   full/    models/transformer/ (a copy of the fixture folder argv[1]),
//            models/intent.snlp trained with it, kb/kb.snlp built with it;
//   lacking/ the same intent model, without the transformer.
#include <supportnlp/embed/transformer_encoder.hpp>
#include <supportnlp/models/intent/intent.hpp>
#include <supportnlp/search/knowledge_base.hpp>

#include "../common/transformer_fixtures.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace supportnlp;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "make_transformer_bundle: %s\n", message.c_str());
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_transformer_bundle FIXTURE_DIR OUT_DIR\n");
    return 2;
  }
  const fs::path fixture = argv[1], out = argv[2];
  auto loaded = embed::TransformerEncoder::load(fixture.string());
  if (!loaded) return fail(loaded.error().message);
  auto encoder = std::make_shared<embed::TransformerEncoder>(std::move(loaded).value());

  const std::vector<models::LabeledText> data = test::refund_login_tickets();
  auto o = models::IntentClassifier::default_options();
  o.encoder = encoder;
  o.features.buckets = 1u << 16;
  o.max_epochs = 10;
  auto model = models::IntentClassifier::train(data, {}, o);
  if (!model) return fail(model.error().message);

  auto kb = search::KnowledgeBase::create(encoder);
  if (!kb) return fail(kb.error().message);
  if (auto added = kb->add({{"refund-timing",
                             "When will I get my refund",
                             "Refunds reach your card within five days.",
                             "",
                             {}},
                            {"reset-password",
                             "Reset your password",
                             "Open the login page and choose forgot password.",
                             "",
                             {}}});
      !added)
    return fail(added.error().message);

  std::error_code ec;
  fs::remove_all(out, ec);
  for (const char* bundle : {"full", "lacking"}) {
    fs::create_directories(out / bundle / "models");
    if (auto saved = model->save((out / bundle / "models" / "intent.snlp").string()); !saved)
      return fail(saved.error().message);
  }
  fs::create_directories(out / "full" / "kb");
  if (auto saved = kb->save((out / "full" / "kb" / "kb.snlp").string()); !saved)
    return fail(saved.error().message);
  fs::copy(fixture, out / "full" / "models" / "transformer", fs::copy_options::recursive, ec);
  if (ec) return fail("cannot copy " + fixture.string() + ": " + ec.message());
  return 0;
}
