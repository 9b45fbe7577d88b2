#pragma once
// Deterministic synthetic customer-support corpus for benchmarks and
// property tests: ticket and chat text with emails, URLs, order ids, prices,
// versions, emoji, some accented (French, German, Spanish) and CJK text.
// Same seed, same bytes, on every platform (own PRNG, no std distributions).
// Header-only so that tests and benchmarks share it without a library.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace supportnlp::bench {

/// SplitMix64: tiny, portable and deterministic.
class CorpusRng {
public:
  explicit CorpusRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return std::size_t(next() % n); }

private:
  std::uint64_t state_;
};

namespace corpus_detail {

inline const std::vector<const char*>& openers() {
  static const std::vector<const char*> v = {"Hi team,",
                                             "Hello,",
                                             "Good morning!",
                                             "Hey there",
                                             "Dear support,",
                                             "URGENT:",
                                             "Hi,",
                                             "Bonjour,",
                                             "Hallo,",
                                             "Hola,",
                                             "Thanks for the quick reply.",
                                             "Following up again..."};
  return v;
}

inline const std::vector<const char*>& bodies() {
  static const std::vector<const char*> v = {
      "my order {ORDER} hasn't arrived yet and the tracking page {URL} shows no update since "
      "Monday.",
      "I was charged {PRICE} twice for the same subscription, please refund one of the "
      "payments.",
      "The app crashes on startup after updating to {VERSION} on my phone {EMOJI}",
      "I can't log in: the reset email never reaches {EMAIL}, I checked the spam folder too.",
      "Please cancel my account. I've been a customer for {NUM} years but the service got worse.",
      "Ticket {TICKET} was closed without an answer {EMOJI} can someone reopen it?",
      "Your agent @{NAME} was really helpful, thank you so much! {EMOJI}",
      "Where is my refund of {PRICE}? It's been {NUM} days since you confirmed it.",
      "The invoice for order {ORDER} shows {PRICE} but the checkout said {PRICE}.",
      "I followed the steps at {URL} but the error code {NUM} still appears.",
      "Can I change the delivery address? The parcel ({ORDER}) is still in the warehouse.",
      "Le colis n'est jamais arriv\xC3\xA9, je voudrais un remboursement imm\xC3\xA9"
      "diat.",
      "Die Lieferung ist besch\xC3\xA4"
      "digt angekommen, bitte um R\xC3\xBC"
      "ckerstattung.",
      "Mi pedido lleg\xC3\xB3 incompleto y el c\xC3\xB3"
      "digo de descuento no funcion\xC3\xB3.",
      "\xE6\x88\x91\xE7\x9A\x84\xE8\xAE\xA2\xE5\x8D\x95\xE8\xBF\x98\xE6\xB2\xA1\xE6\x9C\x89"
      "\xE5\x88\xB0\xEF\xBC\x8C\xE8\xAF\xB7\xE5\xB8\xAE\xE6\x88\x91\xE6\x9F\xA5\xE4\xB8\x80"
      "\xE4\xB8\x8B\xE3\x80\x82",
      "\xE6\xB3\xA8\xE6\x96\x87\xE3\x81\x97\xE3\x81\x9F\xE5\x95\x86\xE5\x93\x81\xE3\x81\x8C"
      "\xE5\xB1\x8A\xE3\x81\x8D\xE3\x81\xBE\xE3\x81\x9B\xE3\x82\x93\xE3\x80\x82",
      "The discount of {PCT} wasn't applied at checkout #{TAG}",
      "Version {VERSION} fixed the sync issue, but exporting to PDF is {NUM}x slower now.",
      "I tried Chrome and Firefox; both show a blank page on www.example-shop.com/account.",
      "Phone support kept me on hold for {NUM} minutes. Not acceptable!!!",
  };
  return v;
}

inline const std::vector<const char*>& closers() {
  static const std::vector<const char*> v = {
      "Thanks,",      "Regards,",          "Best,",
      "Cheers",       "Merci d'avance.",   "Danke!",
      "Thank you :)", "Please help ASAP.", "Waiting for your answer :(",
      "Kind regards,"};
  return v;
}

inline const std::vector<const char*>& names() {
  static const std::vector<const char*> v = {
      "anna", "bob.smith", "carla_m", "dmitri", "eve", "fran\xC3\xA7ois",
      "gita", "hiro",      "ines",    "jo"};
  return v;
}

inline const std::vector<const char*>& emoji() {
  static const std::vector<const char*> v = {"\xF0\x9F\x98\xA1",
                                             "\xF0\x9F\x99\x8F",
                                             "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
                                             "\xE2\x9D\xA4\xEF\xB8\x8F",
                                             "\xF0\x9F\x98\x80",
                                             "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",
                                             "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB",
                                             "\xF0\x9F\x98\xAD",
                                             ":-)",
                                             "<3"};
  return v;
}

inline void append_number(std::string& out, CorpusRng& rng, std::size_t digits) {
  for (std::size_t k = 0; k < digits; ++k)
    out.push_back(char('0' + rng.below(10)));
}

inline void fill(std::string& out, const char* tmpl, CorpusRng& rng) {
  static const char* const kDomains[] = {"example.com", "shop.example.org", "mail.test",
                                         "support.example.net"};
  static const char* const kPrefixes[] = {"ORD-", "INC", "#A-", "SR-"};
  static const char* const kCurrencies[] = {"$", "\xE2\x82\xAC", "\xC2\xA3", "USD "};
  for (const char* p = tmpl; *p;) {
    if (*p != '{') {
      out.push_back(*p++);
      continue;
    }
    const char* close = p;
    while (*close && *close != '}')
      ++close;
    const std::string slot(p + 1, close);
    p = *close ? close + 1 : close;
    if (slot == "ORDER") {
      out += "ORD-";
      append_number(out, rng, 5);
    } else if (slot == "TICKET") {
      out += kPrefixes[rng.below(4)];
      append_number(out, rng, 5 + rng.below(3));
    } else if (slot == "URL") {
      out += rng.below(2) ? "https://" : "http://";
      out += kDomains[rng.below(4)];
      out += "/orders/";
      append_number(out, rng, 6);
      if (rng.below(2)) out += "?ref=mail&lang=en";
    } else if (slot == "EMAIL") {
      out += names()[rng.below(names().size())];
      out += '@';
      out += kDomains[rng.below(4)];
    } else if (slot == "PRICE") {
      out += kCurrencies[rng.below(4)];
      append_number(out, rng, 1 + rng.below(3));
      if (rng.below(2)) {
        out += '.';
        append_number(out, rng, 2);
      }
    } else if (slot == "PCT") {
      append_number(out, rng, 1 + rng.below(2));
      out += '%';
    } else if (slot == "VERSION") {
      if (rng.below(2)) out += 'v';
      append_number(out, rng, 1);
      out += '.';
      append_number(out, rng, 1);
      out += '.';
      append_number(out, rng, 1 + rng.below(2));
    } else if (slot == "NUM") {
      append_number(out, rng, 1 + rng.below(3));
    } else if (slot == "NAME") {
      out += names()[rng.below(names().size())];
    } else if (slot == "TAG") {
      out += rng.below(2) ? "promo" : "checkout_bug";
    } else if (slot == "EMOJI") {
      out += emoji()[rng.below(emoji().size())];
    }
  }
}

} // namespace corpus_detail

