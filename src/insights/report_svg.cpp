// Inline SVG charts of the report, drawn without any chart library: the two
// chart kinds a manager reads at a glance (bars for a mix, columns for a
// count over time) are a few dozen lines each, and owning them keeps the page
// free of scripts and network.
#include "report_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace supportnlp::insights::report_detail {

namespace {

constexpr double kWidth = 760;
constexpr double kFont = 13;

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

// A "nice" axis step (1, 2 or 5 times a power of ten) giving about `ticks`
// intervals up to `max`.
double nice_step(double max, int ticks) {
  if (!(max > 0)) return 1;
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return std::max(1.0, m * mag);
  return std::max(1.0, 10 * mag);
}

std::string number_text(double v) {
  char buf[32];
  if (std::fabs(v - std::round(v)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

} // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

double text_width(std::string_view text, double font_px) {
  double w = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // CJK and emoji are about one em wide; Latin letters about 0.6 em
    // (wide enough for capitals and digits in common sans-serif faces).
    w += font_px * (len >= 3 ? 1.05 : 0.62);
    i += len;
  }
  return w;
}

std::string horizontal_bars(const std::vector<Bar>& bars, const std::string& title) {
  const double row = 26;
  double label_w = 40, value_w = 40, max_v = 0;
  for (const auto& b : bars) {
    label_w = std::max(label_w, text_width(b.label, kFont));
    value_w = std::max(value_w, text_width(b.value_text, kFont));
    max_v = std::max(max_v, b.value);
  }
  label_w += 14;
  value_w += 14;
  // Long labels widen the chart rather than being cut.
  const double width = std::max(kWidth, label_w + value_w + 240);
  const double bar_w = width - label_w - value_w;
  const double height = row * double(bars.size()) + 8;
  std::string s = "<svg role=\"img\" viewBox=\"0 0 " + fmt(width) + " " + fmt(height) +
                  "\" width=\"" + fmt(width) + "\" height=\"" + fmt(height) +
                  "\" class=\"chart\"><title>" + escape(title) + "</title>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = 4 + row * double(i);
    const double len = max_v > 0 ? std::max(1.0, bar_w * b.value / max_v) : 1.0;
    s += "<text x=\"" + fmt(label_w - 8) + "\" y=\"" + fmt(y + 17) +
         "\" text-anchor=\"end\" class=\"label\">" + escape(b.label) + "</text>";
    s += "<rect x=\"" + fmt(label_w) + "\" y=\"" + fmt(y + 3) + "\" width=\"" + fmt(len) +
         "\" height=\"19\" rx=\"2\" fill=\"" + escape(b.color) + "\"/>";
    s += "<text x=\"" + fmt(label_w + len + 6) + "\" y=\"" + fmt(y + 17) + "\" class=\"value\">" +
         escape(b.value_text) + "</text>";
  }
  return s + "</svg>";
}

std::string column_chart(const std::vector<std::string>& x_labels,
                         const std::vector<Series>& series, const std::string& y_unit, bool percent,
                         bool value_labels, const std::string& title) {
  const std::size_t n = x_labels.size();
  std::vector<double> totals(n, 0.0);
  for (const auto& se : series)
    for (std::size_t i = 0; i < n && i < se.values.size(); ++i)
      totals[i] += se.values[i];
  double max_v = percent ? 100 : 0;
  if (!percent)
    for (double t : totals)
      max_v = std::max(max_v, t);
  const double step = percent ? 25 : nice_step(max_v, 5);
  const double top_v = percent ? 100 : std::max(step, std::ceil(max_v / step) * step);

  double left = 20 + text_width(number_text(top_v) + (percent ? "%" : ""), 12);
  left = std::max(left, 44.0);
  const double top = 26, bottom = 44, right = 12, height = 280;
  const double plot_w = kWidth - left - right, plot_h = height - top - bottom;
  std::string s = "<svg role=\"img\" viewBox=\"0 0 " + fmt(kWidth) + " " + fmt(height) +
                  "\" width=\"" + fmt(kWidth) + "\" height=\"" + fmt(height) +
                  "\" class=\"chart\"><title>" + escape(title) + "</title>";
  // Axis unit, above the axis.
  s += "<text x=\"4\" y=\"14\" class=\"axis\">" + escape(y_unit) + "</text>";
  for (double v = 0; v <= top_v + 1e-9; v += step) {
    const double y = top + plot_h - plot_h * v / top_v;
    s += "<line x1=\"" + fmt(left) + "\" x2=\"" + fmt(left + plot_w) + "\" y1=\"" + fmt(y) +
         "\" y2=\"" + fmt(y) + "\" class=\"grid\"/>";
    s += "<text x=\"" + fmt(left - 6) + "\" y=\"" + fmt(y + 4) +
         "\" text-anchor=\"end\" class=\"axis\">" + number_text(v) + (percent ? "%" : "") +
         "</text>";
  }
  if (n == 0) return s + "</svg>";
  const double slot = plot_w / double(n);
  const double col_w = std::max(2.0, slot * 0.72);
  // Show every k-th x label so the labels never overlap.
  double widest = 0;
  for (const auto& l : x_labels)
    widest = std::max(widest, text_width(l, 12));
  const std::size_t every = std::max<std::size_t>(1, std::size_t(std::ceil((widest + 8) / slot)));
  for (std::size_t i = 0; i < n; ++i) {
    const double x = left + slot * double(i) + (slot - col_w) / 2;
    double base = 0;
    for (const auto& se : series) {
      const double v = i < se.values.size() ? se.values[i] : 0;
      if (v <= 0) continue;
      const double h = plot_h * v / top_v;
      const double y = top + plot_h - plot_h * base / top_v - h;
      s += "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(col_w) +
           "\" height=\"" + fmt(h) + "\" fill=\"" + escape(se.color) + "\"><title>" +
           escape(x_labels[i] + ": " + se.name + " " + number_text(v) + (percent ? "%" : "")) +
           "</title></rect>";
      base += v;
    }
    if (value_labels && slot >= text_width(number_text(totals[i]), 11) + 2) {
      const double y = top + plot_h - plot_h * totals[i] / top_v - 5;
      s += "<text x=\"" + fmt(x + col_w / 2) + "\" y=\"" + fmt(y) +
           "\" text-anchor=\"middle\" class=\"small\">" + number_text(totals[i]) + "</text>";
    }
    if (i % every == 0) {
      // Keep the first and last labels inside the chart.
      const double cx = std::min(std::max(x + col_w / 2, left + text_width(x_labels[i], 12) / 2),
                                 kWidth - right - text_width(x_labels[i], 12) / 2);
      s += "<text x=\"" + fmt(cx) + "\" y=\"" + fmt(top + plot_h + 18) +
           "\" text-anchor=\"middle\" class=\"axis\">" + escape(x_labels[i]) + "</text>";
    }
  }
  s += "<line x1=\"" + fmt(left) + "\" x2=\"" + fmt(left + plot_w) + "\" y1=\"" +
       fmt(top + plot_h) + "\" y2=\"" + fmt(top + plot_h) + "\" class=\"baseline\"/>";
  return s + "</svg>";
}

} // namespace supportnlp::insights::report_detail
