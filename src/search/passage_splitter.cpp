// Passage splitting: paragraphs, then sentences packed up to a byte limit.
#include "supportnlp/search/knowledge_base.hpp"

#include <algorithm>

namespace supportnlp::search {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Trims whitespace from both ends of [b, e).
void trim(std::string_view s, std::uint32_t& b, std::uint32_t& e) {
  while (b < e && is_space(s[b]))
    ++b;
  while (e > b && is_space(s[e - 1]))
    --e;
}

// Cuts a too-long range into pieces of at most max bytes, preferring the
// last space before the limit, else a UTF-8 character boundary.
void cut_long(std::string_view s, std::uint32_t b, std::uint32_t e, std::uint32_t max,
              std::vector<PassageSpan>& out) {
  while (b < e) {
    trim(s, b, e);
    if (b >= e) return;
    if (e - b <= max) {
      out.push_back({b, e});
      return;
    }
    std::uint32_t cut = b + max;
    std::uint32_t space = cut;
    while (space > b + max / 2 && !is_space(s[space]))
      --space;
    if (is_space(s[space])) {
      cut = space;
    } else {
      // Do not split a UTF-8 sequence: back up over continuation bytes.
      while (cut > b + 1 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    }
    std::uint32_t pe = cut;
    std::uint32_t pb = b;
    trim(s, pb, pe);
    if (pb < pe) out.push_back({pb, pe});
    b = cut;
  }
}

void split_paragraph(std::string_view body, std::uint32_t pb, std::uint32_t pe, std::uint32_t max,
                     std::vector<PassageSpan>& out) {
  trim(body, pb, pe);
  if (pb >= pe) return;
  if (pe - pb <= max) {
    out.push_back({pb, pe});
    return;
  }
  const std::vector<text::Span> sentences = text::split_sentences(body.substr(pb, pe - pb));
  std::uint32_t cur_b = 0, cur_e = 0;
  bool open = false;
  auto flush = [&] {
    if (open) out.push_back({cur_b, cur_e});
    open = false;
  };
  for (const text::Span& sp : sentences) {
    std::uint32_t sb = pb + sp.begin, se = pb + sp.end;
    trim(body, sb, se);
    if (sb >= se) continue;
    if (se - sb > max) {
      flush();
      cut_long(body, sb, se, max, out);
      continue;
    }
    if (open && se - cur_b <= max) {
      cur_e = se;
    } else {
      flush();
      cur_b = sb;
      cur_e = se;
      open = true;
    }
  }
  flush();
}

} // namespace

std::vector<PassageSpan> split_passages(std::string_view body, int max_bytes) {
  std::vector<PassageSpan> out;
  const std::uint32_t max = static_cast<std::uint32_t>(std::max(16, max_bytes));
  if (body.size() > 0xFFFFFFF0u) body = body.substr(0, 0xFFFFFFF0u);
  const auto n = static_cast<std::uint32_t>(body.size());
  std::uint32_t start = 0;
  std::uint32_t i = 0;
  while (i < n) {
    // A paragraph break: a newline, optional blanks, another newline.
    if (body[i] == '\n') {
      std::uint32_t j = i + 1;
      while (j < n && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r'))
        ++j;
      if (j < n && body[j] == '\n') {
        split_paragraph(body, start, i, max, out);
        while (j < n && is_space(body[j]))
          ++j;
        start = i = j;
        continue;
      }
    }
    ++i;
  }
  split_paragraph(body, start, n, max, out);
  return out;
}

} // namespace supportnlp::search
