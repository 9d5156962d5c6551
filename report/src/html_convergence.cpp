// The convergence plot: is the copy winning against the guest's dirtying?
// Top panel: memory remaining over the migration's elapsed time. Bottom panel:
// copy bandwidth and dirty rate. Nova progress lines give remaining/processed
// bytes every few seconds (rates are derived over a sliding window, since one
// interval swings with every copy round); job_stats (virsh domjobinfo,
// libvirtd query-migrate) give bandwidth and dirty rate directly.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include "html_parts.hpp"

namespace migsleuth::report {
namespace {

constexpr double kWidth = 1000, kLeft = 80, kRight = 980;
constexpr double kPanelTop[2] = {30, 250};
constexpr double kPanelHeight = 170;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = kMiB * 1024.0;

double number(const event& ev, std::string_view key) {
  const std::string_view v = ev.value(key);
  double out = 0;
  if (v.empty()) return 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() ? out : 0;
}

struct sample {
  double secs = 0;
  double remaining = 0;  // bytes
  double processed = 0;  // bytes (progress lines)
  double total = 0;
  double bandwidth = 0;  // bytes/s (job stats only)
  double dirty = 0;      // bytes/s (job stats only)
};

struct rate_point {
  double secs, copy, dirty;
};

// Rates from progress lines over a window of `w` intervals; a window that
// spans a counter reset (a new job) is skipped.
std::vector<rate_point> derived_rates(const std::vector<sample>& p) {
  std::vector<rate_point> out;
  if (p.size() < 2) return out;
  const std::size_t w = std::clamp<std::size_t>(p.size() / 20, 1, 10);
  for (std::size_t i = w; i < p.size(); ++i) {
    const sample& a = p[i - w];
    const sample& b = p[i];
    const double dt = b.secs - a.secs;
    const double copied = b.processed - a.processed;
    if (dt <= 0 || copied < 0) continue;
    const double copy = copied / dt;
    const double dirty = std::max(0.0, copy - (a.remaining - b.remaining) / dt);
    out.push_back({b.secs, copy, dirty});
  }
  return out;
}

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
  std::vector<sample> progress, jobs;
  for (const auto& ev : inc.events) {
    if (ev.kind == event_kind::migration_progress && number(ev, "mem_total") > 0) {
      progress.push_back({number(ev, "secs"), number(ev, "mem_remaining"),
                          number(ev, "mem_processed"), number(ev, "mem_total"), 0, 0});
    } else if (ev.kind == event_kind::job_stats && number(ev, "memory_total_bytes") > 0) {
      jobs.push_back({number(ev, "time_elapsed_ms") / 1000.0, number(ev, "memory_remaining_bytes"),
                      0, number(ev, "memory_total_bytes"), number(ev, "memory_bandwidth_bps"),
                      number(ev, "dirty_rate_pps") * number(ev, "page_size_bytes")});
    }
  }
  if (progress.size() + jobs.size() < 2) return {};
  const std::vector<rate_point> rates = derived_rates(progress);

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
