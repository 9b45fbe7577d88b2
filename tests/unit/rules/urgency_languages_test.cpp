// Urgency rules on Spanish, German, French and Portuguese tickets: a
// security incident, a legal threat and a widespread outage reach the level
// their English equivalents reach ("My account was hacked" critical, "I'll
// contact my lawyer" high, "The site is down for everyone" critical), with
// and without accents; negation and "not urgent" work as in English.
#include "urgency_helpers.hpp"

#include <supportnlp/rules/urgency.hpp>

#include <catch2/catch.hpp>

#include <string>

using supportnlp::rules::Urgency;
using supportnlp::rules::UrgencySignal;

using urgency_test::has;
using urgency_test::rules;

namespace {

struct Case {
  const char* text;
  UrgencySignal signal;
  Urgency level; // at neutral sentiment
};

void check_cases(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    const auto a = rules().assess(c.text, 0.0);
    INFO(c.text);
    CHECK(has(a, c.signal));
    CHECK(a.level == c.level);
  }
}

} // namespace

TEST_CASE("urgency: the English reference levels", "[pipeline][urgency]") {
  // What the other languages are measured against.
  check_cases({
      {"My account was hacked", UrgencySignal::security, Urgency::critical},
      {"I'll contact my lawyer", UrgencySignal::legal, Urgency::high},
      {"The site is down for everyone", UrgencySignal::widespread_outage, Urgency::critical},
  });
}

TEST_CASE("urgency: Spanish tickets", "[pipeline][urgency][es]") {
  check_cases({
      {"Me hackearon la cuenta", UrgencySignal::security, Urgency::critical},
      {"Hay cargos no autorizados en mi tarjeta", UrgencySignal::security, Urgency::critical},
      {"Alguien entró en mi cuenta", UrgencySignal::security, Urgency::critical},
      {"Voy a hablar con mi abogado", UrgencySignal::legal, Urgency::high},
      {"Pondré una denuncia en la OCU", UrgencySignal::legal, Urgency::high},
      {"La web está caída, nadie puede trabajar", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"La web esta caida, nadie puede trabajar", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"Caída total del servicio", UrgencySignal::widespread_outage, Urgency::critical},
      {"El servidor está caído", UrgencySignal::outage, Urgency::high},
      {"Me cobraron dos veces", UrgencySignal::payment_failure, Urgency::high},
      {"Es la tercera vez que escribo", UrgencySignal::repeated_contact, Urgency::high},
      {"Es urgente, lo necesito lo antes posible", UrgencySignal::explicit_urgency, Urgency::high},
      {"¡Urgente! No puedo entrar", UrgencySignal::explicit_urgency, Urgency::high},
      {"Lo necesito para el viernes", UrgencySignal::deadline, Urgency::normal},
  });
  const auto calm = rules().assess("No es urgente, cuando puedas", 0.0);
  CHECK(calm.level == Urgency::low);
  CHECK_FALSE(has(calm, UrgencySignal::explicit_urgency));
  CHECK(rules().assess("No me han hackeado la cuenta", 0.0).level == Urgency::normal);
}

TEST_CASE("urgency: German tickets", "[pipeline][urgency][de]") {
  check_cases({
      {"Mein Konto wurde gehackt", UrgencySignal::security, Urgency::critical},
      {"Unbefugte Abbuchungen auf meiner Karte", UrgencySignal::security, Urgency::critical},
      {"Ich schalte meinen Anwalt ein", UrgencySignal::legal, Urgency::high},
      {"Ich wende mich an die Verbraucherzentrale", UrgencySignal::legal, Urgency::high},
      {"Sie erhalten eine Abmahnung", UrgencySignal::legal, Urgency::high},
      {"Die Seite ist down, niemand kann sich anmelden", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"Totalausfall, alle unsere Kunden sind betroffen", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"Der Server ist nicht erreichbar", UrgencySignal::outage, Urgency::high},
      {"Ich wurde zweimal belastet", UrgencySignal::payment_failure, Urgency::high},
      {"Ich schreibe zum dritten Mal", UrgencySignal::repeated_contact, Urgency::high},
      {"Bitte so schnell wie möglich", UrgencySignal::explicit_urgency, Urgency::high},
      {"Bitte so schnell wie moeglich", UrgencySignal::explicit_urgency, Urgency::high},
      {"Dringend: Zugang gesperrt", UrgencySignal::explicit_urgency, Urgency::high},
  });
  const auto calm = rules().assess("Nicht dringend, keine Eile", 0.0);
  CHECK(calm.level == Urgency::low);
  CHECK(rules().assess("Mein Konto wurde nicht gehackt", 0.0).level == Urgency::normal);
}

