// ICU BreakIterator over a UTF-16 copy of each span (UText), one iterator per
// thread: ICU break iterators are not thread-safe, so each thread creates its
// own once and reuses it.
#include "text/segmenter.hpp"
#include "text/utf8_internal.hpp"

#include "supportnlp/text/utf8.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <memory>
#include <string>
#include <vector>

namespace supportnlp::text::detail {

namespace {

struct ThreadIterators {
  std::unique_ptr<icu::BreakIterator> word;
  std::unique_ptr<icu::BreakIterator> sentence;
  UText text = UTEXT_INITIALIZER;
  // UTF-16 copy of the current span and the UTF-8 offset of each of its
  // code units (plus the end).
  std::u16string utf16;
  std::vector<std::uint32_t> offsets;
  ThreadIterators() {
    UErrorCode status = U_ZERO_ERROR;
    // ICU 72's root word rules tailor ':' out of MidLetter (a CLDR 42
    // change); the "sv" rules are the untailored UAX #29 default, which is
    // what WordBreakTest.txt and our ASCII fast path implement.
    word.reset(icu::BreakIterator::createWordInstance(icu::Locale("sv"), status));
    if (U_FAILURE(status)) word.reset();
    status = U_ZERO_ERROR;
    sentence.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) sentence.reset();
  }
  ~ThreadIterators() { utext_close(&text); }
  ThreadIterators(const ThreadIterators&) = delete;
  ThreadIterators& operator=(const ThreadIterators&) = delete;
};

ThreadIterators& thread_iterators() {
  thread_local ThreadIterators its;
  return its;
}

// The span is handed to ICU as UTF-16: ICU's dictionary engines (CJK,
// Thai...) move around the text with utext_setNativeIndex, which is an index
// into the array for UTF-16 but a search with conversion for UTF-8; the
// copy costs little next to that. Boundaries are mapped back to UTF-8 offsets.
void run(icu::BreakIterator* bi, ThreadIterators& its, std::string_view valid, std::uint32_t base,
         std::vector<std::uint32_t>& out) {
  if (valid.empty()) return;
  std::u16string& u = its.utf16;
  std::vector<std::uint32_t>& offsets = its.offsets;
  u.clear();
  offsets.clear();
  std::size_t pos = 0;
  while (pos < valid.size()) {
    const std::uint32_t at = std::uint32_t(pos);
    const char32_t cp = decode_valid_utf8(valid.data(), pos);
    if (cp < 0x10000) {
      u.push_back(char16_t(cp));
      offsets.push_back(at);
    } else {
      u.push_back(char16_t(0xD7C0 + (cp >> 10)));
      u.push_back(char16_t(0xDC00 | (cp & 0x3FF)));
      offsets.push_back(at);
      offsets.push_back(at);
    }
  }
  offsets.push_back(std::uint32_t(valid.size()));
  UErrorCode status = U_ZERO_ERROR;
  if (bi != nullptr) {
    utext_openUChars(&its.text, u.data(), std::int64_t(u.size()), &status);
    if (U_SUCCESS(status)) bi->setText(&its.text, status);
  }
  if (bi == nullptr || U_FAILURE(status)) {
    // ICU unavailable (should not happen): the whole text is one segment.
    out.push_back(base + std::uint32_t(valid.size()));
    return;
  }
  bi->first();
  for (std::int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next())
    out.push_back(base + offsets[std::size_t(p)]);
  // The iterator keeps pointing at the thread's buffer until the next call
  // resets it; it is never read in between.
}

} // namespace

void icu_word_boundaries(std::string_view valid, std::uint32_t base,
                         std::vector<std::uint32_t>& out) {
  auto& its = thread_iterators();
  run(its.word.get(), its, valid, base, out);
}

void icu_sentence_boundaries(std::string_view valid, std::vector<std::uint32_t>& out) {
  auto& its = thread_iterators();
  run(its.sentence.get(), its, valid, 0, out);
}

} // namespace supportnlp::text::detail
