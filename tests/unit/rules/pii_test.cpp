// PII rules: what must be found (with exact byte offsets), what must not be
// (order numbers, dates, versions, prices, checksum failures), redaction
// round trips, and adversarial input.
#include <supportnlp/rules/pii.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using supportnlp::rules::PiiDetector;
using supportnlp::rules::PiiKind;
using supportnlp::rules::PiiOptions;
using supportnlp::rules::PiiSpan;

namespace {

struct Found {
  std::string text;
  PiiKind kind;
  bool operator==(const Found& o) const { return text == o.text && kind == o.kind; }
};

std::ostream& operator<<(std::ostream& os, const Found& f) {
  return os << to_string(f.kind) << ":'" << f.text << "'";
}

std::vector<Found> found(const std::string& text, PiiOptions options = {}) {
  PiiDetector detector(options);
  std::vector<Found> out;
  for (const PiiSpan& s : detector.detect(text))
    out.push_back({text.substr(s.begin, s.end - s.begin), s.kind});
  return out;
}

std::vector<Found> one(const std::string& text, PiiKind kind) {
  return {{text, kind}};
}

} // namespace

TEST_CASE("checksums: Luhn and IBAN mod-97", "[pipeline]") {
  using supportnlp::rules::iban_valid;
  using supportnlp::rules::luhn_valid;
  CHECK(luhn_valid("4111111111111111"));
  CHECK(luhn_valid("4111 1111 1111 1111"));
  CHECK(luhn_valid("378282246310005"));
  CHECK(luhn_valid("79927398713"));
  CHECK_FALSE(luhn_valid("4111111111111112"));
  CHECK_FALSE(luhn_valid("79927398710"));
  CHECK_FALSE(luhn_valid("0"));
  CHECK_FALSE(luhn_valid(""));

  CHECK(iban_valid("DE89 3704 0044 0532 0130 00"));
  CHECK(iban_valid("GB82WEST12345698765432"));
  CHECK(iban_valid("gb82 west 1234 5698 7654 32"));
  CHECK(iban_valid("FR1420041010050500013M02606"));
  CHECK(iban_valid("NL91ABNA0417164300"));
  CHECK(iban_valid("NO9386011117947"));
  CHECK_FALSE(iban_valid("DE89 3704 0044 0532 0130 01")); // checksum
  CHECK_FALSE(iban_valid("DE89 3704 0044 0532 0130 0"));  // length
  CHECK_FALSE(iban_valid("ZZ89 3704 0044 0532 0130 00")); // country
  CHECK_FALSE(iban_valid("DE89-3704-0044-0532-0130-00"));
  CHECK_FALSE(iban_valid(""));
}

TEST_CASE("emails", "[pipeline]") {
  CHECK(found("mail bob.smith+tag@example.co.uk please") ==
        one("bob.smith+tag@example.co.uk", PiiKind::email));
  CHECK(found("Reach me at jane_doe@mail-server.com.") ==
        one("jane_doe@mail-server.com", PiiKind::email));
  CHECK(found("<a.b@c.io>, x@y.org") ==
        std::vector<Found>{{"a.b@c.io", PiiKind::email}, {"x@y.org", PiiKind::email}});
  CHECK(found("thanks @support and @bob!").empty());
  CHECK(found("user@localhost or foo@bar").empty());
  CHECK(found("a..b@x.com").empty());
  CHECK(found("bob@x.c").empty());
  CHECK(found("bob@-x.com").empty());
  CHECK(found("@@@ a@ @b.com").empty());
}

