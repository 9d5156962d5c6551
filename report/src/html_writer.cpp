// The HTML report: one self-contained page (inline CSS and SVG; no script,
// no font, image or stylesheet fetched) that a ticket can carry as an
// attachment. Every string that came from an input goes through
// html_escape(), so a log line holding `<script>` is shown as text.
#include <fmt/format.h>

#include "html_parts.hpp"
#include "html_style.hpp"
#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/report.hpp"
#include "render_common.hpp"

namespace migsleuth::report {
namespace {

constexpr std::size_t kMaxEventText = 300;  // per row of the full event table

std::string h(std::string_view s) { return html_escape(s); }
std::string h_or(std::string_view s, std::string_view fallback = "?") {
  return s.empty() ? std::string(fallback) : h(s);
}
// A host, or in words that nobody could identify it (never an empty cell).
std::string host_html(std::string_view host, lane role) {
  return host.empty() ? "<i>" + h(host_not_identified(role)) + "</i>" : h(host);
}

void write_head(std::string& out, const report_data& r, const report_counts& c) {
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>migsleuth report: {} incident(s), {} failed</title>\n", c.incidents,
                     c.failed);
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n<main>\n", html_css());
  out += "<header>\n<h1>migsleuth report</h1>\n";
  out += fmt::format("<p class=\"counts\"><b>{} incident(s), {} failed</b>", c.incidents,
                     c.failed);
  std::string classes;
  for (const auto& [cls, n] : c.by_class) {
    classes += fmt::format("{}{} <code>{}</code>", classes.empty() ? "" : ", ", n, h(cls));
  }
  if (!classes.empty()) out += " &middot; not succeeded: " + classes;
  out += fmt::format(" &middot; {} input file(s), <span class=\"{}\">{} warning(s)</span>, {} "
                     "line(s) not understood</p>\n",
                     c.inputs, c.warnings > 0 ? "warn" : "muted", c.warnings, c.skipped_lines);
  if (const auto aliases = host_alias_lines(r); !aliases.empty()) {
    out += "<p class=\"hosts\">One host, several names (the report uses the first):";
    for (const auto& line : aliases) out += "<br>" + h(line);
    out += "</p>\n";
  }
  if (!r.incidents.empty()) {
    out += "<nav><ul>\n";
    for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
      const incident& inc = r.incidents[i];
      out += fmt::format("<li><a href=\"#{0}\">{0}</a> {1}: {2} &rarr; {3}</li>\n", h(inc.id),
                         h(verdict_line(inc, r.verdicts[i])), host_html(inc.source, lane::source),
                         host_html(inc.destination, lane::destination));
    }
    out += "</ul></nav>\n";
  }
  out += "</header>\n";
}

void fact(std::string& out, std::string_view name, const std::string& value_html) {
  out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", name, value_html);
}

void write_facts(std::string& out, const incident& inc) {
  out += "<table class=\"facts\">\n";
  fact(out, "Instance", "<code>" + h_or(inc.instance) + "</code>" +
                            (inc.domain.empty() ? "" : " (<code>" + h(inc.domain) + "</code>)"));
  fact(out, "Source &rarr; destination",
       "<b>" + host_html(inc.source, lane::source) + "</b> &rarr; <b>" +
           host_html(inc.destination, lane::destination) + "</b>");
  const std::string took = duration_text(inc.started, inc.ended);
  fact(out, "Started / ended (UTC)",
       when(inc.started) + " / " + when(inc.ended) + (took.empty() ? "" : " (" + took + ")"));
  if (const std::string state = state_text(inc); !state.empty()) fact(out, "State", h(state));
  if (const event* f = failure_point(inc); f != nullptr && inc.result != outcome::succeeded) {
    fact(out, "Failed at",
         fmt::format("{} on {} (<code>{}</code>)", when(corrected_time(inc, *f)),
                     lane_phrase(lane_of(inc, *f)), to_string(f->kind)));
  }
  if (!inc.request_id.empty()) fact(out, "Request", "<code>" + h(inc.request_id) + "</code>");
  if (!inc.migration_id.empty()) {
    fact(out, "Migration", "<code>" + h(inc.migration_id) + "</code>");
  }
  if (inc.skew.pairs > 0 || inc.skew.applied) fact(out, "Clocks", h(inc.skew.basis));
  out += "</table>\n";
  for (const auto& n : inc.notes) out += "<p class=\"note\">" + h(n) + "</p>\n";
}

