#pragma once
// Shared by the tests of the transformer encoder's wiring (intent models on a
// frozen encoder, the Analyzer's and the C API's transformer slot): the tiny
// random-weight checkpoints of tests/data/transformer and a two-intent
// training set small enough to train on them in milliseconds.

#include <supportnlp/embed/transformer_encoder.hpp>
#include <supportnlp/models/linear/classifier_data.hpp>

#include <memory>
#include <string>
#include <vector>

namespace supportnlp::test {

/// Twelve tickets, six "billing.refund" and six "account.login".
inline std::vector<models::LabeledText> refund_login_tickets() {
  std::vector<models::LabeledText> data;
  for (const char* t : {"where is my refund", "refund not received", "I want my money back",
                        "refund still missing", "my refund is late", "please refund me"})
    data.push_back({t, "billing.refund"});
  for (const char* t : {"I can't log in", "password reset fails", "locked out of my account",
                        "cannot sign in", "forgot my password", "login error"})
    data.push_back({t, "account.login"});
  return data;
}

#ifdef SUPPORTNLP_SOURCE_DIR
/// tests/data/transformer/, where the fixture checkpoints live.
inline const std::string kTransformerFixtures =
    std::string(SUPPORTNLP_SOURCE_DIR) + "/tests/data/transformer/";

/// The fixture checkpoint `name` (e.g. "bert-bare"), loaded; a test that
/// cannot load it fails there. Needs Catch2 (FAIL).
#ifdef FAIL
inline std::shared_ptr<const embed::TransformerEncoder> fixture_encoder(const std::string& name) {
  auto e = embed::TransformerEncoder::load(kTransformerFixtures + name);
  if (!e) FAIL(e.error().message);
  return std::make_shared<embed::TransformerEncoder>(std::move(e).value());
}
#endif
#endif

} // namespace supportnlp::test