TEST_CASE("payment cards need a card layout, an issuer digit and the Luhn check", "[pipeline]") {
  CHECK(found("card 4111 1111 1111 1111 expired") == one("4111 1111 1111 1111", PiiKind::card));
  CHECK(found("4111-1111-1111-1111") == one("4111-1111-1111-1111", PiiKind::card));
  CHECK(found("my card is 5500000000000004.") == one("5500000000000004", PiiKind::card));
  CHECK(found("amex 3782 822463 10005") == one("3782 822463 10005", PiiKind::card));
  CHECK(found("6011111111111117") == one("6011111111111117", PiiKind::card));
  CHECK(found("card 4111 1111 1111 1111 2 times") == one("4111 1111 1111 1111", PiiKind::card));
  // Luhn-invalid, wrong length, ids, amounts.
  CHECK(found("card 4111 1111 1111 1112").empty());
  CHECK(found("4111111111111112").empty());
  CHECK(found("41111111111").empty());
  CHECK(found("41111111111111111111111").empty());
  CHECK(found("order #4111111111111111").empty());
  CHECK(found("ORD-4111111111111111").empty());
  CHECK(found("$4111111111111111").empty());
  CHECK(found("4111111111111111.50").empty());
  CHECK(found("4111 11 1111 111111 1").empty()); // not a card layout
  CHECK(found("1111111111111117").empty());      // Luhn-valid, but no issuer starts with 1
  CHECK(found("4111 1111-1111 1111").empty());   // mixed separators
}

TEST_CASE("IBANs need the country's length and a valid checksum", "[pipeline]") {
  CHECK(found("IBAN: DE89 3704 0044 0532 0130 00, thanks") ==
        one("DE89 3704 0044 0532 0130 00", PiiKind::iban));
  CHECK(found("pay to GB82WEST12345698765432") == one("GB82WEST12345698765432", PiiKind::iban));
  CHECK(found("FR14 2004 1010 0505 0001 3M02 606.") ==
        one("FR14 2004 1010 0505 0001 3M02 606", PiiKind::iban));
  CHECK(found("DE89 3704 0044 0532 0130 01").size() != 1); // bad checksum: no IBAN
  for (const auto& f : found("DE89 3704 0044 0532 0130 01"))
    CHECK(f.kind != PiiKind::iban);
  CHECK(found("GB82WEST1234569876543").empty()); // one character short
  CHECK(found("XDE89370400440532013000").empty());
  CHECK(found("DE893704004405320130001").empty()); // glued to a further digit
}

TEST_CASE("IP addresses", "[pipeline]") {
  CHECK(found("from 192.168.0.1 today") == one("192.168.0.1", PiiKind::ipv4));
  CHECK(found("host 10.0.0.255:8080.") == one("10.0.0.255", PiiKind::ipv4));
  CHECK(found("256.1.1.1 and 1.2.3 and 01.2.3.4").empty());
  CHECK(found("version 1.2.3.4.5").empty());
  CHECK(found("v10.0.0.1").empty());
  CHECK(found("ip 2001:db8::1 blocked") == one("2001:db8::1", PiiKind::ipv6));
  CHECK(found("2001:0db8:85a3:0000:0000:8a2e:0370:7334") ==
        one("2001:0db8:85a3:0000:0000:8a2e:0370:7334", PiiKind::ipv6));
  CHECK(found("[fe80::1ff:fe23:4567:890a]:443") == one("fe80::1ff:fe23:4567:890a", PiiKind::ipv6));
  CHECK(found("mapped ::ffff:192.168.0.1.") == one("::ffff:192.168.0.1", PiiKind::ipv6));
  CHECK(found("at 12:30:45 or 10:30").empty());
  CHECK(found("mac 00:1a:2b:3c:4d:5e").empty());
  CHECK(found("std::vector, dead::beef, ::1").empty());
  CHECK(found("1:2:3:4:5:6:7:8:9").empty());
  CHECK(found("2001:db8::1::2").empty());
}