void write_verdict_notes(std::string& out, const verdict& v) {
  for (const auto& n : v.notes) out += "<p class=\"note\">" + h(n) + "</p>\n";
}

void write_evidence(std::string& out, const verdict& v, std::span<const input> inputs) {
  if (v.evidence.empty()) return;
  out += "<h3>Evidence</h3>\n";
  for (const auto& e : v.evidence) {
    out += fmt::format("<div class=\"where\"><b>{}</b> <span class=\"mono\">{}:{}</span> {}",
                       host_html(e.host, lane::unknown), h(input_path(inputs, e.where)),
                       e.where.line, when(e.time));
    if (!e.rule.empty()) out += " &middot; <code>" + h(e.rule) + "</code>";
    out += "</div>\n";
    if (!e.field.empty()) out += "<p class=\"field\">" + h(cited_text(e.field)) + "</p>\n";
    out += "<pre>" + h(e.text) + "</pre>\n";
  }
}

// Which deployment the confirm commands below are written for, and why (as
// the text and markdown reports say it).
void write_written_for(std::string& out, const verdict& v, const std::string& text) {
  if (v.confirm.empty() || text.empty()) return;
  out += "<p class=\"written-for\">Commands written for " + h(text) + "</p>\n";
}

void write_actions(std::string& out, const incident& inc, const verdict& v) {
  if (!v.secondary.empty()) {
    out += "<h3>Also seen</h3>\n<ul>\n";
    for (const auto& f : v.secondary) {
      out += fmt::format("<li><code>{}</code> <code>{}</code> confidence {:.2f}: {}</li>\n",
                         to_string(f.cls), h(f.rule), f.confidence, h(f.summary));
    }
    out += "</ul>\n";
  }
  const auto groups = group_commands(v);
  if (!groups.empty()) {
    out += "<h3>Confirm (read-only)</h3>\n";
    for (const auto& g : groups) {
      out += "<h4>On " + h(where_label(g.where, inc)) + "</h4>\n";
      for (const confirm_command* c : g.commands) {
        out += "<p class=\"why\">" + h(c->why) + "</p>\n<pre>$ " + h(c->command) + "</pre>\n";
      }
    }
  }
  if (!v.remediation.empty()) {
    out += "<h3>Remediation (changes state: verify first)</h3>\n<ul class=\"rem\">\n";
    for (const auto& r : v.remediation) out += "<li>" + h(r) + "</li>\n";
    out += "</ul>\n";
  }
}

void write_events(std::string& out, const incident& inc, std::span<const input> inputs) {
  if (inc.events.empty()) return;
  out += fmt::format("<details><summary>All {} event(s) of this attempt{}</summary>\n"
                     "<table class=\"events\">\n<tr><th>time</th><th>lane</th><th>host</th>"
                     "<th>event</th><th>where</th><th>line</th></tr>\n",
                     inc.events.size(), inc.skew.applied ? " (times on the source's clock)" : "");
  for (const auto& ev : inc.events) {
    const lane l = lane_of(inc, ev);
    out += fmt::format("<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td><code>{}</code>"
                       "</td><td class=\"mono\">{}:{}</td><td class=\"mono\">{}</td></tr>\n",
                       short_time(corrected_time(inc, ev)), lane_name(l),
                       host_html(ev.host, l), to_string(ev.kind), h(input_path(inputs, ev.where)),
                       ev.where.line, h(elide_line(ev.text, kMaxEventText, ev.user_identity)));
  }
  out += "</table>\n</details>\n";
}

