// The ticket report: the text report's story in markdown that GitHub, GitLab
// and Jira's markdown paste all render. Prose from logs and rules is escaped
// (markdown_escape); identifiers are code spans; log lines and commands are
// fenced code blocks whose fence is longer than any backtick run inside, so
// nothing from a log can close a fence, open a link or inject HTML.
//
// Made to be pasted into a ticket: every evidence line is whole, in its own
// fenced block, so a reader can grep the host's log for it; prose carries a
// backslash only where a renderer would otherwise read markup. Small enough
// to paste: the inputs are summarised per host and the timeline keeps only
// milestones.
#include <fmt/format.h>

#include <map>

#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/report.hpp"
#include "render_common.hpp"

namespace migsleuth::report {
namespace {

constexpr std::size_t kMaxMilestones = 16;  // key events per incident

std::string esc(std::string_view s) { return markdown_escape(s); }
// Text that opens a block ("> ...", "- ..."): a leading "# " or "1. " is escaped.
std::string esc_block(std::string_view s) { return markdown_escape(s, md_place::block_start); }
std::string esc_cell(std::string_view s) { return markdown_escape(s, md_place::table_cell); }
std::string code(std::string_view s) { return s.empty() ? "?" : markdown_code(s); }
std::string cell(std::string_view s) {
  return s.empty() ? "" : markdown_code(s, md_place::table_cell);
}
// A host, or in words that nobody could identify it (never a blank cell).
std::string host_cell(std::string_view host, lane role) {
  return host.empty() ? esc_cell(host_not_identified(role))
                      : markdown_code(host, md_place::table_cell);
}

// A fenced block; `lines` are already safe for a code block (no controls).
void fenced(std::string& out, std::string_view info, const std::vector<std::string>& lines) {
  std::string body;
  for (const auto& l : lines) body += l + '\n';
  const std::string fence = markdown_fence(body);
  out += fmt::format("{}{}\n{}{}\n\n", fence, info, body, fence);
}

void write_counts(std::string& out, const report_data& r) {
  const report_counts c = count(r);
  out += "# migsleuth report\n\n";
  out += fmt::format("**{} incident(s), {} failed**", c.incidents, c.failed);
  if (!c.by_class.empty()) {
    std::string parts;
    for (const auto& [cls, n] : c.by_class) {
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, markdown_code(cls));
    }
    out += " (not succeeded: " + parts + ")";
  }
  out += fmt::format(". Read {} input file(s): {} warning(s), {} line(s) not understood.\n\n",
                     c.inputs, c.warnings, c.skipped_lines);
  if (!r.findings.empty()) {
    out += fmt::format("**{} finding(s) not tied to a migration attempt** (see the end).\n\n",
                       r.findings.size());
  }
  for (const auto& line : nothing_found_lines(r)) out += fmt::format("- {}\n", esc_block(line));
  if (!nothing_found_lines(r).empty()) out += "\n";
  const auto aliases = host_alias_lines(r);
  if (!aliases.empty()) {
    out += "One host, several names (the report uses the first):\n\n";
    for (const auto& line : aliases) out += fmt::format("- {}\n", esc(line));
    out += "\n";
  }
  // Per host: how many files of which kinds, so a reader knows what was looked at.
  std::map<std::string, std::map<std::string, int>> per_host;
  for (const auto& in : r.inputs) {
    ++per_host[in.host][std::string(to_string(in.kind))];
  }
  for (const auto& [host, kinds] : per_host) {
    std::string list;
    for (const auto& [kind, n] : kinds) {
      list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, kind);
    }
    out += fmt::format("- {}: {}\n",
                       host.empty() ? esc(host_not_identified(lane::unknown)) : code(host), list);
  }
  out += "\n";
}

