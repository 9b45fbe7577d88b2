// Stop words of topic keywords, per supported language: articles, pronouns,
// prepositions, conjunctions, auxiliary and modal verb forms, and the
// commonest adverbs and quantifiers. Written for the project from the
// grammar of each language (the closed word classes listed above), in
// case-folded form, with the unaccented spellings customers type ("tambien",
// "nao", "tres") beside the accented ones. Content words that happen to be
// frequent in tickets ("order", "account", "please") are deliberately not
// here: c-TF-IDF already discounts words spread over every topic, and a
// topic about thanking or complaining may well be characterised by them.
#include "supportnlp/search/topics.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace supportnlp::search {

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

} // namespace

const std::vector<std::string>& topic_stop_words(const std::string& language) {
  static const std::vector<std::string> kEn = sorted({
      "a",       "about",   "above",    "after",      "again",   "against", "all",
      "also",    "am",      "an",       "and",        "any",     "are",     "aren't",
      "as",      "at",      "be",       "because",    "been",    "before",  "being",
      "below",   "between", "both",     "but",        "by",      "can",     "can't",
      "cannot",  "could",   "couldn't", "did",        "didn't",  "do",      "does",
      "doesn't", "doing",   "don't",    "down",       "during",  "each",    "even",
      "ever",    "every",   "few",      "for",        "from",    "further", "get",
      "got",     "had",     "hadn't",   "has",        "hasn't",  "have",    "haven't",
      "having",  "he",      "her",      "here",       "hers",    "herself", "him",
      "himself", "his",     "how",      "i",          "i'd",     "i'll",    "i'm",
      "i've",    "if",      "im",       "in",         "into",    "is",      "isn't",
      "it",      "it's",    "its",      "itself",     "ive",     "just",    "let",
      "me",      "might",   "more",     "most",       "must",    "my",      "myself",
      "no",      "nor",     "not",      "now",        "of",      "off",     "on",
      "once",    "only",    "or",       "other",      "our",     "ours",    "ourselves",
      "out",     "over",    "own",      "same",       "shall",   "she",     "should",
      "so",      "some",    "such",     "than",       "that",    "that's",  "the",
      "their",   "theirs",  "them",     "themselves", "then",    "there",   "there's",
      "these",   "they",    "this",     "those",      "through", "to",      "too",
      "under",   "until",   "up",       "us",         "very",    "was",     "wasn't",
      "we",      "we're",   "were",     "weren't",    "what",    "what's",  "when",
      "where",   "which",   "while",    "who",        "whom",    "why",     "will",
      "with",    "won't",   "would",    "wouldn't",   "yet",     "you",     "you're",
      "your",    "yours",   "yourself", "yourselves", "dont",    "cant",    "didnt",
      "doesnt",  "isnt",    "wont",     "u",          "ur",      "its",     "been",
      "being",
  });
  static const std::vector<std::string> kEs = sorted({
      "a",       "al",      "algo",    "algún",    "alguna",  "algunas", "alguno", "algunos",
      "ante",    "antes",   "aquí",    "aqui",     "así",     "asi",     "aunque", "bajo",
      "bien",    "cada",    "como",    "cómo",     "con",     "contra",  "cual",   "cuál",
      "cuando",  "cuándo",  "de",      "del",      "desde",   "donde",   "dónde",  "durante",
      "e",       "el",      "él",      "ella",     "ellas",   "ello",    "ellos",  "en",
      "entre",   "era",     "eran",    "es",       "esa",     "esas",    "ese",    "eso",
      "esos",    "esta",    "está",    "estaba",   "estamos", "están",   "estan",  "estar",
      "estas",   "estás",   "este",    "esto",     "estos",   "estoy",   "fue",    "fueron",
      "ha",      "había",   "habia",   "han",      "has",     "hasta",   "hay",    "he",
      "hemos",   "la",      "las",     "le",       "les",     "lo",      "los",    "más",
      "mas",     "me",      "mi",      "mí",       "mis",     "mucho",   "muy",    "nada",
      "ni",      "no",      "nos",     "nosotros", "nuestra", "nuestro", "o",      "os",
      "otra",    "otro",    "para",    "pero",     "poco",    "por",     "porque", "pues",
      "que",     "qué",     "quien",   "quién",    "se",      "sea",     "ser",    "si",
      "sí",      "sido",    "sin",     "sobre",    "son",     "soy",     "su",     "sus",
      "también", "tambien", "tan",     "te",       "tengo",   "tiene",   "tienen", "todo",
      "todos",   "tu",      "tú",      "tus",      "un",      "una",     "unas",   "uno",
      "unos",    "usted",   "ustedes", "vez",      "y",       "ya",      "yo",     "puedo",
      "puede",   "hacer",
  });
  static const std::vector<std::string> kDe = sorted({
      "aber",    "alle",  "allem", "allen", "aller",  "alles",  "als",    "also",   "am",
      "an",      "auch",  "auf",   "aus",   "bei",    "beim",   "bin",    "bis",    "bist",
      "da",      "dann",  "das",   "dass",  "daß",    "dem",    "den",    "denn",   "der",
      "des",     "dich",  "die",   "dies",  "diese",  "diesem", "diesen", "dieser", "dieses",
      "dir",     "doch",  "du",    "durch", "ein",    "eine",   "einem",  "einen",  "einer",
      "eines",   "er",    "es",    "etwas", "euch",   "euer",   "für",    "fur",    "fuer",
      "gegen",   "hab",   "habe",  "haben", "hat",    "hatte",  "hier",   "ich",    "ihm",
      "ihn",     "ihnen", "ihr",   "ihre",  "ihrem",  "ihren",  "ihrer",  "im",     "in",
      "ist",     "ja",    "jetzt", "kann",  "kein",   "keine",  "keinen", "können", "konnen",
      "koennen", "man",   "mein",  "meine", "meinem", "meinen", "meiner", "mich",   "mir",
      "mit",     "muss",  "nach",  "nicht", "noch",   "nur",    "ob",     "oder",   "ohne",
      "schon",   "sehr",  "sein",  "seine", "sich",   "sie",    "sind",   "so",     "soll",
      "um",      "und",   "uns",   "unser", "unsere", "unter",  "vom",    "von",    "vor",
      "war",     "waren", "was",   "weil",  "wenn",   "wer",    "werde",  "werden", "wie",
      "wieder",  "wir",   "wird",  "wo",    "wurde",  "zu",     "zum",    "zur",    "über",
      "uber",    "ueber",
  });
  static const std::vector<std::string> kFr = sorted({
      "à",        "a",     "ai",    "aie",     "as",   "au",     "aucun", "aussi", "aux",  "avec",
      "avez",     "avoir", "avons", "c'est",   "ça",   "ca",     "ce",    "ceci",  "cela", "ces",
      "cet",      "cette", "comme", "comment", "d'un", "d'une",  "dans",  "de",    "des",  "du",
      "elle",     "elles", "en",    "encore",  "est",  "et",     "été",   "ete",   "être", "etre",
      "eu",       "fait",  "faire", "il",      "ils",  "j'ai",   "je",    "l'on",  "la",   "le",
      "les",      "leur",  "leurs", "lui",     "ma",   "mais",   "me",    "même",  "meme", "mes",
      "moi",      "mon",   "n'ai",  "n'est",   "ne",   "ni",     "nos",   "notre", "nous", "on",
      "ont",      "ou",    "où",    "par",     "pas",  "peu",    "peut",  "peux",  "plus", "pour",
      "pourquoi", "qu'il", "quand", "que",     "quel", "quelle", "qui",   "sa",    "sans", "se",
      "ses",      "si",    "son",   "sont",    "suis", "sur",    "ta",    "te",    "tes",  "toi",
      "ton",      "tous",  "tout",  "très",    "tres", "tu",     "un",    "une",   "vos",  "votre",
      "vous",     "y",

  });
  static const std::vector<std::string> kPt = sorted({
      "a",      "à",    "ao",   "aos",   "aquela", "aquele", "aqui",  "as",     "até",  "ate",
      "com",    "como", "da",   "das",   "de",     "dela",   "dele",  "do",     "dos",  "e",
      "é",      "ela",  "elas", "ele",   "eles",   "em",     "entre", "era",    "essa", "esse",
      "isso",   "esta", "está", "estao", "estão",  "estar",  "este",  "estou",  "eu",   "foi",
      "foram",  "há",   "ha",   "isto",  "já",     "ja",     "lhe",   "mais",   "mas",  "me",
      "mesmo",  "meu",  "meus", "minha", "minhas", "muito",  "na",    "nas",    "não",  "nao",
      "nem",    "no",   "nos",  "nós",   "nossa",  "nosso",  "num",   "numa",   "o",    "os",
      "ou",     "para", "pela", "pelo",  "por",    "porque", "pra",   "quando", "que",  "quem",
      "se",     "sem",  "ser",  "seu",   "seus",   "só",     "so",    "sua",    "suas", "também",
      "tambem", "te",   "tem",  "têm",   "tenho",  "ter",    "teu",   "tua",    "um",   "uma",
      "umas",   "uns",  "você", "voce",  "vocês",  "vou",    "posso", "pode",
  });
  static const std::vector<std::string> kNone;
  if (language == "en") return kEn;
  if (language == "es") return kEs;
  if (language == "de") return kDe;
  if (language == "fr") return kFr;
  if (language == "pt") return kPt;
  return kNone;
}

} // namespace supportnlp::search
