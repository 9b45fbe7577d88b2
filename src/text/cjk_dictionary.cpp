// ICU 72's CJK dictionary segmentation (CjkBreakEngine) over our own buffers.
// The steps, and their order, follow ICU's dictbe.cpp so that every tie is
// broken the same way:
//   1. The run is NFKC-normalized if it is not already (by fragments that
//      start at normalization boundaries; every position of a fragment's
//      output maps back to the fragment's start in the original).
//   2. bestSnlp[i] = cost of the cheapest split of the first i code points.
//      From each reachable i, every dictionary word starting there (walked
//      code point by code point with UCharsTrie::first/next, at most 20
//      UTF-16 units) is a candidate with its dictionary value; if there is
//      no one-character word, the character alone costs 255; and at the
//      start of a run of Katakana (after a non-Katakana character), the whole
//      run (if shorter than 20) is a candidate with a length-dependent cost.
//      Only a strictly cheaper cost replaces an earlier one.
//   3. The split is read back from the end; boundaries are mapped to the
//      original offsets, dropping repeats (a normalization expansion split
//      inside) and the run's start; the run's end is always a boundary.
#include "text/cjk_dictionary.hpp"

#include "text/utf8_internal.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucharstrie.h>
#include <unicode/udata.h>
#include <unicode/unistr.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>

namespace supportnlp::text::detail::cjk {

namespace {

// ICU's dictionary data header (dictionarydata.h): int32 indexes after the
// generic data header.
constexpr int kIxStringTrieOffset = 0;
constexpr int kIxTotalSize = 3;
constexpr int kIxTrieType = 4;
constexpr int kIxCount = 8;
constexpr std::int32_t kTrieTypeMask = 7;
constexpr std::int32_t kTrieTypeUChars = 1;
constexpr std::int32_t kTrieHasValues = 8;

// CjkBreakEngine's constants.
constexpr int kMaxWordSize = 20;            // UTF-16 units per dictionary word
constexpr std::uint32_t kUnknownCost = 255; // maxSnlp
constexpr int kMaxKatakanaLength = 8;
constexpr int kMaxKatakanaGroupLength = 20;
constexpr std::uint32_t kNoPath = 0xFFFFFFFFu;

std::uint32_t katakana_cost(int length) {
  static constexpr std::uint32_t kCost[kMaxKatakanaLength + 1] = {8192, 984, 408, 240, 204,
                                                                  252,  300, 372, 480};
  return length > kMaxKatakanaLength ? 8192 : kCost[length];
}

bool is_katakana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FE && c != 0x30FB) || (c >= 0xFF66 && c <= 0xFF9F);
}

UBool U_CALLCONV is_dictionary_data(void*, const char*, const char*, const UDataInfo* info) {
  return info->size >= 20 && info->isBigEndian == U_IS_BIG_ENDIAN &&
         info->charsetFamily == U_CHARSET_FAMILY && info->dataFormat[0] == 0x44 &&
         info->dataFormat[1] == 0x69 && info->dataFormat[2] == 0x63 &&
         info->dataFormat[3] == 0x74 && info->formatVersion[0] == 1; // "Dict" 1.x
}

struct Dictionary {
  UDataMemory* file = nullptr;
  const char16_t* trie = nullptr;
  const icu::Normalizer2* nfkc = nullptr;
  Dictionary() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return;
    // The file ICU's break engine factory opens for Han, Hiragana and
    // Katakana (brkitr/root: dictionaries{Hani, Hira, Kana} = cjdict.dict).
    file = udata_openChoice(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "dict", "cjdict",
                            is_dictionary_data, nullptr, &status);
    if (U_FAILURE(status)) {
      file = nullptr;
      return;
    }
    const auto* data = static_cast<const std::uint8_t*>(udata_getMemory(file));
    std::int32_t ix[kIxCount];
    std::memcpy(ix, data, sizeof ix);
    if ((ix[kIxTrieType] & kTrieTypeMask) != kTrieTypeUChars ||
        (ix[kIxTrieType] & kTrieHasValues) == 0 || ix[kIxStringTrieOffset] < int(sizeof ix) ||
        ix[kIxStringTrieOffset] >= ix[kIxTotalSize] || ix[kIxStringTrieOffset] % 2 != 0) {
      udata_close(file);
      file = nullptr;
      return;
    }
    trie = reinterpret_cast<const char16_t*>(data + ix[kIxStringTrieOffset]);
  }
  ~Dictionary() {
    if (file != nullptr) udata_close(file);
  }
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  std::uint8_t flags_of(UChar32 c) const noexcept {
    if (c >= 0xD800 && c <= 0xDFFF) return 0;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    const bool cjk_script =
        script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
    const int wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
    // CjkBreakEngine's set: [[:Han:][:Hiragana:][:Katakana:]\u30fc\uff70\uff9e\uff9f].
    const bool engine_set = cjk_script || c == 0x30FC || c == 0xFF70 || c == 0xFF9E || c == 0xFF9F;
    // The word rules' $KanaKanji: [$Han $Hiragana $Katakana(Word_Break)].
    const bool kana_kanji =
        script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || wb == U_WB_KATAKANA;
    if (!engine_set || (!kana_kanji && c != 0xFF9E && c != 0xFF9F)) return 0;
    const bool voiced_mark = c == 0xFF9E || c == 0xFF9F;
    if (!voiced_mark && wb != U_WB_OTHER && wb != U_WB_ALETTER && wb != U_WB_KATAKANA) return 0;
    std::uint8_t f = cjk_script ? kStart : kInner;
    // A string of characters that are NFKC_Quick_Check=Yes and starters
    // is NFKC-normalized (UAX #15 quick check: no Maybe, no reordering),
    // so such a run skips ICU's isNormalized() with the same answer.
    if (u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES &&
        u_getCombiningClass(c) == 0)
      f |= kNormalized;
    return f;
  }
};

