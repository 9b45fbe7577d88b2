// ICU BreakIterator over UTF-8 (UText), one iterator per thread: ICU break
// iterators are not thread-safe, so each thread clones the shared prototype
// once and reuses it.
#include "text/segmenter.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <memory>

namespace supportnlp::text::detail {

namespace {

struct ThreadIterators {
  std::unique_ptr<icu::BreakIterator> word;
  std::unique_ptr<icu::BreakIterator> sentence;
  UText text = UTEXT_INITIALIZER;
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

void run(icu::BreakIterator* bi, UText& ut, std::string_view valid, std::uint32_t base,
         std::vector<std::uint32_t>& out) {
  if (valid.empty()) return;
  UErrorCode status = U_ZERO_ERROR;
  if (bi != nullptr) {
    utext_openUTF8(&ut, valid.data(), std::int64_t(valid.size()), &status);
    if (U_SUCCESS(status)) bi->setText(&ut, status);
  }
  if (bi == nullptr || U_FAILURE(status)) {
    // ICU unavailable (should not happen): the whole text is one segment.
    out.push_back(base + std::uint32_t(valid.size()));
    return;
  }
  bi->first();
  for (std::int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next())
    out.push_back(base + std::uint32_t(p));
  // The iterator keeps pointing at the caller's buffer until the next call
  // resets it; it is never read in between.
}

} // namespace

void icu_word_boundaries(std::string_view valid, std::uint32_t base,
                         std::vector<std::uint32_t>& out) {
  auto& its = thread_iterators();
  run(its.word.get(), its.text, valid, base, out);
}

void icu_sentence_boundaries(std::string_view valid, std::vector<std::uint32_t>& out) {
  auto& its = thread_iterators();
  run(its.sentence.get(), its.text, valid, 0, out);
}

} // namespace supportnlp::text::detail