void write_facts(std::string& out, const incident& inc) {
  out += "| | |\n|---|---|\n";
  out += fmt::format("| Instance | {}{} |\n", cell(inc.instance),
                     inc.domain.empty() ? "" : " (" + cell(inc.domain) + ")");
  out += fmt::format("| Source -> destination | {} -> {} |\n", host_cell(inc.source, lane::source),
                     host_cell(inc.destination, lane::destination));
  const std::string took = duration_text(inc.started, inc.ended);
  out += fmt::format("| Started / ended (UTC) | {} / {}{} |\n", when(inc.started),
                     when(inc.ended), took.empty() ? "" : " (" + took + ")");
  if (const std::string state = state_text(inc); !state.empty()) {
    out += fmt::format("| State | {} |\n", esc_cell(state));
  }
  if (const event* f = failure_point(inc); f != nullptr && inc.result != outcome::succeeded) {
    out += fmt::format("| Failed at | {} on {} ({}) |\n", when(corrected_time(inc, *f)),
                       lane_phrase(lane_of(inc, *f)), cell(std::string(to_string(f->kind))));
  }
  if (!inc.request_id.empty()) out += fmt::format("| Request | {} |\n", cell(inc.request_id));
  if (!inc.migration_id.empty()) {
    out += fmt::format("| Migration | {} |\n", cell(inc.migration_id));
  }
  if (inc.skew.pairs > 0 || inc.skew.applied) {
    // In a cell '|' is escaped too, so the basis cannot break the cell.
    out += fmt::format("| Clocks | {} |\n", esc_cell(inc.skew.basis));
  }
  out += "\n";
}

void write_milestones(std::string& out, const incident& inc) {
  std::vector<std::string> rows;
  std::string last;
  for (const auto& ev : inc.events) {
    if (!is_milestone(ev.kind)) continue;
    const std::string key = fmt::format("{}/{}", ev.host, to_string(ev.kind));
    if (key == last) continue;  // the same step logged twice in a row
    last = key;
    const lane l = lane_of(inc, ev);
    rows.push_back(fmt::format("| {} | {} {} | {} |", short_time(corrected_time(inc, ev)),
                               lane_name(l), host_cell(ev.host, l),
                               cell(std::string(to_string(ev.kind)))));
  }
  if (rows.empty()) return;
  out += inc.skew.applied ? "**Key events** (times on the source's clock)\n\n"
                          : "**Key events** (UTC)\n\n";
  out += "| time | where | event |\n|---|---|---|\n";
  for (std::size_t i = 0; i < rows.size() && i < kMaxMilestones; ++i) out += rows[i] + '\n';
  if (rows.size() > kMaxMilestones) {
    out += fmt::format("| ... | | {} more |\n", rows.size() - kMaxMilestones);
  }
  out += "\n";
}

void write_evidence(std::string& out, const verdict& v, std::span<const input> inputs) {
  if (v.evidence.empty()) return;
  out += "**Evidence**\n\n";
  for (const auto& e : v.evidence) {
    out += fmt::format("{} {} at {}\n\n",
                       e.host.empty() ? esc(host_not_identified(lane::unknown)) : code(e.host),
                       markdown_code(fmt::format("{}:{}", input_path(inputs, e.where),
                                                 e.where.line)),
                       when(e.time));
    if (!e.field.empty()) {
      // A JSON capture's line ("Status": "error",) read for the reader:
      // `Status: error` of migration 4412 (key path `[0].Status`).
      const std::string key = cited_key(e.field);
      out += fmt::format("{} of {}{}\n\n",
                         code(e.field.value.empty() ? key : key + ": " + e.field.value),
                         esc(e.field.record.empty() ? "the record" : e.field.record),
                         key == e.field.key_path ? "" : " (key path " + code(e.field.key_path) + ")");
    }
    // The whole line, tabs kept: pasted into a search it must still match.
    fenced(out, "text", {terminal_safe(e.text, tabs::keep)});
  }
}

