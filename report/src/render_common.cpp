#include "render_common.hpp"

#include "migsleuth/classifiers/deployment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace migsleuth::report {

report_counts count(const report_data& r) {
  report_counts c;
  c.inputs = r.inputs.size();
  for (const auto& in : r.inputs) {
    c.skipped_lines += in.skipped_lines;
    c.warnings += in.warnings.size();
  }
  c.incidents = r.incidents.size();
  for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
    if (r.incidents[i].result == outcome::failed) ++c.failed;
    if (r.incidents[i].result != outcome::succeeded) {
      ++c.by_class[std::string(to_string(r.verdicts[i].cls))];
    }
  }
  return c;
}

std::string when(timestamp t) { return t.known() ? format_rfc3339(t) : "?"; }

std::string short_time(timestamp t) {
  if (!t.known()) return "?";
  // "2024-06-18T13:05:01.321000Z" -> "2024-06-18 13:05:01.321"
  std::string s = format_rfc3339(t);
  if (s.size() >= 23) {
    s[10] = ' ';
    s.resize(23);
  }
  return s;
}

std::string duration_text(timestamp from, timestamp to) {
  if (!from.known() || !to.known()) return {};
  const std::int64_t us = std::llabs(to.micros - from.micros);
  const std::string sign = to.micros < from.micros ? "-" : "";
  if (us < 1'000'000) return fmt::format("{}{} ms", sign, us / 1000);
  const std::int64_t secs = us / 1'000'000;
  if (secs < 60) return fmt::format("{}{} s", sign, secs);
  if (secs < 3600) return fmt::format("{}{} min {} s", sign, secs / 60, secs % 60);
  return fmt::format("{}{} h {} min", sign, secs / 3600, secs % 3600 / 60);
}

std::string input_path(std::span<const input> inputs, source_ref where) {
  return where.input < inputs.size() ? inputs[where.input].path.str() : std::string("?");
}

namespace {

// nova-conductor and nova-scheduler log through these loggers (the conductor
// reports refused pre-checks through nova.scheduler.utils); only a controller
// runs them.
bool controller_logger(const event& ev) noexcept {
  return ev.logger.starts_with("nova.conductor") || ev.logger.starts_with("nova.scheduler");
}

}  // namespace

bool is_openstack_record(event_kind k) noexcept {
  return k == event_kind::server_record || k == event_kind::migration_record ||
         k == event_kind::port_record || k == event_kind::hypervisor_record;
}

lane lane_of(const incident& inc, const event& ev) {
  if (is_openstack_record(ev.kind)) return lane::controller;
  if (ev.host.empty()) return lane::unknown;
  if (ev.host == inc.source) return lane::source;
  if (ev.host == inc.destination) return lane::destination;
  if (controller_logger(ev)) return lane::controller;
  // Its other lines (nova.network.neutron in nova-conductor.log) are the
  // controller's too: the host is one by what it logged. Few events belong
  // to neither end, so this scan stays cheap.
  const bool host_is_controller =
      std::any_of(inc.events.begin(), inc.events.end(), [&](const event& other) {
        return other.host == ev.host && controller_logger(other);
      });
  return host_is_controller ? lane::controller : lane::other;
}

std::string_view lane_name(lane l) noexcept {
  switch (l) {
    case lane::source: return "source";
    case lane::destination: return "destination";
    case lane::controller: return "controller";
    case lane::other: return "other";
    case lane::unknown: break;
  }
  return "unknown";
}

std::string_view lane_phrase(lane l) noexcept {
  switch (l) {
    case lane::source: return "the source";
    case lane::destination: return "the destination";
    case lane::controller: return "the controller";
    case lane::other: return "another host";
    case lane::unknown: break;
  }
  return "a host not identified";
}

std::string_view host_not_identified(lane l) noexcept {
  switch (l) {
    case lane::source: return "(source host not identified)";
    case lane::destination: return "(destination host not identified)";
    case lane::controller:
    case lane::other:
    case lane::unknown: break;
  }
  return "(host not identified)";
}

const event* failure_point(const incident& inc) {
  for (const auto& ev : inc.events) {
    if (traits(ev.kind).failure) return &ev;
  }
  return nullptr;
}