TEST_CASE("phone numbers by shape", "[pipeline]") {
  CHECK(found("call +44 20 7946 0958 now") == one("+44 20 7946 0958", PiiKind::phone));
  CHECK(found("+1 (415) 555-2671") == one("+1 (415) 555-2671", PiiKind::phone));
  CHECK(found("+49-30-1234567.") == one("+49-30-1234567", PiiKind::phone));
  CHECK(found("+33 1 23 45 67 89") == one("+33 1 23 45 67 89", PiiKind::phone));
  CHECK(found("+442079460958") == one("+442079460958", PiiKind::phone));
  CHECK(found("0044 20 7946 0958") == one("0044 20 7946 0958", PiiKind::phone));
  CHECK(found("(415) 555-2671") == one("(415) 555-2671", PiiKind::phone));
  CHECK(found("415-555-2671") == one("415-555-2671", PiiKind::phone));
  CHECK(found("415.555.2671") == one("415.555.2671", PiiKind::phone));
  CHECK(found("1-800-555-0199") == one("1-800-555-0199", PiiKind::phone));
  CHECK(found("020 7946 0958") == one("020 7946 0958", PiiKind::phone));
  CHECK(found("07700 900123") == one("07700 900123", PiiKind::phone));
  CHECK(found("01 23 45 67 89") == one("01 23 45 67 89", PiiKind::phone));
  CHECK(found("030/1234567") == one("030/1234567", PiiKind::phone));
  CHECK(found("call me on 4155552671") == one("4155552671", PiiKind::phone));
  CHECK(found("my mobile: 07700900123") == one("07700900123", PiiKind::phone));
}

TEST_CASE("phone rules leave ids, dates, prices, versions and times alone", "[pipeline]") {
  for (const char* text : {
           "order 123456789 is late",
           "Order #4155552671",
           "ORD-99812 and INC0012345",
           "invoice 0123456789",
           "order number 4155552671, please call",
           "call about ticket 55512345",
           "on 2024-03-15 and 15/03/2024",
           "since 03.15.2024 10:30",
           "due 12/31/2024",
           "v2.3.1 or 10.4.2",
           "it cost $1,299.00 or 1 299,00 €",
           "£2079460958",
           "+15.00",
           "between 100-200 units, 3 - 4 days",
           "00000000000",
           "0012345678",
           "123-45-6789",
           "415-555-26710",
           "(415) 555-2671x",
           "12345 67890 12345 67890",
       }) {
    INFO(text);
    CHECK(found(text).empty());
  }
}

TEST_CASE("options switch kinds off", "[pipeline]") {
  const std::string text = "bob@x.com 4111111111111111 192.168.0.1 +44 20 7946 0958 "
                           "GB82WEST12345698765432 call me 4155552671";
  CHECK(found(text).size() == 6);
  PiiOptions o;
  o.emails = o.cards = o.ip_addresses = o.ibans = false;
  CHECK(found(text, o) ==
        std::vector<Found>{{"+44 20 7946 0958", PiiKind::phone}, {"4155552671", PiiKind::phone}});
  o.phone_context = false;
  CHECK(found(text, o) == one("+44 20 7946 0958", PiiKind::phone));
  o.phones = false;
  CHECK(found(text, o).empty());
}

TEST_CASE("redaction keeps every other byte and reports both offsets", "[pipeline]") {
  PiiDetector detector;
  const std::string text = "Hi, I'm bob@x.com, card 4111 1111 1111 1111, tel +44 20 7946 0958.";
  const auto r = detector.redact(text);
  CHECK(r.text == "Hi, I'm [EMAIL], card [CARD], tel [PHONE].");
  REQUIRE(r.spans.size() == 3);
  for (const auto& s : r.spans) {
    CHECK(r.text.substr(s.redacted_begin, s.redacted_end - s.redacted_begin) ==
          redaction_tag(s.kind));
  }
  CHECK(detector.redact("nothing here").text == "nothing here");
  CHECK(detector.redact("").text.empty());
}