/// One synthetic ticket (typically 60-400 bytes).
inline std::string support_ticket(CorpusRng& rng) {
  using namespace corpus_detail;
  std::string t;
  if (rng.below(3) != 0) {
    t += openers()[rng.below(openers().size())];
    t += ' ';
  }
  const std::size_t sentences = 1 + rng.below(3);
  for (std::size_t s = 0; s < sentences; ++s) {
    if (s) t += ' ';
    fill(t, bodies()[rng.below(bodies().size())], rng);
  }
  if (rng.below(2)) {
    t += rng.below(2) ? "\n" : " ";
    t += closers()[rng.below(closers().size())];
    t += ' ';
    t += names()[rng.below(names().size())];
  }
  return t;
}

/// At least `min_bytes` of tickets separated by blank lines.
inline std::string support_corpus(std::size_t min_bytes, std::uint64_t seed) {
  CorpusRng rng(seed);
  std::string out;
  out.reserve(min_bytes + 512);
  while (out.size() < min_bytes) {
    out += support_ticket(rng);
    out += "\n\n";
  }
  return out;
}

/// `count` short texts (single tickets).
inline std::vector<std::string> support_texts(std::size_t count, std::uint64_t seed) {
  CorpusRng rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(support_ticket(rng));
  return out;
}

} // namespace supportnlp::bench