namespace {

// Start of the UTF-8 character holding byte i (walks back over continuation bytes).
std::size_t char_start(std::string_view s, std::size_t i) {
  while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// "... [req-<uuid> <user> <project> - default default] ..." ->
// "... [req-<uuid> ...] ...", where the parser found the user identity: the
// request id is kept, it joins the hosts.
std::string fold_user_identity(std::string_view line, text_span identity) {
  if (identity.empty() || identity.at + std::size_t{identity.size} > line.size()) {
    return std::string(line);
  }
  return std::string(line.substr(0, identity.at)) + "..." +
         std::string(line.substr(identity.at + std::size_t{identity.size}));
}

// oslo DEBUG lines end in " <function> /path/to/file.py:<line>": where in
// nova the line was logged, not what happened. Dropped first when too long.
std::string drop_debug_suffix(std::string_view line) {
  const std::size_t last = line.rfind(' ');
  if (last == std::string_view::npos || last == 0) return std::string(line);
  const std::string_view where = line.substr(last + 1);
  const std::size_t colon = where.rfind(".py:");
  if (where.empty() || where.front() != '/' || colon == std::string_view::npos) {
    return std::string(line);
  }
  const std::size_t func = line.rfind(' ', last - 1);
  if (func == std::string_view::npos) return std::string(line);
  const std::string_view name = line.substr(func + 1, last - func - 1);
  const bool identifier = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
  return identifier ? std::string(line.substr(0, func)) : std::string(line);
}

}  // namespace

std::string elide_line(std::string_view line, std::size_t max_bytes, text_span user_identity) {
  if (line.size() <= max_bytes) return std::string(line);
  std::string s = drop_debug_suffix(fold_user_identity(line, user_identity));
  if (s.size() <= max_bytes) return s;
  constexpr std::string_view kGap = " ... ";
  // A third for the head (time, level, logger), two thirds for the tail: in
  // a log line the message, which says what happened, is at the end.
  const std::size_t budget = max_bytes > kGap.size() ? max_bytes - kGap.size() : 0;
  const std::size_t head_end = char_start(s, budget / 3);
  const std::size_t tail_start = char_start(s, s.size() - (budget - budget / 3));
  return s.substr(0, head_end) + std::string(kGap) + s.substr(tail_start);
}

std::string cited_key(const cited_field& f) {
  const std::size_t step = f.key_path.rfind("].");
  return step == std::string::npos ? f.key_path : f.key_path.substr(step + 2);
}

std::string cited_text(const cited_field& f) {
  if (f.empty()) return {};
  std::string out = cited_key(f);
  if (!f.value.empty()) out += ": " + f.value;
  if (!f.record.empty()) out += " of " + f.record;
  return f.key_path == cited_key(f) ? out : out + " (key path " + f.key_path + ")";
}

std::string where_label(run_where w, const incident& inc) {
  switch (w) {
    case run_where::source:
      return inc.source.empty() ? "the source host" : "the source (" + inc.source + ")";
    case run_where::destination:
      return inc.destination.empty() ? "the destination host"
                                     : "the destination (" + inc.destination + ")";
    case run_where::both:
      return "both compute hosts";
    case run_where::controller:
      return "a controller (openstack CLI)";
  }
  return "?";
}

std::vector<command_group> group_commands(const verdict& v) {
  std::vector<command_group> out;
  for (const run_where w :
       {run_where::source, run_where::destination, run_where::both, run_where::controller}) {
    command_group g{w, {}};
    for (const auto& c : v.confirm) {
      if (c.where == w) g.commands.push_back(&c);
    }
    if (!g.commands.empty()) out.push_back(std::move(g));
  }
  return out;
}

std::string deployment_text(std::span<const host_deployment> hosts,
                            std::span<const std::string> names) {
  struct said {
    std::string hosts, what;
  };
  std::vector<said> parts;
  for (const auto& name : names) {
    const host_deployment* d = classifiers::deployment_of(hosts, name);
    if (d == nullptr) continue;
    const std::string what = fmt::format("{} ({})", describe(d->kind), d->why);
    const auto same = std::find_if(parts.begin(), parts.end(), [&](const said& s) {
      return s.what == what;
    });
    if (same == parts.end()) {
      parts.push_back({d->host, what});
    } else if (same->hosts.find(d->host) == std::string::npos) {
      same->hosts += ", " + d->host;
    }
  }
  std::string out;
  for (const auto& s : parts) out += (out.empty() ? "" : "; ") + s.hosts + ": " + s.what;
  return out;
}

std::string verdict_line(const incident& inc, const verdict& v) {
  std::string s(to_string(inc.result));
  if (inc.result == outcome::succeeded) return s;
  s += fmt::format(": {}", to_string(v.cls));
  if (!v.cause.empty()) s += fmt::format(" ({})", v.cause);
  s += fmt::format(", confidence {:.2f}", v.confidence);
  return s;
}

std::string state_text(const incident& inc) {
  if (inc.phase == attempt_phase::unknown) return {};
  std::string s(to_string(inc.phase));
  if (inc.post_copy_at.known()) s += "; switched to post-copy at " + format_rfc3339(inc.post_copy_at);
  if (!inc.guest_host.empty()) s += "; guest on " + inc.guest_host;
  return s;
}

bool is_milestone(event_kind k) noexcept { return traits(k).milestone; }

}  // namespace migsleuth::report
