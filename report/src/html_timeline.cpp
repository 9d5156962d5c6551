// The swimlane timeline: one lane per role (source, destination, controller,
// then any other host), times on the source's clock (destination events moved
// by the estimated skew), one marker per event coloured by what it means, and
// the failure point drawn across every lane so the reader sees what each host
// was doing at that moment. Tooltips (<title>) carry the line itself.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "html_parts.hpp"
#include "migsleuth/report/escape.hpp"
#include "render_common.hpp"

namespace migsleuth::report {
namespace {

constexpr double kWidth = 1000, kLabelRight = 150, kPlotLeft = 165, kPlotRight = 980;
constexpr double kTop = 34, kLaneHeight = 62, kAxisHeight = 34, kHostLine = 14;
constexpr std::size_t kMaxTooltip = 400;
constexpr std::size_t kHostLineChars = 22;  // fits left of the plot at 12px
// Below this span the attempt never transferred anything (a refused
// pre-check, a conductor that found no host): a clock axis would stretch
// a few milliseconds over the whole width, so the steps are drawn in order.
constexpr std::int64_t kMinClockSpan = 2'000'000;
constexpr double kMinLabelGap = 95;  // px between step labels on an ordinal axis

// Marker class by what the event means for the story; the page's CSS and
// legend use the same names.
std::string_view kind_class(event_kind k) {
  switch (k) {
    case event_kind::migration_started:
    case event_kind::qemu_migration_out:
    case event_kind::dest_pre_migration:
    case event_kind::pre_migration_done:
    case event_kind::qemu_incoming:
    case event_kind::qemu_started:
      return "k-start";
    case event_kind::migration_progress:
    case event_kind::postcopy_started:
    case event_kind::job_stats:
    case event_kind::task_pending:
      return "k-progress";
    case event_kind::migration_failed:
    case event_kind::migration_aborted:
    case event_kind::precheck_failed:
    case event_kind::migration_timeout:
      return "k-fail";
    case event_kind::rollback:
    case event_kind::qemu_shutdown:
      return "k-rollback";
    case event_kind::migration_completed:
    case event_kind::migration_succeeded:
    case event_kind::dest_post_migration:
      return "k-ok";
    case event_kind::server_record:
    case event_kind::migration_record:
    case event_kind::port_record:
    case event_kind::hypervisor_record:
    case event_kind::domain_state:
    case event_kind::instance_listed:
    case event_kind::host_config:
      return "k-record";
    case event_kind::log_line:
    case event_kind::qemu_message:
    case event_kind::other_operation:
      break;
  }
  return "k-log";
}

// Tick step in microseconds: the first that gives at most 8 ticks.
std::int64_t tick_step(std::int64_t span_us) {
  constexpr std::array<std::int64_t, 22> kSteps = {
      1'000,       2'000,       5'000,       10'000,      20'000,        50'000,
      100'000,     200'000,     500'000,     1'000'000,   2'000'000,     5'000'000,
      10'000'000,  15'000'000,  30'000'000,  60'000'000,  120'000'000,   300'000'000,
      600'000'000, 900'000'000, 1'800'000'000, 3'600'000'000};
  for (std::int64_t s : kSteps) {
    if (span_us / s <= 8) return s;
  }
  return (span_us / 8 / 3'600'000'000 + 1) * 3'600'000'000;
}

// "13:05:01" or "13:05:01.321" when the step is below a second.
std::string clock_label(std::int64_t micros, bool millis) {
  timestamp t{micros};
  const std::string s = format_rfc3339(t);  // 2024-06-18T13:05:01.321000Z
  return s.size() >= 23 ? s.substr(11, millis ? 12 : 8) : s;
}

// A host name on lines of at most kHostLineChars, as even as its '.' and
// '-' allow ("overcloud-" / "novacompute-4", not "overcloud-novacompute-" /
// "4"), else cut anywhere (never mid-character): two FQDNs that share a
// long head must both be read whole, which a cut label cannot do.
std::vector<std::string> wrap_host(std::string_view host) {
  std::vector<std::string> lines;
  while (host.size() > kHostLineChars) {
    const std::size_t parts = (host.size() + kHostLineChars - 1) / kHostLineChars;
    const std::size_t target = (host.size() + parts - 1) / parts;
    std::size_t cut = kHostLineChars;
    std::size_t best_gap = SIZE_MAX;
    for (std::size_t i = 1; i <= kHostLineChars; ++i) {
      if (host[i - 1] != '.' && host[i - 1] != '-') continue;
      const std::size_t gap = i > target ? i - target : target - i;
      if (gap < best_gap) {
        best_gap = gap;
        cut = i;
      }
    }
    while (cut > 0 && (static_cast<unsigned char>(host[cut]) & 0xC0) == 0x80) --cut;
    if (cut == 0) break;
    lines.emplace_back(host.substr(0, cut));
    host.remove_prefix(cut);
  }
  lines.emplace_back(host);
  return lines;
}

struct lane_row {
  lane which;
  std::string host;  // for lane::other, one row per host
  std::string title;
};

std::vector<lane_row> lanes_for(const incident& inc) {
  std::vector<lane_row> rows{{lane::source, inc.source, "source"},
                             {lane::destination, inc.destination, "destination"}};
  bool controller = false;
  std::string controller_host;  // the host that logged conductor/scheduler lines, if any
  std::vector<std::string> others;
  bool unknown = false;
  for (const auto& ev : inc.events) {
    const lane l = lane_of(inc, ev);
    if (l == lane::controller) {
      controller = true;
      if (controller_host.empty() && !is_openstack_record(ev.kind)) controller_host = ev.host;
    }
    if (l == lane::unknown) unknown = true;
    if (l == lane::other && std::find(others.begin(), others.end(), ev.host) == others.end()) {
      others.push_back(ev.host);
    }
  }
  if (controller) rows.push_back({lane::controller, controller_host, "controller"});
  std::sort(others.begin(), others.end());
  for (const auto& h : others) rows.push_back({lane::other, h, "other host"});
  if (unknown) rows.push_back({lane::unknown, "", "no host"});
  return rows;
}

std::size_t row_of(const std::vector<lane_row>& rows, const incident& inc, const event& ev) {
  const lane l = lane_of(inc, ev);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].which == l && (l != lane::other || rows[i].host == ev.host)) return i;
  }
  return 0;
}

}  // namespace

