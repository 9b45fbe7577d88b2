// The default bundle never gives a confident intent to text it cannot
// route: tickets in languages the routing model was not trained on, empty
// text, and keyboard mashing. Written before the checks were run.
#include <supportnlp/pipeline/analyzer.hpp>

#include <catch2/catch.hpp>

#include <string>

using supportnlp::models::OutOfScopeReason;
using supportnlp::pipeline::Analyzer;

namespace {
const Analyzer& bundle() {
  static const Analyzer analyzer = [] {
    auto a = Analyzer::open_directory(std::string(SUPPORTNLP_SOURCE_DIR) + "/data");
    if (!a) FAIL(a.error().message);
    return std::move(a.value());
  }();
  return analyzer;
}
} // namespace

TEST_CASE("tickets in languages the routing model does not cover are not guessed",
          "[pipeline][language]") {
  const char* tickets[] = {
      "Здравствуйте, мой заказ до сих пор не пришёл. Где он?",
      "مرحبا، لم يصل طلبي بعد، متى سيصل؟",
      "Hallo, mijn bestelling is nog steeds niet aangekomen. Waar blijft mijn pakket?",
      "Buongiorno, il mio ordine non è ancora arrivato, potete dirmi dove si trova?",
      "Dzień dobry, moje zamówienie jeszcze nie dotarło. Kiedy mogę się go spodziewać?",
      "ご注文の商品がまだ届きません。確認していただけますか？",
  };
  for (const char* text : tickets) {
    const auto a = bundle().analyze(text);
    INFO(text << " -> " << (a.language ? a.language->code : "?"));
    REQUIRE(a.language.has_value());
    CHECK(!a.language->undetermined);
    REQUIRE(a.intent.has_value());
    CHECK(a.intent->out_of_scope);
    CHECK(a.intent->reason == OutOfScopeReason::unsupported_language);
    CHECK(a.intent->queue == "out_of_scope");
    CHECK(a.intent->label.empty());
    CHECK(a.intent_evidence.empty());
  }
}

TEST_CASE("tickets in the covered languages are routed", "[pipeline][language]") {
  const std::pair<const char*, const char*> tickets[] = {
      {"Hi, I was charged twice for my subscription this month", "en"},
      {"Hola, me cobraron dos veces la suscripción este mes", "es"},
      {"Hallo, mein Abo wurde diesen Monat zweimal abgebucht", "de"},
      {"Bonjour, mon abonnement a été débité deux fois ce mois-ci", "fr"},
      {"Olá, minha assinatura foi cobrada duas vezes este mês", "pt"},
  };
  for (const auto& [text, code] : tickets) {
    const auto a = bundle().analyze(text);
    INFO(text);
    REQUIRE(a.language.has_value());
    CHECK(a.language->code == code);
    REQUIRE(a.intent.has_value());
    CHECK(a.intent->reason != OutOfScopeReason::unsupported_language);
    CHECK(!a.sentiment_unsupported_language);
  }
}

TEST_CASE("empty text and keyboard mashing get no confident intent", "[pipeline][language]") {
  for (const char* text : {"", "   ", "\n\t", "!!!???", "... --- ..."}) {
    const auto a = bundle().analyze(text);
    INFO("'" << text << "'");
    REQUIRE(a.intent.has_value());
    CHECK(a.intent->out_of_scope);
    CHECK(a.intent->reason == OutOfScopeReason::empty_text);
  }
  for (const char* text : {"asdfghjkl", "qwertyuiop zxcvbnm", "jjjjjjjjjjjj", "lkjh lkjh lkjh",
                           "xzqv bnmp wrtk", "sdfsdf sdfsdf"}) {
    const auto a = bundle().analyze(text);
    INFO(text << " -> " << a.intent->label << " " << a.intent->confidence);
    REQUIRE(a.intent.has_value());
    // Either answered out of scope, or at least not confidently.
    CHECK((a.intent->out_of_scope || a.intent->confidence < 0.5f));
  }
}