const Dictionary& dictionary() {
  static const Dictionary d;
  return d;
}

// The trie after first(c), for each BMP code point c, filled on first use
// (like flags): saves the binary search of the trie's widest node (tens of
// thousands of first characters) at every position. first_result holds the
// UStringTrieResult + 1 (0: not known yet) and is stored after the state,
// with release order, so a reader that sees it also sees the state.
std::atomic<std::uint64_t> g_first_state[0x10000];
std::atomic<std::uint8_t> g_first_result[0x10000];

inline UStringTrieResult first_step(icu::UCharsTrie& trie, char32_t c) {
  if (c >= 0x10000) return trie.first(std::int32_t(c));
  const std::uint8_t known = g_first_result[c].load(std::memory_order_acquire);
  if (known != 0) {
    const UStringTrieResult r = UStringTrieResult(known - 1);
    if (r != USTRINGTRIE_NO_MATCH)
      trie.resetToState64(g_first_state[c].load(std::memory_order_relaxed));
    return r;
  }
  const UStringTrieResult r = trie.first(std::int32_t(c));
  if (r != USTRINGTRIE_NO_MATCH) // (no state to keep after a mismatch)
    g_first_state[c].store(trie.getState64(), std::memory_order_relaxed);
  g_first_result[c].store(std::uint8_t(r + 1), std::memory_order_release);
  return r;
}

// Per-thread buffers, so that a warm call allocates nothing.
struct Scratch {
  std::vector<char32_t> cps;       // the (normalized) run, one entry per code point
  std::vector<std::uint32_t> map;  // cps index -> offset in the caller's text (+ end)
  std::vector<std::uint32_t> best; // bestSnlp
  std::vector<std::int32_t> prev;
  std::vector<std::int32_t> path; // boundaries, from the end backwards
  std::vector<std::uint32_t> u16map;
  icu::UnicodeString original, normalized, fragment, normalized_fragment;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Step 1 when the run is not NFKC-normalized: what ICU does with its
// UnicodeString and index maps, here ending in code points (ICU maps code
// point indexes through the first code unit of each).
void normalize_run(const Dictionary& d, Scratch& s, std::string_view valid, std::size_t begin,
                   std::size_t end) {
  icu::UnicodeString& in = s.original;
  in.remove();
  s.u16map.clear();
  for (std::size_t pos = begin; pos < end;) {
    const std::uint32_t at = std::uint32_t(pos);
    in.append(UChar32(decode_valid_utf8(valid.data(), pos)));
    while (s.u16map.size() < std::size_t(in.length()))
      s.u16map.push_back(at);
  }
  s.u16map.push_back(std::uint32_t(end));
  UErrorCode status = U_ZERO_ERROR;
  if (d.nfkc->isNormalized(in, status) || U_FAILURE(status)) return; // cps/map stand
  icu::UnicodeString& out = s.normalized;
  out.remove();
  std::vector<std::uint32_t> nmap;
  for (std::int32_t src = 0; src < in.length();) {
    s.fragment.remove();
    const std::int32_t fragment_start = src;
    UChar32 c = in.char32At(src);
    for (;;) {
      s.fragment.append(c);
      src = in.moveIndex32(src, 1);
      if (src == in.length()) break;
      c = in.char32At(src);
      if (d.nfkc->hasBoundaryBefore(c)) break;
    }
    status = U_ZERO_ERROR;
    d.nfkc->normalize(s.fragment, s.normalized_fragment, status);
    out.append(s.normalized_fragment);
    while (nmap.size() < std::size_t(out.length()))
      nmap.push_back(s.u16map[std::size_t(fragment_start)]);
  }
  nmap.push_back(std::uint32_t(end));
  s.cps.clear();
  s.map.clear();
  for (std::int32_t cu = 0; cu < out.length(); cu = out.moveIndex32(cu, 1)) {
    s.cps.push_back(char32_t(out.char32At(cu)));
    s.map.push_back(nmap[std::size_t(cu)]);
  }
  s.map.push_back(std::uint32_t(end));
}

} // namespace

