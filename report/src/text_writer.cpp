// The terminal report: counts first, then one block per incident with the
// verdict, the hosts and times, the evidence, the secondary causes, the
// read-only commands grouped by where to run them, and the remediation.
// Every string that came from an input goes through terminal_safe(), so a
// hostile log (or folder name) cannot drive the reader's terminal.
#include <fmt/format.h>

#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/report.hpp"
#include "render_common.hpp"

namespace migsleuth::report {
namespace {

// A wide terminal shows a whole evidence line up to this; longer ones are
// elided in the middle (elide_line) rather than cut.
constexpr std::size_t kMaxShown = 240;

struct palette {
  std::string_view bold, red, green, yellow, dim, reset;
};
constexpr palette kPlain{"", "", "", "", "", ""};
constexpr palette kAnsi{"\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"};

std::string safe(std::string_view s) { return terminal_safe(s); }
std::string or_unknown(std::string_view s) { return s.empty() ? "?" : safe(s); }
std::string host_or(std::string_view host, lane role) {
  return host.empty() ? std::string(host_not_identified(role)) : safe(host);
}

void write_head(std::string& out, const incident& inc, const verdict& v, const palette& p) {
  const bool ok = inc.result == outcome::succeeded;
  const std::string_view tone = ok ? p.green : (inc.result == outcome::failed ? p.red : p.yellow);
  out += fmt::format("{}{}{} {}{}{}", p.bold, safe(inc.id), p.reset, tone, to_string(inc.result),
                     p.reset);
  if (!ok) {
    out += fmt::format("  {}{}{}", p.bold, to_string(v.cls), p.reset);
    if (!v.cause.empty()) out += fmt::format(" ({})", safe(v.cause));
    out += fmt::format("  confidence {:.2f}", v.confidence);
  }
  out += '\n';
  out += fmt::format("  instance   {}{}\n", or_unknown(inc.instance),
                     inc.domain.empty() ? "" : " (" + safe(inc.domain) + ")");
  out += fmt::format("  hosts      {} -> {}\n", host_or(inc.source, lane::source),
                     host_or(inc.destination, lane::destination));
  const std::string took = duration_text(inc.started, inc.ended);
  out += fmt::format("  time       {} .. {}{}\n", when(inc.started), when(inc.ended),
                     took.empty() ? "" : " (" + took + ")");
  if (const std::string state = state_text(inc); !state.empty()) {
    out += fmt::format("  state      {}\n", safe(state));
  }
  if (const event* f = failure_point(inc); f != nullptr && !ok) {
    const lane l = lane_of(inc, *f);
    out += fmt::format("  failed at  {} on {} ({}): {}\n", when(corrected_time(inc, *f)),
                       lane_phrase(l), host_or(f->host, l), to_string(f->kind));
  }
  if (!inc.request_id.empty()) out += fmt::format("  request    {}\n", safe(inc.request_id));
  if (inc.skew.pairs > 0 || inc.skew.applied) {
    out += fmt::format("  clocks     {}\n", safe(inc.skew.basis));
  }
  if (!v.summary.empty()) out += fmt::format("  summary    {}\n", safe(v.summary));
  if (const auto d = decoded_text(v.decoded, v.inferred); !d.empty() && !ok) {
    out += fmt::format("  decoded    {}\n", safe(d));
  }
  for (const auto& n : inc.notes) {
    out += fmt::format("  {}note{}       {}\n", p.yellow, p.reset, safe(n));
  }
  for (const auto& n : v.notes) {
    out += fmt::format("  {}note{}       {}\n", p.yellow, p.reset, safe(n));
  }
}

void write_evidence(std::string& out, const verdict& v, std::span<const input> inputs,
                    const palette& p) {
  if (v.evidence.empty()) return;
  out += "  evidence\n";
  for (const auto& e : v.evidence) {
    out += fmt::format("    {}{} {}:{} {}{}\n", p.dim, host_or(e.host, lane::unknown),
                       safe(input_path(inputs, e.where)), e.where.line, when(e.time), p.reset);
    out += fmt::format("      {}\n", safe(elide_line(e.text, kMaxShown, e.user_identity)));
    if (!e.field.empty()) out += fmt::format("      = {}\n", safe(cited_text(e.field)));
  }
}

// Which deployment the commands below are written for, and why.
void write_written_for(std::string& out, const verdict& v, const std::string& text) {
  if (v.confirm.empty() || text.empty()) return;
  out += fmt::format("  commands written for {}\n", safe(text));
}

void write_actions(std::string& out, const incident& inc, const verdict& v) {
  if (!v.secondary.empty()) {
    out += "  also seen\n";
    for (const auto& f : v.secondary) {
      out += fmt::format("    {} ({}) confidence {:.2f}\n", to_string(f.cls), safe(f.rule),
                         f.confidence);
    }
  }
  const auto groups = group_commands(v);
  if (!groups.empty()) {
    out += "  confirm (read-only)\n";
    for (const auto& g : groups) {
      out += fmt::format("    on {}:\n", safe(where_label(g.where, inc)));
      for (const confirm_command* c : g.commands) {
        out += fmt::format("      $ {}\n        # {}\n", safe(c->command), safe(c->why));
      }
    }
  }
  if (!v.remediation.empty()) {
    out += "  remediation (changes state: verify first)\n";
    for (const auto& r : v.remediation) out += fmt::format("    - {}\n", safe(r));
  }
}

void write_findings(std::string& out, const report_data& r, const palette& p) {
  if (r.findings.empty()) return;
  out += fmt::format("{}findings not tied to a migration attempt{}\n", p.bold, p.reset);
  for (const auto& lf : r.findings) {
    out += fmt::format("{}{}{} {}{}{} ({})  confidence {:.2f}\n", p.bold, safe(lf.id), p.reset,
                       p.yellow, to_string(lf.f.cls), p.reset, safe(lf.f.rule), lf.f.confidence);
    if (!lf.host.empty()) out += fmt::format("  host       {}\n", safe(lf.host));
    if (!lf.instance.empty()) out += fmt::format("  instance   {}\n", safe(lf.instance));
    out += fmt::format("  summary    {}\n", safe(lf.f.summary));
    if (const auto d = decoded_text(lf.f.decoded, lf.f.inferred); !d.empty()) {
      out += fmt::format("  decoded    {}\n", safe(d));
    }
    out += fmt::format("  {}note{}       not tied to an attempt: {}\n", p.yellow, p.reset,
                       safe(lf.why_loose));
    const verdict shown = shown_as_verdict(lf);
    write_evidence(out, shown, r.inputs, p);
    const std::string hosts[] = {lf.host};
    write_written_for(out, shown, deployment_text(r.deployments, hosts));
    write_actions(out, incident{}, shown);
    out += '\n';
  }
}

}  // namespace

std::string write_text(const report_data& r, color_mode color) {
  const palette& p = color == color_mode::always ? kAnsi : kPlain;
  const report_counts c = count(r);
  std::string out;
  out += fmt::format("{}migsleuth {}{}: {} input(s), {} warning(s), {} line(s) not understood\n",
                     p.bold, safe(r.version), p.reset, c.inputs, c.warnings, c.skipped_lines);
  out += fmt::format("{} incident(s), {} failed", c.incidents, c.failed);
  for (const auto& [cls, n] : c.by_class) out += fmt::format(", {} {}", n, cls);
  if (!r.findings.empty()) {
    out += fmt::format("; {} finding(s) not tied to an attempt", r.findings.size());
  }
  out += "\n";
  const auto aliases = host_alias_lines(r);
  for (std::size_t i = 0; i < aliases.size(); ++i) {
    out += fmt::format("{}{}\n", i == 0 ? "hosts  " : "       ", safe(aliases[i]));
  }
  for (const auto& line : nothing_found_lines(r)) out += fmt::format("  {}\n", safe(line));
  out += "\n";
  for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
    write_head(out, r.incidents[i], r.verdicts[i], p);
    write_evidence(out, r.verdicts[i], r.inputs, p);
    const std::string hosts[] = {r.incidents[i].source, r.incidents[i].destination};
    write_written_for(out, r.verdicts[i], deployment_text(r.deployments, hosts));
    write_actions(out, r.incidents[i], r.verdicts[i]);
    out += '\n';
  }
  write_findings(out, r, p);
  for (const auto& in : r.inputs) {
    for (const auto& w : in.warnings) {
      out += fmt::format("{}warning{}: {}: {}\n", p.yellow, p.reset, safe(in.path.str()), safe(w));
    }
  }
  return out;
}

}  // namespace migsleuth::report