std::string svg_num(double v) {
  if (std::abs(v) < 0.05) v = 0;  // no "-0.0"
  return fmt::format("{:.1f}", v);
}

namespace {

// Where events go along the plot: on a clock axis (times on the source's
// clock, 3% margins), or, for an attempt shorter than kMinClockSpan, one
// column per step in time order, each labelled with its time.
struct plot_axis {
  bool ordinal = false;
  double t0 = 0, t1 = 1;                     // clock axis
  std::vector<const event*> steps;           // ordinal axis: timed events in order
  [[nodiscard]] double x_time(std::int64_t us) const {
    return kPlotLeft + (static_cast<double>(us) - t0) / (t1 - t0) * (kPlotRight - kPlotLeft);
  }
  [[nodiscard]] double x_step(std::size_t i) const {
    const double n = static_cast<double>(steps.size());
    return kPlotLeft + (static_cast<double>(i) + 0.5) / n * (kPlotRight - kPlotLeft);
  }
  [[nodiscard]] double x(const incident& inc, const event& ev) const {
    if (!ordinal) return x_time(corrected_time(inc, ev).micros);
    const auto it = std::find(steps.begin(), steps.end(), &ev);
    return x_step(static_cast<std::size_t>(it - steps.begin()));
  }
};

plot_axis make_axis(const incident& inc, std::int64_t lo, std::int64_t hi) {
  plot_axis a;
  if (hi - lo < kMinClockSpan) {
    a.ordinal = true;
    for (const auto& ev : inc.events) {
      if (corrected_time(inc, ev).known()) a.steps.push_back(&ev);
    }
    std::stable_sort(a.steps.begin(), a.steps.end(), [&](const event* l, const event* r) {
      return corrected_time(inc, *l).micros < corrected_time(inc, *r).micros;
    });
    return a;
  }
  const double pad = static_cast<double>(hi - lo) * 0.03;
  a.t0 = static_cast<double>(lo) - pad;
  a.t1 = static_cast<double>(hi) + pad;
  return a;
}

// Ticks: whole steps of the clock, or the time of every step far enough
// from the last labelled one.
void write_ticks(std::string& out, const incident& inc, const plot_axis& a, std::int64_t lo,
                 std::int64_t hi, double axis_y) {
  auto tick = [&](double x, const std::string& label) {
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
                       "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       svg_num(x), svg_num(kTop), svg_num(axis_y), svg_num(axis_y + 18), label);
  };
  if (a.ordinal) {
    double last = -1e9;
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
      const double x = a.x_step(i);
      if (x - last < kMinLabelGap) continue;
      last = x;
      tick(x, clock_label(corrected_time(inc, *a.steps[i]).micros, true));
    }
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">steps in "
                       "order, not to scale: the attempt spans {}</text>\n",
                       svg_num(kPlotRight), svg_num(axis_y + 32),
                       hi > lo ? duration_text(timestamp{lo}, timestamp{hi}) : "one instant");
    return;
  }
  const std::int64_t step = tick_step(hi - lo);
  for (std::int64_t t = (lo / step) * step; static_cast<double>(t) <= a.t1; t += step) {
    if (static_cast<double>(t) < a.t0) continue;
    tick(a.x_time(t), clock_label(t, step < 1'000'000));
  }
}

