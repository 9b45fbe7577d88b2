// The lexicon analyzer on Spanish, German, French and Portuguese support
// text: clear complaints and praise, neutral questions, negated praise,
// intensified complaints, spellings without accents, and the words that
// must not change English text.
#include <catch2/catch.hpp>

#include <supportnlp/models/sentiment/sentiment.hpp>

#include <string>

using namespace supportnlp::models;

namespace {

const LexiconSentiment& analyzer() {
  static const LexiconSentiment a;
  return a;
}

float score(const std::string& text) {
  return analyzer().analyze(text).score;
}
SentimentLabel label(const std::string& text) {
  return analyzer().analyze(text).label;
}

// One language's expectations; every sentence is a plausible ticket.
struct LanguageCases {
  const char* negative;
  const char* positive;
  const char* neutral;
  const char* praise;         ///< a positive statement ...
  const char* negated_praise; ///< ... and the same statement negated
  const char* complaint;      ///< a negative statement ...
  const char* intensified;    ///< ... and the same statement intensified
};

void check_language(const LanguageCases& c) {
  INFO(c.negative);
  CHECK(label(c.negative) == SentimentLabel::negative);
  INFO(c.positive);
  CHECK(label(c.positive) == SentimentLabel::positive);
  INFO(c.neutral);
  CHECK(label(c.neutral) == SentimentLabel::neutral);
  CHECK(score(c.neutral) == 0.0f);
  INFO(c.praise << " / " << c.negated_praise);
  CHECK(score(c.praise) > 0);
  CHECK(label(c.negated_praise) == SentimentLabel::negative);
  INFO(c.complaint << " / " << c.intensified);
  CHECK(label(c.complaint) == SentimentLabel::negative);
  CHECK(score(c.intensified) < score(c.complaint));
}

} // namespace

TEST_CASE("the lexicon covers the routing model's languages", "[models][sentiment]") {
  const LexiconSentiment lexicon;
  const auto& codes = lexicon_languages();
  CHECK(lexicon.languages() == codes);
  for (const char* code : {"en", "es", "de", "fr", "pt"}) {
    INFO(code);
    CHECK(lexicon.covers_language(code));
  }
  CHECK(codes.size() == 5);
  CHECK_FALSE(lexicon.covers_language("ja"));
  CHECK_FALSE(lexicon.covers_language(""));
}

TEST_CASE("Spanish tickets", "[models][sentiment][es]") {
  check_language({
      "El servicio es pésimo, estoy harto y muy decepcionado.",
      "Excelente atención, muchas gracias, todo resuelto.",
      "Hola, ¿cómo puedo cambiar la dirección de envío de mi pedido?",
      "Estoy contento con la respuesta.",
      "No estoy contento con la respuesta.",
      "La espera es inaceptable.",
      "La espera es totalmente inaceptable.",
  });
  CHECK(label("Mi pedido no ha llegado") == SentimentLabel::negative);
  CHECK(label("Nunca más compro aquí, es una estafa") == SentimentLabel::negative);
  CHECK(label("Sin problemas, gracias") == SentimentLabel::positive);
}

TEST_CASE("German tickets", "[models][sentiment][de]") {
  check_language({
      "Das ist eine Frechheit, ich bin enttäuscht und der Service ist katastrophal.",
      "Vielen Dank, das Problem ist gelöst, hervorragender Service!",
      "Guten Tag, wie kann ich meine Rechnungsadresse ändern? Mit freundlichen Grüßen",
      "Ich bin zufrieden mit dem Support.",
      "Ich bin nicht zufrieden mit dem Support.",
      "Der Support ist schlecht.",
      "Der Support ist extrem schlecht.",
  });
  // "nicht" after the verb: the common verb + negation pairs are phrases.
  CHECK(label("Die App funktioniert nicht.") == SentimentLabel::negative);
  CHECK(label("Ich wurde zweimal belastet.") == SentimentLabel::negative);
  CHECK(label("Die Lieferung ist beschädigt angekommen.") == SentimentLabel::negative);
}

TEST_CASE("French tickets", "[models][sentiment][fr]") {
  check_language({
      "Service client nul, c'est une arnaque, je suis déçu. Ras-le-bol !",
      "Merci beaucoup, problème résolu, je suis ravi !",
      "Bonjour, comment puis-je modifier mon adresse de livraison ? Bien cordialement",
      "Je suis satisfait de la réponse.",
      "Je ne suis pas satisfait de la réponse.",
      "C'est honteux.",
      "C'est vraiment honteux.",
  });
  // Elided articles are stripped for lookup; a hyphenated phrase is a phrase.
  CHECK(score("C'est de l'arnaque") < 0);
  CHECK(score("J'adore ce service") > 0);
  CHECK(score("ras-le-bol") < 0);
  CHECK(label("Le colis n'est jamais arrivé") == SentimentLabel::negative);
}

TEST_CASE("Portuguese tickets", "[models][sentiment][pt]") {
  check_language({
      "Atendimento péssimo, isso é um golpe, estou decepcionado.",
      "Ótimo atendimento, muito obrigado, problema resolvido!",
      "Olá, como altero o endereço de entrega no meu pedido?",
      "Estou satisfeito com o atendimento.",
      "Não estou satisfeito com o atendimento.",
      "O atendimento é ruim.",
      "O atendimento é muito ruim.",
  });
  // "no" is also "em + o": "no site" is not a negation.
  CHECK(score("Qual é o prazo de entrega no site?") == 0.0f);
  CHECK(label("Meu pedido ainda não chegou") == SentimentLabel::negative);
}

TEST_CASE("spellings without accents or umlauts are matched", "[models][sentiment]") {
  for (const char* text : {"pesimo servicio", "muy decepcionado", "tres decu", "horrivel",
                           "pessimo atendimento", "enttaeuscht", "unverschaemt", "inaceitavel"}) {
    INFO(text);
    CHECK(label(text) == SentimentLabel::negative);
  }
  for (const char* text : {"genial", "otimo", "merci", "obrigado", "gluecklich"}) {
    INFO(text);
    CHECK(label(text) == SentimentLabel::positive);
  }
}

TEST_CASE("words shared with English keep an English-safe valence", "[models][sentiment]") {
  // Left out of the lexicon or neutralised: German "gut", "toll", "total",
  // French "content", "lent", "ravi", Portuguese "bom", Spanish "util",
  // city names made of lexicon words.
  for (const char* text :
       {"I have a gut feeling", "Pay the toll at the exit", "The total was 40 dollars",
        "The content of the page", "I lent him my card", "Ravi from billing called me",
        "The BOM export", "Install util-linux", "Flight to Buenos Aires", "Landing in Boa Vista"}) {
    INFO(text);
    CHECK(score(text) == 0.0f);
  }
  // Words that read the same way in English keep their English sign.
  CHECK(score("fatal error on startup") < 0);
  CHECK(score("I adore this airline") > 0);
  CHECK(score("super helpful") > score("helpful")); // still an intensifier
}
