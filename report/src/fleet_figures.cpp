// The fleet page's two figures: failures by class over time (inline SVG,
// each bar segment a link) and the source x destination matrix (a table, so
// host names stay text a reader can select and search for).
#include <fmt/format.h>

#include <algorithm>

#include "fleet_parts.hpp"
#include "html_parts.hpp"
#include "migsleuth/report/escape.hpp"

namespace migsleuth::report {
namespace {

constexpr double kWidth = 1100, kHeight = 280;
constexpr double kLeft = 44, kRight = 12, kTop = 14, kBottom = 46;
// Past this many hosts a side, the matrix keeps the ones with most failures;
// the rest are in the incident list (the page says how many).
constexpr std::size_t kMaxMatrixHosts = 30;

std::string bucket_label(const fleet_view& v, const std::string& key) {
  switch (v.size) {
    case bucket_size::day:
      return key;
    case bucket_size::week:
      return "week of " + key;
    case bucket_size::month:
      return key;
  }
  return key;
}

std::string host_cell(const std::string& host) {
  return host.empty() ? std::string("<i>not identified</i>") : html_escape(host);
}

}  // namespace

std::string fleet_groups::link(std::string id, std::string label_html, const row_list& rows,
                               std::string_view attrs) {
  std::string out = fmt::format("<a class=\"n\" href=\"#{}\" data-n=\"{}\"{}>{}</a>", id,
                                rows.size(), attrs, rows.size());
  add(std::move(id), std::move(label_html), rows);
  return out;
}

void fleet_groups::add(std::string id, std::string label_html, const row_list& rows) {
  groups_.push_back({std::move(id), std::move(label_html), rows});
}

std::string_view class_abbrev(std::string_view cls) {
  if (cls == "cpu_incompatibility") return "cpu";
  if (cls == "non_convergence") return "conv";
  if (cls == "device_passthrough") return "dev";
  if (cls == "storage") return "stor";
  if (cls == "network") return "net";
  if (cls == "capacity") return "cap";
  if (cls == "unknown") return "unk";
  return "?";
}

std::string data_attr(std::string_view name, std::string_view value) {
  return fmt::format(" data-{}=\"{}\"", name, html_escape(value));
}

std::string fleet_time_chart(const fleet_view& v, fleet_groups& g) {
  if (v.buckets.empty()) return {};
  std::size_t most = 1;
  for (const auto& b : v.buckets) most = std::max(most, b.total);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double slot = plot_w / static_cast<double>(v.buckets.size());
  const double bar = std::max(1.0, slot * 0.8);
  auto y_of = [&](double n) { return kTop + plot_h - plot_h * n / static_cast<double>(most); };
  std::string out = fmt::format(
      "<svg class=\"fleet-time\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"failures by "
      "class over time\">\n",
      svg_num(kWidth), svg_num(kHeight));
  for (const std::size_t n : {std::size_t{0}, most / 2, most}) {
    if (n == most / 2 && (n == 0 || n == most)) continue;
    const double y = y_of(static_cast<double>(n));
    out += fmt::format(
        "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
        "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
        svg_num(kLeft), svg_num(kWidth - kRight), svg_num(y), svg_num(y), svg_num(kLeft - 6),
        svg_num(y + 4), n);
  }
  // About ten labels, whatever the number of bars.
  const std::size_t every = std::max<std::size_t>(1, (v.buckets.size() + 9) / 10);
  for (std::size_t k = 0; k < v.buckets.size(); ++k) {
    const time_bucket& b = v.buckets[k];
    const double x = kLeft + slot * static_cast<double>(k) + (slot - bar) / 2;
    if (k % every == 0) {
      out +=
          fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                      svg_num(x + bar / 2), svg_num(kHeight - kBottom + 16), html_escape(b.key));
    }
    double stacked = 0;
    for (std::size_t c = 0; c < v.classes.size(); ++c) {
      const auto it = b.by_class.find(v.classes[c]);
      if (it == b.by_class.end()) continue;
      const double n = static_cast<double>(it->second.size());
      const double top = y_of(stacked + n), bottom = y_of(stacked);
      stacked += n;
      const std::string id = fmt::format("g-t{}-{}", k, c);
      const std::string label = fmt::format(
          "{}: <code>{}</code>", html_escape(bucket_label(v, b.key)), html_escape(v.classes[c]));
      // In SVG the number is the segment's tooltip and data-n; the link is the segment.
      g.add(id, label, it->second);
      out += fmt::format(
          "<a href=\"#{}\"><rect class=\"seg f-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
          "data-metric=\"time\"{}{} data-n=\"{}\"><title>{}: {} {} failure(s)</title></rect></a>\n",
          id, html_escape(v.classes[c]), svg_num(x), svg_num(top), svg_num(bar),
          svg_num(bottom - top), data_attr("bucket", b.key), data_attr("class", v.classes[c]),
          it->second.size(), html_escape(bucket_label(v, b.key)), it->second.size(),
          html_escape(v.classes[c]));
    }
  }
  out += fmt::format(
      "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">start time of "
      "the attempt, UTC, one bar per {}</text>\n",
      svg_num(kWidth - kRight), svg_num(kHeight - 8),
      v.size == bucket_size::day    ? "day"
      : v.size == bucket_size::week ? "ISO week (Monday)"
                                    : "month");
  out += "</svg>\n";
  return out;
}

