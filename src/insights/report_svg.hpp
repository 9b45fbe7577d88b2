#pragma once
// Private to the report: the inline SVG charts (horizontal bars, and
// columns over time, plain or stacked) and the escaping they share with the
// HTML. Sizes are computed from the labels so nothing is cut off: label
// widths are estimated from code points at the chart's font size with a
// generous per-character width, since the page cannot measure text without
// a script.
#include <string>
#include <string_view>
#include <vector>

namespace supportnlp::insights::report_detail {

/// Text escaped for HTML/SVG content and attribute values.
std::string escape(std::string_view text);

/// Estimated width in pixels of `text` at `font_px` (sans-serif).
double text_width(std::string_view text, double font_px);

/// One bar of a horizontal bar chart.
struct Bar {
  std::string label;      ///< left of the bar
  double value = 0;       ///< bar length (relative to the largest)
  std::string value_text; ///< right of the bar, e.g. "120 tickets (33.5%)"
  std::string color;      ///< CSS colour
};

/// Horizontal bars, one row each, labels left and values right. `title` is
/// the SVG's accessible title.
std::string horizontal_bars(const std::vector<Bar>& bars, const std::string& title);

/// One series of a column chart.
struct Series {
  std::string name;
  std::string color;
  std::vector<double> values; ///< one per x label
};

/// Columns over `x_labels`, the series stacked. `y_unit` names the axis
/// ("tickets", "% of tickets"); `percent` makes the axis 0..100.
/// `value_labels`: totals printed above each column.
std::string column_chart(const std::vector<std::string>& x_labels,
                         const std::vector<Series>& series, const std::string& y_unit, bool percent,
                         bool value_labels, const std::string& title);

} // namespace supportnlp::insights::report_detail
