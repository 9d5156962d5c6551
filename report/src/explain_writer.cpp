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

// Why nothing of an input made it into the report, from what the report
// knows of it (its kind, warnings, counts).
std::string why_unused(const input& in) {
  if (in.unreadable) return "it could not be read" + (in.warnings.empty() ? std::string() : ": " + in.warnings.front());
  if (in.kind == input_kind::unrecognized) {
    return "no kind claimed it (" + in.kind_reason +
           "); its lines were searched only for pasted messages a rule knows, and none was found";
  }
  if (in.lines == 0) return "it is empty";
  for (const auto& w : in.warnings) {
    if (w.find("name no domain") != std::string::npos) return in.host.empty() ? "its samples name no domain and no host, so nothing joins them to an attempt (its warning says how to name it)" : "its samples name no domain, and no attempt of its host was running at their time";
  }
  switch (in.kind) {
    case input_kind::server_show:
    case input_kind::migration_list:
    case input_kind::port_show:
    case input_kind::cpu_info:
      return "it describes no instance of a migration attempt found in the data";
    case input_kind::domjobinfo:
    case input_kind::virsh_list:
      return "its domains are no migrating instance's (a domain is matched to an instance by "
             "the nova or QEMU lines that name both), or its samples fall outside every "
             "attempt's time";
    default:
      return "none of its lines belongs to a migration attempt found (kept are migration "
             "lines and WARNING or above, of instances that migrated, near an attempt's time)";
  }
}

// For each input: whether its lines are in the report, where, or why not.
std::vector<std::string> usage_of_inputs(const report_data& r) {
  struct use {
    std::size_t lines = 0;
    std::vector<std::string> where;  // incident and finding ids, in report order
  };
  std::vector<use> uses(r.inputs.size());
  const auto count = [&uses](input_id id, const std::string& owner) {
    if (id >= uses.size()) return;
    ++uses[id].lines;
    if (uses[id].where.empty() || uses[id].where.back() != owner) uses[id].where.push_back(owner);
  };
  for (const auto& inc : r.incidents) {
    for (const auto& ev : inc.events) count(ev.where.input, inc.id);
  }
  for (const auto& f : r.findings) {
    for (const auto& e : f.f.evidence) count(e.where.input, f.id);
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const use& u = uses[i];
    if (u.lines == 0) {
      out.push_back("not used: " + why_unused(r.inputs[i]));
      continue;
    }
    std::string owners;
    for (std::size_t k = 0; k < u.where.size() && k < 3; ++k) {
      owners += (k == 0 ? "" : ", ") + u.where[k];
    }
    if (u.where.size() > 3) owners += fmt::format(" and {} more", u.where.size() - 3);
    out.push_back(fmt::format("used: {} line(s) in {}", u.lines, owners));
  }
  return out;
}

}  // namespace

namespace {

// Which names are one host and what in the data said so; joins the data
// stated but that would have merged two hosts with files of their own.
void write_hosts(std::string& out, const report_data& r) {
  if (r.hosts.empty() && r.host_refusals.empty()) return;
  out += "explain: hosts\n";
  for (const auto& h : r.hosts) {
    out += fmt::format("  {}: {}\n", safe(h.name), safe(h.why));
    for (const auto& a : h.aliases) {
      out += fmt::format("    also {}: {}\n", safe(a.name), safe(a.why));
    }
  }
  for (const auto& refused : r.host_refusals) out += fmt::format("  {}\n", safe(refused));
  out += '\n';
}

}  // namespace

std::string write_explain(const report_data& r,
                          std::span<const std::vector<classifiers::rule_trace>> traces,
                          std::span<const std::vector<classifiers::line_decoding>> decoded) {
  std::string out = "explain: inputs\n";
  const std::vector<std::string> usage = usage_of_inputs(r);
  for (std::size_t i = 0; i < r.inputs.size(); ++i) {
    const input& in = r.inputs[i];
    out += fmt::format("  {}\n    kind {}: {}\n    host {}: {}\n    {}\n", safe(in.path.str()),
                       to_string(in.kind), or_none(in.kind_reason), or_none(in.host),
                       or_none(in.host_from), safe(usage[i]));
  }
  out += '\n';
  write_hosts(out, r);
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
