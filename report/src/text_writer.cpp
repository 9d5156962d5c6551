// The terminal report: counts first, then one block per incident with the
// verdict, the hosts and times, the evidence, and the read-only commands
// grouped by where to run them. Log text is shown with control characters
// neutralised so a hostile log cannot drive the reader's terminal.
#include <fmt/format.h>

#include <map>

#include "migsleuth/report/report.hpp"

namespace migsleuth::report {
namespace {

constexpr std::size_t kMaxShown = 160;

struct palette {
  std::string_view bold, red, green, yellow, dim, reset;
};
constexpr palette kPlain{"", "", "", "", "", ""};
constexpr palette kAnsi{"\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[0m"};

std::string safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

// Long lines are elided in the middle: the head says what, the tail says why.
std::string elide(std::string_view s) {
  std::string t = safe(s);
  if (t.size() <= kMaxShown) return t;
  const std::size_t keep = (kMaxShown - 5) / 2;
  return t.substr(0, keep) + " ... " + t.substr(t.size() - keep);
}

std::string when(timestamp t) { return t.known() ? format_rfc3339(t) : "?"; }

std::string duration(const incident& inc) {
  if (!inc.started.known() || !inc.ended.known()) return {};
  const std::int64_t secs = (inc.ended.micros - inc.started.micros) / 1'000'000;
  return fmt::format(" ({}s)", secs);
}

void write_incident(std::string& out, const incident& inc, const verdict& v,
                    std::span<const input> inputs, const palette& p) {
  const bool ok = inc.result == outcome::succeeded;
  const std::string_view tone = ok ? p.green : (inc.result == outcome::failed ? p.red : p.yellow);
  out += fmt::format("{}{}{} {}{}{}", p.bold, inc.id, p.reset, tone, to_string(inc.result),
                     p.reset);
  if (!ok) {
    out += fmt::format("  {}{}{}", p.bold, to_string(v.cls), p.reset);
    if (!v.cause.empty()) out += fmt::format(" ({})", v.cause);
    out += fmt::format("  confidence {:.2f}", v.confidence);
  }
  out += '\n';
  out += fmt::format("  instance   {}{}\n", inc.instance,
                     inc.domain.empty() ? "" : " (" + inc.domain + ")");
  out += fmt::format("  hosts      {} -> {}\n", inc.source.empty() ? "?" : inc.source,
                     inc.destination.empty() ? "?" : inc.destination);
  out += fmt::format("  time       {} .. {}{}\n", when(inc.started), when(inc.ended),
                     duration(inc));
  if (!inc.request_id.empty()) out += fmt::format("  request    {}\n", inc.request_id);
  if (inc.skew.pairs > 0) out += fmt::format("  clocks     {}\n", inc.skew.basis);
  if (!v.summary.empty()) out += fmt::format("  summary    {}\n", safe(v.summary));
  for (const auto& n : inc.notes) out += fmt::format("  {}note{}       {}\n", p.yellow, p.reset, n);
  if (!v.evidence.empty()) {
    out += "  evidence\n";
    for (const auto& e : v.evidence) {
      const std::string path = e.where.input < inputs.size() ? inputs[e.where.input].path : "?";
      out += fmt::format("    {}{} {}:{} {}{}\n", p.dim, e.host.empty() ? "?" : e.host, path,
                         e.where.line, when(e.time), p.reset);
      out += fmt::format("      {}\n", elide(e.text));
    }
  }
  if (!v.secondary.empty()) {
    out += "  also seen\n";
    for (const auto& f : v.secondary) {
      out += fmt::format("    {} ({}) confidence {:.2f}\n", to_string(f.cls), f.rule,
                         f.confidence);
    }
  }
  if (!v.confirm.empty()) {
    out += "  confirm (read-only)\n";
    for (const run_where w :
         {run_where::source, run_where::destination, run_where::both, run_where::controller}) {
      bool header = false;
      for (const auto& c : v.confirm) {
        if (c.where != w) continue;
        if (!header) {
          std::string where(to_string(w));
          if (w == run_where::source && !inc.source.empty()) where += " " + inc.source;
          if (w == run_where::destination && !inc.destination.empty()) {
            where += " " + inc.destination;
          }
          out += fmt::format("    on {}:\n", where);
          header = true;
        }
        out += fmt::format("      $ {}\n        # {}\n", safe(c.command), safe(c.why));
      }
    }
  }
  if (!v.remediation.empty()) {
    out += "  remediation (changes state: verify first)\n";
    for (const auto& r : v.remediation) out += fmt::format("    - {}\n", safe(r));
  }
  out += '\n';
}

}  // namespace

std::string write_text(const report_data& r, color_mode color) {
  const palette& p = color == color_mode::always ? kAnsi : kPlain;
  std::string out;
  std::uint64_t skipped = 0, warnings = 0;
  for (const auto& in : r.inputs) {
    skipped += in.skipped_lines;
    warnings += in.warnings.size();
  }
  std::map<std::string, int> by_class;
  int failed = 0;
  for (std::size_t i = 0; i < r.incidents.size(); ++i) {
    if (r.incidents[i].result == outcome::failed) ++failed;
    if (r.incidents[i].result != outcome::succeeded) ++by_class[std::string(to_string(r.verdicts[i].cls))];
  }
  out += fmt::format("{}migsleuth {}{}: {} input(s), {} warning(s), {} line(s) not understood\n",
                     p.bold, r.version, p.reset, r.inputs.size(), warnings, skipped);
  out += fmt::format("{} incident(s), {} failed", r.incidents.size(), failed);
  for (const auto& [cls, n] : by_class) out += fmt::format(", {} {}", n, cls);
  out += "\n\n";
  for (std::size_t i = 0; i < r.incidents.size(); ++i) {
    write_incident(out, r.incidents[i], r.verdicts[i], r.inputs, p);
  }
  for (const auto& in : r.inputs) {
    for (const auto& w : in.warnings) {
      out += fmt::format("{}warning{}: {}: {}\n", p.yellow, p.reset, in.path, safe(w));
    }
  }
  return out;
}

}  // namespace migsleuth::report