void write_incident(std::string& out, const incident& inc, const verdict& v,
                    std::span<const input> inputs, std::span<const host_deployment> deployments) {
  out += fmt::format("<section class=\"incident\" id=\"{}\">\n<h2><span class=\"badge o-{}\">{}"
                     "</span>",
                     h(inc.id), to_string(inc.result), to_string(inc.result));
  if (inc.result != outcome::succeeded) {
    out += fmt::format("<code>{}</code>", to_string(v.cls));
    if (!v.cause.empty()) out += " <code>" + h(v.cause) + "</code>";
    out += fmt::format(" <span class=\"muted\">confidence {:.2f}</span>", v.confidence);
  }
  out += fmt::format(" <span class=\"muted mono\">{}</span></h2>\n", h(inc.id));
  if (!v.summary.empty()) out += "<p class=\"summary\">" + h(v.summary) + "</p>\n";
  if (const auto d = decoded_text(v.decoded, v.inferred);
      !d.empty() && inc.result != outcome::succeeded) {
    out += "<p class=\"muted\">Decoded: " + h(d) + "</p>\n";
  }
  write_facts(out, inc);
  write_verdict_notes(out, v);
  const std::string timeline = html_timeline(inc, v, inputs);
  if (!timeline.empty()) {
    out += "<h3>Timeline of both hosts</h3>\n";
    if (inc.skew.applied) {
      out += fmt::format("<p class=\"muted\">Times on the source's clock: {} events moved by "
                         "{:+.3f} s (the estimated clock skew).</p>\n",
                         h(inc.skew.host), -inc.skew.offset);
    }
    out += timeline;
  }
  const std::string conv = html_convergence(inc);
  if (!conv.empty()) out += "<h3>Convergence</h3>\n" + conv;
  write_evidence(out, v, inputs);
  const std::string hosts[] = {inc.source, inc.destination};
  write_written_for(out, v, deployment_text(deployments, hosts));
  write_actions(out, inc, v);
  write_events(out, inc, inputs);
  out += "</section>\n";
}

void write_findings(std::string& out, const report_data& r) {
  const auto nothing = nothing_found_lines(r);
  if (!nothing.empty()) {
    out += "<section class=\"findings\">\n<h2>No migration attempt found</h2>\n<ul>\n";
    for (const auto& line : nothing) out += "<li>" + h(line) + "</li>\n";
    out += "</ul>\n</section>\n";
  }
  if (r.findings.empty()) return;
  out += "<section class=\"findings\" id=\"findings\">\n"
         "<h2>Findings not tied to a migration attempt</h2>\n";
  for (const auto& lf : r.findings) {
    out += fmt::format("<h3 id=\"{}\"><code>{}</code> <code>{}</code> <span class=\"muted\">"
                       "confidence {:.2f} {}</span></h3>\n",
                       h(lf.id), to_string(lf.f.cls), h(lf.f.rule), lf.f.confidence, h(lf.id));
    out += "<p class=\"summary\">" + h(lf.f.summary) + "</p>\n";
    if (const auto d = decoded_text(lf.f.decoded, lf.f.inferred); !d.empty()) {
      out += "<p class=\"muted\">Decoded: " + h(d) + "</p>\n";
    }
    out += "<p class=\"note\">Not tied to an attempt: " + h(lf.why_loose) + "</p>\n";
    const verdict shown = shown_as_verdict(lf);
    write_evidence(out, shown, r.inputs);
    const std::string hosts[] = {lf.host};
    write_written_for(out, shown, deployment_text(r.deployments, hosts));
    write_actions(out, incident{}, shown);
  }
  out += "</section>\n";
}

void write_inputs(std::string& out, std::span<const input> inputs) {
  out += "<section id=\"inputs\">\n<h2>Inputs</h2>\n<table class=\"inputs\">\n<tr><th>file</th>"
         "<th>kind</th><th>host</th><th>lines</th><th>skipped</th><th>warnings</th></tr>\n";
  for (const auto& in : inputs) {
    std::string warnings;
    for (const auto& w : in.warnings) warnings += "<div class=\"warn\">" + h(w) + "</div>";
    out += fmt::format(
        "<tr><td class=\"mono\">{}</td><td title=\"{}\">{}{}</td><td title=\"{}\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        h(in.path.str()), h(in.kind_reason), to_string(in.kind),
        in.packing == compression::none ? "" : fmt::format(" ({})", to_string(in.packing)),
        h(in.host_from), host_html(in.host, lane::unknown), in.lines, in.skipped_lines, warnings);
  }
  out += "</table>\n<p class=\"muted\">Hover a kind or host to see why it was decided.</p>\n"
         "</section>\n";
}

}  // namespace

std::string write_html(const report_data& r) {
  const report_counts c = count(r);
  std::string out;
  write_head(out, r, c);
  for (std::size_t i = 0; i < r.incidents.size() && i < r.verdicts.size(); ++i) {
    write_incident(out, r.incidents[i], r.verdicts[i], r.inputs, r.deployments);
  }
  write_findings(out, r);
  write_inputs(out, r.inputs);
  out += fmt::format("<footer>migsleuth {}</footer>\n</main>\n</body>\n</html>\n", h(r.version));
  return out;
}

}  // namespace migsleuth::report
