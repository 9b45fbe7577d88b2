#pragma once
/// \file
/// Personal data in support text: emails, phone numbers, payment card
/// numbers, IBANs and IP addresses, found by explicit rules with checksums
/// (Luhn for cards, ISO 13616 mod-97 for IBANs), and a redacted copy of the
/// text with each span replaced by a tag such as "[EMAIL]".
///
/// \code
///   supportnlp::rules::PiiDetector pii;
///   auto r = pii.redact("Card 4111 1111 1111 1111, mail bob@x.com");
///   // r.text == "Card [CARD], mail [EMAIL]"
///   for (const auto& s : r.spans)
///     std::cout << to_string(s.kind) << " at " << s.begin << ".." << s.end << '\n';
/// \endcode
///
/// The rules work on the caller's bytes, so offsets are byte offsets into the
/// original text. Only ASCII forms are recognised (full-width digits and
/// internationalised email addresses are not). Invalid UTF-8 never stops a
/// scan: its bytes are simply not part of any span.
///
/// Thread safety: a PiiDetector is immutable after construction; detect() and
/// redact() may be called from any number of threads at once. Neither
/// throws (apart from std::bad_alloc) nor fails on any input. Time is linear in
/// the text length.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::rules {

/// What kind of personal data a span holds. Values are stable.
enum class PiiKind : std::uint8_t {
  email = 0, ///< local@domain.tld
  phone = 1, ///< international (+44 ..., 0044 ...) or national numbers
  card = 2,  ///< payment card number, 13-19 digits, Luhn-valid
  iban = 3,  ///< IBAN with the country's length and a valid mod-97 check
  ipv4 = 4,  ///< dotted-quad IPv4 address
  ipv6 = 5,  ///< IPv6 address (RFC 4291 text forms, incl. "::" and IPv4 tail)
};

/// Name of a kind, e.g. "email".
const char* to_string(PiiKind kind) noexcept;

/// The tag that replaces a span of `kind` in redacted text: "[EMAIL]",
/// "[PHONE]", "[CARD]", "[IBAN]", "[IP]" (both IP versions).
const char* redaction_tag(PiiKind kind) noexcept;

/// One piece of personal data: the half-open byte range [begin, end) of the
/// caller's original text.
struct PiiSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  PiiKind kind = PiiKind::email;
};

/// A span of the original text together with where its tag sits in the
/// redacted text.
struct RedactedSpan {
  std::uint32_t begin = 0;          ///< byte offset in the original text
  std::uint32_t end = 0;            ///< byte offset in the original text (exclusive)
  std::uint32_t redacted_begin = 0; ///< byte offset of the tag in RedactedText::text
  std::uint32_t redacted_end = 0;   ///< end of the tag in RedactedText::text (exclusive)
  PiiKind kind = PiiKind::email;
};

/// The text with every detected span replaced by its redaction_tag(). All
/// other bytes are copied unchanged (invalid UTF-8 included, so nothing of the
/// caller's text is lost; use text::repair_utf8 first if you need valid UTF-8).
struct RedactedText {
  std::string text;
  std::vector<RedactedSpan> spans; ///< in order of position, non-overlapping
};

/// Which kinds to look for and how. Defaults: everything on.
struct PiiOptions {
  bool emails = true;       ///< look for email addresses
  bool phones = true;       ///< look for phone numbers
  bool cards = true;        ///< look for Luhn-valid payment card numbers
  bool ibans = true;        ///< look for checksum-valid IBANs
  bool ip_addresses = true; ///< look for IPv4 and IPv6 addresses
  /// Accept a bare digit run (no "+", no national formatting) of 7-15 digits
  /// as a phone number when a phone word ("call", "phone", "tel", "mobile",
  /// "cell", "whatsapp", "sms", "fax", "text me", "reach me") appears among
  /// the three words before it and no id word ("order", "invoice",
  /// "ticket", "account", ...) does. Default on.
  bool phone_context = true;
};

/// Detects personal data by rule. See the file comment for an example.
class PiiDetector {
public:
  /// A detector with the given options (all kinds by default).
  explicit PiiDetector(PiiOptions options = {});

  /// The options this detector was built with.
  const PiiOptions& options() const noexcept { return options_; }

  /// Spans of personal data in `text`, sorted by position and
  /// non-overlapping. Where rules overlap, the more specific kind wins
  /// (email > IPv6 > IPv4 > IBAN > card > phone). Texts over 4 GiB are
  /// scanned up to 4 GiB (offsets are 32-bit).
  std::vector<PiiSpan> detect(std::string_view text) const;

  /// As detect(), writing into `out` (cleared first; its buffer is reused).
  void detect(std::string_view text, std::vector<PiiSpan>& out) const;

  /// The redacted copy of `text` and the spans replaced in it.
  RedactedText redact(std::string_view text) const;
  /// Same, writing into `out` (its buffers are reused).
  void redact(std::string_view text, RedactedText& out) const;

private:
  PiiOptions options_;
};

/// Applies already-detected `spans` (sorted, non-overlapping, within `text`)
/// to `text`: the building block of PiiDetector::redact, for callers that
/// filter spans first (e.g. keep emails visible).
RedactedText redact_spans(std::string_view text, const std::vector<PiiSpan>& spans);
/// Same, writing into `out` (cleared first; its buffers are reused).
void redact_spans(std::string_view text, const std::vector<PiiSpan>& spans, RedactedText& out);

/// True if the decimal digits of `digits` pass the Luhn check (used by card
/// numbers). Characters other than '0'-'9' are ignored; fewer than two digits
/// never pass.
bool luhn_valid(std::string_view digits) noexcept;

/// True if `iban` (spaces allowed, letters in either case) has a known
/// country code, that country's length, and ISO 7064 mod-97 remainder 1.
bool iban_valid(std::string_view iban) noexcept;

} // namespace supportnlp::rules