std::string fleet_matrix(const fleet_data& d, const fleet_view& v, fleet_groups& g) {
  if (v.pairs.empty()) return {};
  const std::size_t rows = std::min(v.sources.size(), kMaxMatrixHosts);
  const std::size_t cols = std::min(v.destinations.size(), kMaxMatrixHosts);
  std::size_t most = 1;
  for (const auto& [pair, list] : v.pairs) most = std::max(most, list.size());
  std::string out =
      "<div class=\"scroll\"><table class=\"matrix\">\n<tr><th class=\"corner\">"
      "source &darr; / destination &rarr;</th>";
  for (std::size_t c = 0; c < cols; ++c) {
    out += "<th class=\"dst\">" + host_cell(v.destinations[c]) + "</th>";
  }
  out += "</tr>\n";
  std::size_t pair_no = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    out += "<tr><th class=\"src\">" + host_cell(v.sources[r]) + "</th>";
    for (std::size_t c = 0; c < cols; ++c) {
      const auto it = v.pairs.find({v.sources[r], v.destinations[c]});
      if (it == v.pairs.end()) {
        out += "<td class=\"cell\"></td>";
        continue;
      }
      const std::string dom = dominant_class(d, it->second, v.classes);
      // Shade from faint to strong by count; the number stays readable on it.
      const double alpha =
          0.08 + 0.5 * static_cast<double>(it->second.size()) / static_cast<double>(most);
      const std::string attrs = " data-metric=\"pair\"" + data_attr("source", v.sources[r]) +
                                data_attr("destination", v.destinations[c]) +
                                data_attr("dominant", dom);
      const std::string label = host_cell(v.sources[r]) + " &rarr; " + host_cell(v.destinations[c]);
      out += fmt::format(
          "<td class=\"cell\" style=\"background:rgba(220,38,38,{:.2f})\">{}"
          "<span class=\"chip b-{}\" title=\"mostly {}\">{}</span></td>",
          alpha, g.link(fmt::format("g-p{}", pair_no++), label, it->second, attrs),
          html_escape(dom), html_escape(dom), class_abbrev(dom));
    }
    out += "</tr>\n";
  }
  out += "</table></div>\n";
  if (v.sources.size() > rows || v.destinations.size() > cols) {
    out += fmt::format(
        "<p class=\"muted\">The {} source(s) and {} destination(s) with most "
        "failures are shown; {} source(s) and {} destination(s) more are in the "
        "list of failed attempts below.</p>\n",
        rows, cols, v.sources.size() - rows, v.destinations.size() - cols);
  }
  return out;
}

}  // namespace migsleuth::report
