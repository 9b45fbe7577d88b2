// Unicode normalization through ICU's Normalizer2, working on UTF-8 directly
// (normalizeUTF8) and using icu::Edits to map each output byte back to the
// caller's original bytes.
#include "supportnlp/text/normalizer.hpp"

#include "text/normalizer_internal.hpp"
#include "text/utf8_internal.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>

#include <cstring>

namespace supportnlp::text {

namespace detail {

const icu::Normalizer2* icu_normalizer(NormalizationForm form) noexcept {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  switch (form) {
  case NormalizationForm::nfkc:
    n = icu::Normalizer2::getNFKCInstance(status);
    break;
  case NormalizationForm::nfkc_casefold:
    n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    break;
  case NormalizationForm::none:
    break;
  }
  return U_SUCCESS(status) ? n : nullptr;
}

bool is_ascii(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ULL) return false;
  }
  for (; i < n; ++i)
    if (s[i] & 0x80) return false;
  return true;
}

void append_ascii_normalized(std::string_view ascii, NormalizationForm form, std::string& out) {
  if (form != NormalizationForm::nfkc_casefold) {
    out.append(ascii);
    return;
  }
  // NFKC_Casefold leaves ASCII unchanged except for folding A-Z.
  const std::size_t at = out.size();
  out.resize(at + ascii.size());
  char* dst = out.data() + at;
  for (std::size_t i = 0; i < ascii.size(); ++i) {
    const char c = ascii[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
  }
}

void append_valid_normalized(std::string_view valid, NormalizationForm form,
                             const icu::Normalizer2* norm, std::string& out) {
  if (form == NormalizationForm::none || norm == nullptr) {
    out.append(valid);
    return;
  }
  const std::size_t before = out.size();
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  norm->normalizeUTF8(0, icu::StringPiece(valid.data(), std::int32_t(valid.size())), sink, nullptr,
                      status);
  if (U_FAILURE(status)) {
    // Inference never fails: keep the text as it is.
    out.resize(before);
    out.append(valid);
  }
}

} // namespace detail

Normalizer::Normalizer(NormalizationForm form) : form_(form) {}

NormalizedText Normalizer::normalize(std::string_view text) const {
  NormalizedText result;
  if (text.size() > 0xFFFFFFFEu) text = text.substr(0, 0xFFFFFFFEu);
  if (detail::is_ascii(text)) {
    detail::append_ascii_normalized(text, form_, result.text);
    result.offsets.resize(text.size() + 1);
    for (std::size_t i = 0; i <= text.size(); ++i)
      result.offsets[i] = std::uint32_t(i);
    return result;
  }
  std::string repaired;
  std::vector<std::uint32_t> repair_map;
  result.repaired_utf8 = detail::repair_utf8_with_offsets(text, repaired, &repair_map);
  const icu::Normalizer2* norm = detail::icu_normalizer(form_);
  if (form_ == NormalizationForm::none || norm == nullptr) {
    result.text = std::move(repaired);
    result.offsets = std::move(repair_map);
    return result;
  }
  icu::Edits edits;
  icu::StringByteSink<std::string> sink(&result.text);
  UErrorCode status = U_ZERO_ERROR;
  norm->normalizeUTF8(0, icu::StringPiece(repaired.data(), std::int32_t(repaired.size())), sink,
                      &edits, status);
  if (U_FAILURE(status)) {
    result.text = std::move(repaired);
    result.offsets = std::move(repair_map);
    return result;
  }
  result.offsets.reserve(result.text.size() + 1);
  auto it = edits.getFineIterator();
  while (it.next(status)) {
    const auto src = std::size_t(it.sourceIndex());
    if (!it.hasChange()) {
      for (std::int32_t k = 0; k < it.oldLength(); ++k)
        result.offsets.push_back(repair_map[src + k]);
    } else {
      // A changed span (e.g. "ﬁ" -> "fi", "É" -> "é") maps as a whole to
      // the start of its source characters.
      for (std::int32_t k = 0; k < it.newLength(); ++k)
        result.offsets.push_back(repair_map[src]);
    }
  }
  result.offsets.push_back(std::uint32_t(text.size()));
  if (result.offsets.size() != result.text.size() + 1) {
    // Defensive: should not happen; keep the invariant offsets.size() == size + 1.
    result.offsets.resize(result.text.size() + 1, std::uint32_t(text.size()));
  }
  return result;
}

void Normalizer::append_normalized(std::string_view text, std::string& out) const {
  if (detail::is_ascii(text)) {
    detail::append_ascii_normalized(text, form_, out);
    return;
  }
  const std::size_t bad = find_invalid_utf8(text);
  if (bad == text.size()) {
    detail::append_valid_normalized(text, form_, detail::icu_normalizer(form_), out);
    return;
  }
  std::string repaired;
  detail::repair_utf8_with_offsets(text, repaired, nullptr);
  detail::append_valid_normalized(repaired, form_, detail::icu_normalizer(form_), out);
}

} // namespace supportnlp::text