// The tooltip of a marker: three lines (when/where/what, file:line, the
// line itself). Each part is escaped alone and joined by real newlines,
// which a <title> shows as line breaks; escaping the joined text would
// turn them into a visible "\x0a".
std::string tooltip(const incident& inc, const event& ev, std::span<const input> inputs) {
  const timestamp t = corrected_time(inc, ev);
  return html_escape(fmt::format("{} {} {} {}", clock_label(t.micros, true),
                                 lane_name(lane_of(inc, ev)), ev.host, to_string(ev.kind))) +
         "\n" + html_escape(fmt::format("{}:{}", input_path(inputs, ev.where), ev.where.line)) +
         "\n" + html_escape(elide_line(ev.text, kMaxTooltip, ev.user_identity));
}

}  // namespace

std::string html_timeline(const incident& inc, const verdict& v, std::span<const input> inputs) {
  std::int64_t lo = INT64_MAX, hi = INT64_MIN;
  std::size_t untimed = 0;
  for (const auto& ev : inc.events) {
    const timestamp t = corrected_time(inc, ev);
    if (!t.known()) {
      ++untimed;
      continue;
    }
    lo = std::min(lo, t.micros);
    hi = std::max(hi, t.micros);
  }
  if (lo > hi) return {};
  const plot_axis axis = make_axis(inc, lo, hi);

  const std::vector<lane_row> rows = lanes_for(inc);
  // Each lane is as tall as its wrapped host name needs.
  std::vector<std::vector<std::string>> host_lines;
  std::vector<double> lane_top{kTop};
  std::vector<std::size_t> per_lane(rows.size(), 0);
  for (const auto& ev : inc.events) ++per_lane[row_of(rows, inc, ev)];
  for (const auto& row : rows) {
    std::string host = row.host;
    if (host.empty()) host = row.which == lane::controller ? "openstack CLI" : "not identified";
    host_lines.push_back(wrap_host(host));
    const double need = 34 + kHostLine * static_cast<double>(host_lines.back().size());
    lane_top.push_back(lane_top.back() + std::max(kLaneHeight, need));
  }
  const double axis_y = lane_top.back();
  const double height = axis_y + kAxisHeight + (axis.ordinal ? 16 : 0);
  std::string out = fmt::format(
      "<svg class=\"tl\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"timeline of both hosts\">\n",
      svg_num(kWidth), svg_num(height));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = lane_top[i];
    out += fmt::format("<rect class=\"lane{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                       i % 2, svg_num(y), svg_num(kWidth), svg_num(lane_top[i + 1] - y));
    out += fmt::format("<text class=\"lrole\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
                       svg_num(kLabelRight), svg_num(y + 22), rows[i].title);
    std::string spans;
    for (std::size_t k = 0; k < host_lines[i].size(); ++k) {
      spans += fmt::format("<tspan x=\"{}\" y=\"{}\">{}</tspan>", svg_num(kLabelRight),
                           svg_num(y + 40 + kHostLine * static_cast<double>(k)),
                           html_escape(host_lines[i][k]));
    }
    out += fmt::format("<text class=\"lhost\" text-anchor=\"end\">{}</text>\n", spans);
    if (per_lane[i] == 0) {
      out += fmt::format("<text class=\"nolines\" x=\"{}\" y=\"{}\">no line from this host "
                         "about this attempt in the data</text>\n",
                         svg_num(kPlotLeft + 8), svg_num((y + lane_top[i + 1]) / 2 + 4));
    }
  }
  write_ticks(out, inc, axis, lo, hi, axis_y);
  // The failure point first, so markers stay on top of its line.
  const event* fail = failure_point(inc);
  std::string_view label = "failure";
  if (fail == nullptr && inc.result != outcome::succeeded && !v.evidence.empty()) {
    for (const auto& ev : inc.events) {
      if (ev.where == v.evidence.front().where) {
        fail = &ev;
        label = "evidence";
        break;
      }
    }
  }
  if (fail != nullptr && corrected_time(inc, *fail).known()) {
    const std::int64_t ft = corrected_time(inc, *fail).micros;
    const double x = axis.x(inc, *fail);
    const bool right = x > kPlotLeft + 0.6 * (kPlotRight - kPlotLeft);
    out += fmt::format("<line class=\"failline\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
                       "<text class=\"faillabel\" x=\"{3}\" y=\"{4}\" text-anchor=\"{5}\">"
                       "{8}: {6} at {7}</text>\n",
                       svg_num(x), svg_num(kTop - 8), svg_num(axis_y), svg_num(right ? x - 6 : x + 6),
                       svg_num(kTop - 14), right ? "end" : "start", to_string(fail->kind),
                       clock_label(ft, true), label);
  }
  // Progress ticks under the milestones: many, small, and never in the way.
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<int> nth(rows.size(), 0);
    for (const auto& ev : inc.events) {
      const timestamp t = corrected_time(inc, ev);
      if (!t.known()) continue;
      const std::string_view cls = kind_class(ev.kind);
      const bool minor = cls == "k-progress" || cls == "k-log";
      if (minor != (pass == 0)) continue;
      const std::size_t r = row_of(rows, inc, ev);
      const double x = axis.x(inc, ev);
      // Milestones in a lane alternate between three heights so that steps
      // logged in the same second stay apart.
      const double yc = (lane_top[r] + lane_top[r + 1]) / 2 +
                        (minor ? 0.0 : 12.0 * static_cast<double>(nth[r]++ % 3 - 1));
      const std::string tip = tooltip(inc, ev, inputs);
      std::string mark;
      if (minor) {
        mark = fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>", svg_num(x),
                           svg_num(yc - 7), svg_num(yc + 7));
      } else if (cls == "k-fail") {
        mark = fmt::format("<path d=\"M{0} {1}l8 8l-8 8l-8 -8z\"/>", svg_num(x), svg_num(yc - 8));
      } else {
        mark = fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"6\"/>", svg_num(x), svg_num(yc));
      }
      out += fmt::format("<g class=\"ev {}{}\"><title>{}</title>{}</g>\n", cls,
                         &ev == fail ? " failpt" : "", tip, mark);
    }
  }
  out += "</svg>\n";
  out += "<p class=\"legend\">"
         "<span class=\"dot k-start\"></span>start / pre-migration "
         "<span class=\"dot k-progress\"></span>progress "
         "<span class=\"dot k-ok\"></span>completed "
         "<span class=\"dot k-fail\"></span>failure / abort / timeout "
         "<span class=\"dot k-rollback\"></span>rollback / shutdown "
         "<span class=\"dot k-record\"></span>openstack record "
         "<span class=\"dot k-log\"></span>other warning / error";
  if (untimed > 0) out += fmt::format(" &middot; {} event(s) without a time not drawn", untimed);
  out += "</p>\n";
  return out;
}

}  // namespace migsleuth::report