TEST_CASE("redaction round trip on generated tickets", "[pipeline]") {
  // Random mixtures of PII and look-alikes: undoing the redaction with the
  // reported offsets must give back the original text byte for byte.
  const std::vector<std::string> parts = {"bob@x.com",
                                          "4111 1111 1111 1111",
                                          "DE89 3704 0044 0532 0130 00",
                                          "192.168.1.1",
                                          "2001:db8::7",
                                          "+44 20 7946 0958",
                                          "(415) 555-2671",
                                          "ORD-99812",
                                          "2024-03-15",
                                          "$1,299.00",
                                          "v2.3.1",
                                          "4111 1111 1111 1112",
                                          "call me",
                                          "\xff\xfe",
                                          "caf\xc3\xa9",
                                          "order 123456789",
                                          ",",
                                          ".",
                                          " ",
                                          "\n",
                                          "(",
                                          ")",
                                          "+",
                                          "-",
                                          "@",
                                          ":",
                                          "1"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, parts.size() - 1);
  PiiDetector detector;
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = int(rng() % 12);
    for (int k = 0; k < n; ++k)
      text += parts[pick(rng)] + (rng() % 2 ? " " : "");
    const auto r = detector.redact(text);
    std::string back;
    std::size_t pos = 0;
    std::uint32_t prev_end = 0;
    for (const auto& s : r.spans) {
      REQUIRE(s.begin >= prev_end);
      REQUIRE(s.end > s.begin);
      REQUIRE(s.end <= text.size());
      REQUIRE(r.text.substr(s.redacted_begin, s.redacted_end - s.redacted_begin) ==
              redaction_tag(s.kind));
      back += r.text.substr(pos, s.redacted_begin - pos);
      back += text.substr(s.begin, s.end - s.begin);
      pos = s.redacted_end;
      prev_end = s.end;
    }
    back += r.text.substr(pos);
    INFO(text);
    REQUIRE(back == text);
  }
}

TEST_CASE("generated card numbers and IBANs", "[pipeline]") {
  std::mt19937 rng(11);
  for (int round = 0; round < 200; ++round) {
    // A Visa-like number with its Luhn check digit.
    std::string body = "4";
    for (int k = 0; k < 14; ++k)
      body += char('0' + rng() % 10);
    for (int check = 0; check < 10; ++check) {
      const std::string number = body + char('0' + check);
      const bool valid = supportnlp::rules::luhn_valid(number);
      const auto f = found("pay with " + number + " please");
      INFO(number);
      CHECK((f == one(number, PiiKind::card)) == valid);
    }
    // A German IBAN with computed check digits: 98 - (BBAN "DE00" mod 97).
    std::string bban;
    for (int k = 0; k < 18; ++k)
      bban += char('0' + rng() % 10);
    unsigned rem = 0;
    for (char c : bban + "131400")
      rem = (rem * 10 + unsigned(c - '0')) % 97; // D=13, E=14
    const unsigned check = 98 - rem;
    std::string iban = "DE" + std::to_string(check / 10) + std::to_string(check % 10) + bban;
    CHECK(supportnlp::rules::iban_valid(iban));
    CHECK(found(iban + " ok") == one(iban, PiiKind::iban));
    iban[10] = iban[10] == '9' ? '0' : char(iban[10] + 1); // one changed digit breaks mod-97
    CHECK_FALSE(supportnlp::rules::iban_valid(iban));
  }
}

TEST_CASE("adversarial input: huge digit runs, separators, invalid UTF-8", "[pipeline]") {
  PiiDetector detector;
  const std::string digits(1 << 20, '7');
  CHECK(detector.detect(digits).empty());
  std::string spaced;
  while (spaced.size() < (1u << 20))
    spaced += "1 ";
  CHECK(detector.detect(spaced).empty());
  std::string at_signs;
  while (at_signs.size() < (1u << 20))
    at_signs += "a@";
  CHECK(detector.detect(at_signs).empty());
  CHECK(detector.detect(std::string(1 << 20, ':')).empty());
  CHECK(detector.detect(std::string(1 << 20, '.')).empty());
  std::string hex;
  while (hex.size() < (1u << 20))
    hex += "ab:";
  CHECK(detector.detect(hex).empty());
  std::string many;
  while (many.size() < (1u << 20))
    many += "10.0.0.1 ";
  CHECK(detector.detect(many).size() == (many.size() / 9));

  const std::string bad = "\xff\xfe bob@x.com \xc3 4111111111111111\xe2\x82";
  const auto r = detector.redact(bad);
  CHECK(r.text == "\xff\xfe [EMAIL] \xc3 [CARD]\xe2\x82");
  REQUIRE(r.spans.size() == 2);
  CHECK(r.spans[0].begin == 3);
  CHECK(r.spans[0].end == 12);
  const std::string nul("bob@x.com\0+44 20 7946 0958", 26);
  CHECK(detector.detect(nul).size() == 2);
}