std::atomic<std::uint8_t> g_flags[kTableLimit];

std::uint8_t compute_flags(char32_t cp) noexcept {
  return std::uint8_t(dictionary().flags_of(UChar32(cp)) | kKnown);
}

bool available() noexcept {
  return dictionary().trie != nullptr;
}

void run_boundaries(std::string_view valid, std::size_t begin, std::size_t end,
                    std::vector<std::uint32_t>& out) {
  const Dictionary& d = dictionary();
  Scratch& s = scratch();
  s.cps.clear();
  s.map.clear();
  bool normalized = true;
  for (std::size_t pos = begin; pos < end;) {
    s.map.push_back(std::uint32_t(pos));
    const char32_t cp = decode_valid_utf8(valid.data(), pos);
    s.cps.push_back(cp);
    normalized = normalized && (flags(cp) & kNormalized) != 0;
  }
  s.map.push_back(std::uint32_t(end));
  if (!normalized) normalize_run(d, s, valid, begin, end);

  const std::int32_t n = std::int32_t(s.cps.size());
  const char32_t* cps = s.cps.data();
  std::vector<std::uint32_t>& best = s.best;
  std::vector<std::int32_t>& prev = s.prev;
  best.assign(std::size_t(n) + 1, kNoPath);
  best[0] = 0;
  prev.assign(std::size_t(n) + 1, -1);
  std::int32_t lengths[kMaxWordSize + 1];
  std::uint32_t values[kMaxWordSize + 1];
  bool prev_katakana = false;
  // One trie object for the whole run: first() and resetToState64() set all
  // of its state, so it is the same as ICU's fresh one per position.
  icu::UCharsTrie trie(d.trie);
  for (std::int32_t i = 0; i < n; ++i) {
    if (best[std::size_t(i)] == kNoPath) continue;
    // UCharsDictionaryMatcher::matches: code points fed one by one (ICU
    // passes supplementary ones to first()/next() as they are, which never
    // match a trie of UTF-16 units), stopping at 20 UTF-16 units.
    int count = 0;
    int units = 0;
    for (std::int32_t m = i; m < n; ++m) {
      const char32_t c = cps[m];
      const UStringTrieResult r = m > i ? trie.next(std::int32_t(c)) : first_step(trie, c);
      units += c > 0xFFFF ? 2 : 1;
      if (USTRINGTRIE_HAS_VALUE(r)) {
        if (count < n) {
          values[count] = std::uint32_t(trie.getValue());
          lengths[count] = m - i + 1;
          ++count;
        }
        if (r == USTRINGTRIE_FINAL_VALUE) break;
      } else if (r == USTRINGTRIE_NO_MATCH) {
        break;
      }
      if (units >= kMaxWordSize) break;
    }
    if (count == 0 || lengths[0] != 1) {
      values[count] = kUnknownCost;
      lengths[count] = 1;
      ++count;
    }
    const std::uint32_t here = best[std::size_t(i)];
    for (int j = 0; j < count; ++j) {
      const std::uint32_t cost = here + values[j];
      const std::size_t to = std::size_t(i + lengths[j]);
      if (cost < best[to]) {
        best[to] = cost;
        prev[to] = i;
      }
    }
    const bool katakana = is_katakana(cps[i]);
    if (!prev_katakana && katakana) {
      std::int32_t run = 1;
      for (std::int32_t j = i + 1; j < n && run < kMaxKatakanaGroupLength && is_katakana(cps[j]);
           ++j)
        ++run;
      if (run < kMaxKatakanaGroupLength) {
        const std::uint32_t cost = here + katakana_cost(run);
        const std::size_t to = std::size_t(i + run);
        if (cost < best[to]) {
          best[to] = cost;
          prev[to] = i;
        }
      }
    }
    prev_katakana = katakana;
  }

  std::vector<std::int32_t>& path = s.path;
  path.clear();
  if (best[std::size_t(n)] == kNoPath) {
    path.push_back(n);
  } else {
    for (std::int32_t i = n; i > 0; i = prev[std::size_t(i)])
      path.push_back(i);
  }
  path.push_back(0); // the run's start (never reported, but it de-duplicates)
  std::int64_t last = -1;
  const std::size_t first_new = out.size();
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const std::uint32_t pos = s.map[std::size_t(*it)];
    if (std::int64_t(pos) > last && pos != begin) out.push_back(pos);
    last = std::max<std::int64_t>(last, pos);
  }
  // The run's end is the rule segment's boundary, reported whether or not
  // the dictionary put one there.
  if (out.size() > first_new && out.back() == end) out.pop_back();
  out.push_back(std::uint32_t(end));
}

} // namespace supportnlp::text::detail::cjk
