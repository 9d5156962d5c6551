// `analyze --explain`: the reasoning behind the report, for the engineer who
// doubts it. Inputs: why this kind, why this host. Incidents: how the roles
// were decided, how the clocks were aligned, which rules fired and which
// nearly did (and what stopped them). Text only, to stderr, so the report on
// stdout stays exactly what the format promises.
#include <fmt/format.h>

#include <algorithm>

#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/report.hpp"
#include "render_common.hpp"

namespace migsleuth::report {
namespace {

std::string safe(std::string_view s) { return terminal_safe(s); }
std::string or_none(std::string_view s) { return s.empty() ? "(none)" : safe(s); }

void write_lines(std::string& out, const classifiers::rule_trace& t,
                 std::span<const input> inputs) {
  for (const source_ref& where : t.lines) {
    out += fmt::format("        at {}:{}\n", safe(input_path(inputs, where)), where.line);
  }
}

// What the arbiter made of a rule that fired: only one is primary, findings
// of the same cause or weaker duplicates may be set aside.
std::string_view kept_as(const std::string& rule, const incident& inc, const verdict& v) {
  if (inc.result == outcome::succeeded) return " [not classified: succeeded]";
  if (rule == v.cause) return " [primary]";
  const bool secondary = std::any_of(v.secondary.begin(), v.secondary.end(),
                                     [&](const finding& f) { return f.rule == rule; });
  return secondary ? " [secondary]" : " [set aside by the arbiter]";
}

// A failed attempt's lines rarely number more than a few dozen; a flood of
// one repeated error says nothing more after the first ones.
constexpr std::size_t kMaxDecodedShown = 30;

void write_decoded(std::string& out, std::span<const classifiers::line_decoding> lines,
                   std::span<const input> inputs) {
  if (lines.empty()) {
    out += "  catalog: no line of this attempt holds a message the catalog knows\n";
    return;
  }
  out += "  catalog (each line's layers, outermost first; the innermost that names a cause decides):\n";
  for (std::size_t i = 0; i < lines.size() && i < kMaxDecodedShown; ++i) {
    const auto& d = lines[i];
    out += fmt::format("    {}:{}  {}\n", safe(input_path(inputs, d.where)), d.where.line,
                       d.decided_by.empty() ? std::string("no cause named")
                                            : "decided by " + safe(d.decided_by) + " -> " +
                                                  safe(d.cause));
    for (const auto& l : d.layers) {
      out += fmt::format("        {:<9} {:<10} {}: {}\n", safe(l.layer), safe(l.verdict),
                         safe(l.entry), safe(elide_line(l.text, 140)));
    }
  }
  if (lines.size() > kMaxDecodedShown) {
    out += fmt::format("    ... {} more line(s)\n", lines.size() - kMaxDecodedShown);
  }
}

void write_incident(std::string& out, const incident& inc, const verdict& v,
                    std::span<const classifiers::rule_trace> traces,
                    std::span<const classifiers::line_decoding> decoded,
                    std::span<const input> inputs) {
  out += fmt::format("explain: incident {} ({})\n", safe(inc.id), to_string(inc.result));
  out += fmt::format("  source      {}: {}\n", or_none(inc.source), or_none(inc.source_from));
  out += fmt::format("  destination {}: {}\n", or_none(inc.destination),
                     or_none(inc.destination_from));
  if (!inc.skew.basis.empty()) {
    out += fmt::format("  clocks      {}{}\n", safe(inc.skew.basis),
                       inc.skew.applied ? " (applied to the timeline)" : "");
  }
  if (inc.result == outcome::succeeded) {
    out += "  verdict     none: a succeeded attempt is not classified\n";
  } else {
    out += fmt::format("  primary     {} ({}, confidence {:.2f})\n",
                       v.cause.empty() ? "(no rule: class unknown)" : safe(v.cause),
                       to_string(v.cls), v.confidence);
    for (const auto& f : v.secondary) {
      out += fmt::format("  secondary   {} ({}, confidence {:.2f})\n", safe(f.rule),
                         to_string(f.cls), f.confidence);
    }
  }
  for (const bool fired : {true, false}) {
    const bool any = std::any_of(traces.begin(), traces.end(),
                                 [&](const auto& t) { return t.fired == fired; });
    if (!any) {
      out += fired ? "  rules fired: none\n" : "  rules nearly fired: none\n";
      continue;
    }
    out += fired ? "  rules fired:\n" : "  rules nearly fired:\n";
    for (const auto& t : traces) {
      if (t.fired != fired) continue;
      out += fmt::format("    {} ({}){}: {}\n", safe(t.rule), to_string(t.cls),
                         fired ? kept_as(t.rule, inc, v) : "", safe(t.why));
      write_lines(out, t, inputs);
    }
  }
  if (v.inferred) {
    out += "  inferred: the primary class comes from the error's mechanism (a fallback rule), "
           "not from a message that names the cause\n";
  }
  write_decoded(out, decoded, inputs);
  out += '\n';
}

}  // namespace

std::string write_explain(const report_data& r,
                          std::span<const std::vector<classifiers::rule_trace>> traces,
                          std::span<const std::vector<classifiers::line_decoding>> decoded) {
  std::string out = "explain: inputs\n";
  for (const auto& in : r.inputs) {
    out += fmt::format("  {}\n    kind {}: {}\n    host {}: {}\n", safe(in.path),
                       to_string(in.kind), or_none(in.kind_reason), or_none(in.host),
                       or_none(in.host_from));
  }
  out += '\n';
  if (!r.deployments.empty()) {
    out += "explain: deployments (confirm commands are written for them)\n";
    for (const auto& d : r.deployments) {
      out += fmt::format("  {}: {}: {}\n", safe(d.host), to_string(d.kind), safe(d.why));
    }
    out += '\n';
  }
  for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
    const std::span<const classifiers::rule_trace> t =
        i < traces.size() ? std::span<const classifiers::rule_trace>(traces[i])
                          : std::span<const classifiers::rule_trace>();
    const std::span<const classifiers::line_decoding> d =
        i < decoded.size() ? std::span<const classifiers::line_decoding>(decoded[i])
                           : std::span<const classifiers::line_decoding>();
    write_incident(out, r.incidents[i], r.verdicts[i], t, d, r.inputs);
  }
  return out;
}

}  // namespace migsleuth::report