TEST_CASE("urgency: French tickets", "[pipeline][urgency][fr]") {
  check_cases({
      {"Mon compte a été piraté", UrgencySignal::security, Urgency::critical},
      {"Mon compte a ete pirate", UrgencySignal::security, Urgency::critical},
      {"Des paiements non autorisés sur ma carte", UrgencySignal::security, Urgency::critical},
      {"Je vais contacter mon avocat", UrgencySignal::legal, Urgency::high},
      {"Je vais porter plainte", UrgencySignal::legal, Urgency::high},
      {"J'ai saisi l'UFC-Que Choisir", UrgencySignal::legal, Urgency::high},
      {"Vous recevrez une mise en demeure", UrgencySignal::legal, Urgency::high},
      {"Panne générale, personne ne peut se connecter", UrgencySignal::widespread_outage,
       Urgency::critical},
      {"Tous nos utilisateurs sont bloqués", UrgencySignal::widespread_outage, Urgency::critical},
      {"Le site est en panne", UrgencySignal::outage, Urgency::high},
      {"J'ai été débité deux fois", UrgencySignal::payment_failure, Urgency::high},
      {"C'est la troisième fois que je vous écris", UrgencySignal::repeated_contact, Urgency::high},
      {"Merci de traiter au plus vite", UrgencySignal::explicit_urgency, Urgency::high},
  });
  const auto calm = rules().assess("Ce n'est pas urgent, quand vous pourrez", 0.0);
  CHECK(calm.level == Urgency::low);
  CHECK(rules().assess("Il n'y a pas de panne", 0.0).level == Urgency::normal);
}

TEST_CASE("urgency: Portuguese tickets", "[pipeline][urgency][pt]") {
  check_cases({
      {"Minha conta foi hackeada", UrgencySignal::security, Urgency::critical},
      {"Meu cartão foi clonado", UrgencySignal::security, Urgency::critical},
      {"Compra não autorizada no meu cartão", UrgencySignal::security, Urgency::critical},
      {"Vou procurar um advogado", UrgencySignal::legal, Urgency::high},
      {"Vou abrir reclamação no Procon", UrgencySignal::legal, Urgency::high},
      {"Vou postar no Reclame Aqui", UrgencySignal::legal, Urgency::high},
      {"O sistema está fora do ar para todos", UrgencySignal::widespread_outage, Urgency::critical},
      {"Ninguém consegue acessar", UrgencySignal::widespread_outage, Urgency::critical},
      {"Ninguem consegue acessar", UrgencySignal::widespread_outage, Urgency::critical},
      {"O site caiu", UrgencySignal::outage, Urgency::high},
      {"Fui cobrado duas vezes", UrgencySignal::payment_failure, Urgency::high},
      {"Já liguei 3 vezes", UrgencySignal::repeated_contact, Urgency::high},
      {"Preciso disso o mais rápido possível", UrgencySignal::explicit_urgency, Urgency::high},
      {"Preciso disso o mais rapido possivel", UrgencySignal::explicit_urgency, Urgency::high},
  });
  const auto calm = rules().assess("Não é urgente, sem pressa", 0.0);
  CHECK(calm.level == Urgency::low);
  CHECK(rules().assess("Minha conta não foi hackeada", 0.0).level == Urgency::normal);
}

TEST_CASE("urgency: the new rules leave English tickets alone", "[pipeline][urgency]") {
  // English text with words that are negators or pattern words elsewhere.
  CHECK(rules().assess("The font is sans serif, no rush", 0.0).level == Urgency::low);
  CHECK(rules().assess("Please add a dark mode", 0.0).level == Urgency::normal);
  CHECK(rules().assess("My account was hacked, ni idea why", 0.0).level == Urgency::critical);
}

TEST_CASE("urgency: the documented limits of the other languages", "[pipeline][urgency]") {
  // docs/urgency.md: words are only ASCII-lower-cased; "¿" is a word byte;
  // Portuguese "no" is the English negator.
  CHECK(rules().assess("MON COMPTE A ETE PIRATE", 0.0).level == Urgency::critical);
  CHECK(rules().assess("MON COMPTE A ÉTÉ PIRATÉ", 0.0).level == Urgency::normal);
  CHECK(rules().assess("¿Urgente?", 0.0).level == Urgency::normal);
  CHECK(rules().assess("Reclamação no Procon", 0.0).level == Urgency::high);
  CHECK(rules().assess("Compra no cartão não autorizada", 0.0).level == Urgency::normal);
}
