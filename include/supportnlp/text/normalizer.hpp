#pragma once
/// \file
/// Unicode normalization (ICU) with a map back to the caller's original bytes.
///
/// \code
///   supportnlp::text::Normalizer norm(supportnlp::text::NormalizationForm::nfkc_casefold);
///   auto n = norm.normalize("Ｒｅｆｕｎｄ ÉTÉ");   // n.text == "refund été"
///   std::size_t orig = n.offsets[0];               // byte 0 of the original
/// \endcode
///
/// Thread safety: a Normalizer is immutable; normalize() may be called from
/// any number of threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::text {

/// Normalization applied to text before features are computed.
enum class NormalizationForm : std::uint8_t {
  none = 0,          ///< only UTF-8 repair
  nfkc = 1,          ///< compatibility composition (full-width -> ASCII, ligatures)
  nfkc_casefold = 2, ///< NFKC plus case folding and removal of default-ignorables
};

/// Normalized text and, for each of its bytes, the byte offset in the
/// original text of the character it came from. `offsets` has
/// text.size() + 1 entries; the last is the original length, so a normalized
/// range [b, e) maps to the original range [offsets[b], offsets[e]).
struct NormalizedText {
  std::string text;
  std::vector<std::uint32_t> offsets;
  bool repaired_utf8 = false; ///< the input had invalid UTF-8 (now U+FFFD)
};

/// Normalizes text with ICU. Never fails: invalid UTF-8 is repaired first.
class Normalizer {
public:
  explicit Normalizer(NormalizationForm form = NormalizationForm::nfkc_casefold);

  NormalizationForm form() const noexcept { return form_; }

  /// Normalized copy of `text` with the offset map.
  NormalizedText normalize(std::string_view text) const;

  /// Appends the normalized form of `text` to `out` without an offset map
  /// (the fast path used for single tokens; ASCII is handled without ICU).
  void append_normalized(std::string_view text, std::string& out) const;

private:
  NormalizationForm form_;
};

} // namespace supportnlp::text
