// The convergence plot: is the copy winning against the guest's dirtying?
// Top panel: memory remaining over the migration's elapsed time. Bottom panel:
// copy bandwidth and dirty rate. It draws the convergence analyzer's series
// (classifiers::convergence_series_of: nova progress lines with rates over a
// sliding window, job stats from virsh domjobinfo / libvirtd query-migrate
// with bandwidth and dirty rate as captured) and computes none of it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "html_parts.hpp"
#include "migsleuth/classifiers/convergence_series.hpp"

namespace migsleuth::report {
namespace {

constexpr double kWidth = 1000, kLeft = 80, kRight = 980;
constexpr double kPanelTop[2] = {30, 250};
constexpr double kPanelHeight = 170;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = kMiB * 1024.0;

// A "nice" axis step (1, 2, 5 x 10^k) giving at most `max_ticks` ticks.
double nice_step(double span, int max_ticks) {
  const double raw = span / max_ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

struct axis {
  double lo, hi, px_lo, px_hi;  // px_lo is where lo is drawn
  [[nodiscard]] double at(double v) const {
    return hi > lo ? px_lo + (v - lo) / (hi - lo) * (px_hi - px_lo) : px_lo;
  }
};

std::string polyline(const std::vector<std::pair<double, double>>& pts, std::string_view cls) {
  if (pts.empty()) return {};
  std::string d;
  for (const auto& [x, y] : pts) d += fmt::format("{}{},{}", d.empty() ? "" : " ", svg_num(x), svg_num(y));
  return fmt::format("<polyline class=\"{}\" points=\"{}\"/>\n", cls, d);
}

void y_grid(std::string& out, const axis& y, double step, std::string_view unit) {
  for (double v = 0; v <= y.hi + step * 1e-9; v += step) {
    const double py = y.at(v);
    out += fmt::format("<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>", svg_num(kLeft),
                       svg_num(kRight), svg_num(py), svg_num(py));
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}{}</text>\n",
                       svg_num(kLeft - 6), svg_num(py + 4), svg_num(v), unit);
  }
}

}  // namespace

std::string html_convergence(const incident& inc) {
  const classifiers::convergence_series series = classifiers::convergence_series_of(inc);
  const auto& progress = series.progress;
  const auto& jobs = series.jobs;
  const auto& rates = series.rates;
  if (progress.size() + jobs.size() < 2) return {};

  double t_max = 1, mem_max = 0, rate_max = 0;
  for (const auto* set : {&progress, &jobs}) {
    for (const auto& s : *set) {
      t_max = std::max(t_max, s.secs);
      mem_max = std::max({mem_max, s.remaining, s.total});
      rate_max = std::max({rate_max, s.bandwidth, s.dirty});
    }
  }
  for (const auto& r : rates) rate_max = std::max({rate_max, r.copy, r.dirty});
  const double mem_step = nice_step(std::max(mem_max / kGiB, 0.001), 4);
  const double rate_step = nice_step(std::max(rate_max / kMiB, 0.001), 4);
  const axis x{0, t_max, kLeft, kRight};
  const axis y_mem{0, std::ceil(mem_max / kGiB / mem_step) * mem_step, kPanelTop[0] + kPanelHeight,
                   kPanelTop[0]};
  const axis y_rate{0, std::ceil(rate_max / kMiB / rate_step) * rate_step,
                    kPanelTop[1] + kPanelHeight, kPanelTop[1]};

  std::string out = fmt::format(
      "<svg class=\"conv\" viewBox=\"0 0 {} 460\" role=\"img\" aria-label=\"convergence plot\">\n",
      svg_num(kWidth));
  out += fmt::format("<text class=\"ptitle\" x=\"{}\" y=\"18\">Memory remaining (GiB)</text>\n",
                     svg_num(kLeft));
  out += fmt::format("<text class=\"ptitle\" x=\"{}\" y=\"238\">Copy bandwidth vs dirty rate "
                     "(MiB/s)</text>\n",
                     svg_num(kLeft));
  y_grid(out, y_mem, mem_step, "");
  y_grid(out, y_rate, rate_step, "");
  const double t_step = nice_step(t_max, 8);
  for (double t = 0; t <= t_max + t_step * 1e-9; t += t_step) {
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"442\" text-anchor=\"middle\">{} s</text>\n",
                       svg_num(x.at(t)), svg_num(t));
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"458\" text-anchor=\"end\">seconds since "
                     "the migration started</text>\n",
                     svg_num(kRight));

  std::vector<std::pair<double, double>> mem, copy, dirty;
  for (const auto& s : progress) mem.emplace_back(x.at(s.secs), y_mem.at(s.remaining / kGiB));
  for (const auto& r : rates) {
    copy.emplace_back(x.at(r.secs), y_rate.at(r.copy / kMiB));
    dirty.emplace_back(x.at(r.secs), y_rate.at(r.dirty / kMiB));
  }
  out += polyline(mem, "l-mem");
  out += polyline(copy, "l-copy");
  out += polyline(dirty, "l-dirty");
  // Job samples are few and exact: marked one by one, with their numbers.
  for (const auto& s : jobs) {
    const double px = x.at(s.secs);
    out += fmt::format(
        "<g class=\"job\"><title>job sample at {} s: remaining {} GiB, bandwidth {} MiB/s, dirty "
        "{} MiB/s</title><rect class=\"p-mem\" x=\"{}\" y=\"{}\" width=\"8\" height=\"8\"/>"
        "<rect class=\"p-copy\" x=\"{}\" y=\"{}\" width=\"8\" height=\"8\"/>"
        "<rect class=\"p-dirty\" x=\"{}\" y=\"{}\" width=\"8\" height=\"8\"/></g>\n",
        svg_num(s.secs), svg_num(s.remaining / kGiB), svg_num(s.bandwidth / kMiB),
        svg_num(s.dirty / kMiB), svg_num(px - 4), svg_num(y_mem.at(s.remaining / kGiB) - 4),
        svg_num(px - 4), svg_num(y_rate.at(s.bandwidth / kMiB) - 4), svg_num(px - 4),
        svg_num(y_rate.at(s.dirty / kMiB) - 4));
  }
  out += "</svg>\n";
  out += "<p class=\"legend\"><span class=\"sw sw-mem\"></span>memory remaining "
         "<span class=\"sw sw-copy\"></span>copy bandwidth "
         "<span class=\"sw sw-dirty\"></span>dirty rate";
  if (!progress.empty()) {
    out += fmt::format(" &middot; {} progress line(s)", progress.size());
    if (!rates.empty()) out += " (rates over a sliding window)";
  }
  if (!jobs.empty()) out += fmt::format(" &middot; {} job sample(s) (squares)", jobs.size());
  out += "</p>\n";
  return out;
}

}  // namespace migsleuth::report