void write_actions(std::string& out, const incident& inc, const verdict& v) {
  if (!v.secondary.empty()) {
    out += "**Also seen** (secondary causes)\n\n";
    for (const auto& f : v.secondary) {
      out += fmt::format("- {} {}, confidence {:.2f}: {}\n", code(to_string(f.cls)),
                         code(f.rule), f.confidence, esc(f.summary));
    }
    out += "\n";
  }
  const auto groups = group_commands(v);
  if (!groups.empty()) {
    out += "**Confirm** (read-only commands)\n\n";
    for (const auto& g : groups) {
      out += fmt::format("On {}:\n\n", esc(where_label(g.where, inc)));
      std::vector<std::string> lines;
      for (const confirm_command* c : g.commands) {
        if (!lines.empty()) lines.emplace_back();
        lines.push_back("# " + terminal_safe(c->why));
        lines.push_back(terminal_safe(c->command));
      }
      fenced(out, "sh", lines);
    }
  }
  if (!v.remediation.empty()) {
    out += "**Remediation** (changes state: verify first)\n\n";
    for (const auto& r : v.remediation) out += fmt::format("- {}\n", esc_block(r));
    out += "\n";
  }
}

void write_incident(std::string& out, const incident& inc, const verdict& v,
                    std::span<const input> inputs, std::span<const host_deployment> deployments) {
  out += fmt::format("## {} {}", code(inc.id), to_string(inc.result));
  if (inc.result != outcome::succeeded) {
    out += fmt::format(": {}", code(to_string(v.cls)));
    if (!v.cause.empty()) out += fmt::format(" ({})", code(v.cause));
    out += fmt::format(", confidence {:.2f}", v.confidence);
  }
  out += "\n\n";
  if (!v.summary.empty()) out += fmt::format("> {}\n\n", esc_block(v.summary));
  if (const auto d = decoded_text(v.decoded, v.inferred);
      !d.empty() && inc.result != outcome::succeeded) {
    // A blank line after: a table straight after a list item would be read
    // as more of the item's text.
    out += fmt::format("- Decoded: {}\n\n", esc(d));
  }
  write_facts(out, inc);
  for (const auto& n : inc.notes) out += fmt::format("- Note: {}\n", esc(n));
  for (const auto& n : v.notes) out += fmt::format("- Note: {}\n", esc(n));
  if (!inc.notes.empty() || !v.notes.empty()) out += "\n";
  write_evidence(out, v, inputs);
  const std::string hosts[] = {inc.source, inc.destination};
  if (const auto text = deployment_text(deployments, hosts); !text.empty() && !v.confirm.empty()) {
    out += fmt::format("Commands written for: {}\n\n", esc(text));
  }
  write_actions(out, inc, v);
  write_milestones(out, inc);
}

}  // namespace

std::string write_markdown(const report_data& r) {
  std::string out;
  write_counts(out, r);
  for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
    write_incident(out, r.incidents[i], r.verdicts[i], r.inputs, r.deployments);
  }
  if (!r.findings.empty()) out += "## Findings not tied to a migration attempt\n\n";
  for (const auto& lf : r.findings) {
    out += fmt::format("### {} {} ({}), confidence {:.2f}\n\n", code(lf.id),
                       code(to_string(lf.f.cls)), code(lf.f.rule), lf.f.confidence);
    out += fmt::format("> {}\n\n", esc_block(lf.f.summary));
    if (const auto d = decoded_text(lf.f.decoded, lf.f.inferred); !d.empty()) {
      out += fmt::format("- Decoded: {}\n", esc(d));
    }
    if (!lf.host.empty()) out += fmt::format("- Host: {}\n", code(lf.host));
    if (!lf.instance.empty()) out += fmt::format("- Instance: {}\n", code(lf.instance));
    out += fmt::format("- Not tied to an attempt: {}\n\n", esc(lf.why_loose));
    const verdict shown = shown_as_verdict(lf);
    write_evidence(out, shown, r.inputs);
    write_actions(out, incident{}, shown);
  }
  std::vector<std::string> warnings;
  for (const auto& in : r.inputs) {
    for (const auto& w : in.warnings) {
      warnings.push_back(fmt::format("- {}: {}", code(in.path.str()), esc(w)));
    }
  }
  if (!warnings.empty()) {
    out += "## Input warnings\n\n";
    for (const auto& w : warnings) out += w + '\n';
    out += '\n';
  }
  out += fmt::format("*Report by migsleuth {}.*\n", esc(r.version));
  return out;
}

}  // namespace migsleuth::report
