// The fleet page (README "Scanning a fleet"): one self-contained HTML page,
// inline CSS and SVG, no script, nothing fetched. Everything that came from a
// log or a database row goes through html_escape(). The page depends only on
// fleet_data, so the same database always gives the same bytes.
#include <fmt/format.h>

#include "fleet_parts.hpp"
#include "html_style.hpp"
#include "migsleuth/report/escape.hpp"
#include "migsleuth/report/fleet.hpp"

namespace migsleuth::report {
namespace {

std::string h(std::string_view s) { return html_escape(s); }

std::string anchor(std::size_t row) { return fmt::format("i{}", row + 1); }

std::string chip(const std::string& cls) {
  return fmt::format("<span class=\"chip b-{}\" title=\"{}\">{}</span>", h(cls), h(cls),
                     class_abbrev(cls));
}

// A count with its data attributes but no group (what the whole page counts).
std::string plain_number(std::string_view metric, std::uint64_t n) {
  return fmt::format("<span class=\"n\" data-metric=\"{}\" data-n=\"{}\">{}</span>", metric, n, n);
}

void write_head(std::string& out, const fleet_data& d, const fleet_view& v, fleet_groups& g) {
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>migsleuth fleet: {} failed of {} attempt(s) in {} bundle(s)</title>\n",
                     d.failures.size(), d.incidents, d.bundles);
  out += fmt::format("<style>{}{}</style>\n</head>\n<body>\n<main>\n", html_css(), fleet_css());
  out += "<header>\n<h1>migsleuth fleet</h1>\n";
  out += "<p class=\"muted\">Scan database <code>" + h(d.database) + "</code></p>\n";
  row_list all(d.failures.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  out += fmt::format(
      "<p class=\"counts\"><b>{} bundle(s)</b> ({} not fully read) &middot; <b>{} migration "
      "attempt(s), {} not succeeded</b> &middot; {} finding(s) tied to no attempt</p>\n",
      plain_number("bundles", d.bundles), plain_number("bad-bundles", d.bad_bundles),
      plain_number("incidents", d.incidents),
      all.empty()
          ? plain_number("failures", 0)
          : g.link("g-all", "Every attempt that did not succeed", all, " data-metric=\"failures\""),
      plain_number("findings", d.findings));
  if (!v.classes.empty()) {
    out += "<p class=\"legend\">";
    for (std::size_t c = 0; c < v.classes.size(); ++c) {
      const std::string& cls = v.classes[c];
      out += fmt::format(
          "<span class=\"lg\">{} <code>{}</code> {}</span> ", chip(cls), h(cls),
          g.link(fmt::format("g-c{}", c), "<code>" + h(cls) + "</code>", v.by_class.at(cls),
                 " data-metric=\"class\"" + data_attr("class", cls)));
    }
    out += "</p>\n";
  }
  out += "</header>\n";
}

void write_causes(std::string& out, const fleet_view& v, fleet_groups& g) {
  out +=
      "<section id=\"causes\">\n<h2>Top causes</h2>\n<table class=\"causes\">\n<tr><th>class"
      "</th><th>cause (rule)</th><th class=\"num\">failures</th><th>first seen (UTC)</th>"
      "<th>last seen (UTC)</th></tr>\n";
  for (std::size_t k = 0; k < v.causes.size(); ++k) {
    const cause_row& c = v.causes[k];
    const std::string attrs = " data-metric=\"cause\"" + data_attr("class", c.classification) +
                              data_attr("cause", c.cause) + data_attr("first", c.first_seen) +
                              data_attr("last", c.last_seen);
    const std::string name =
        c.cause.empty() ? std::string("<i>no rule decided</i>") : "<code>" + h(c.cause) + "</code>";
    out += fmt::format(
        "<tr><td>{} {}</td><td>{}</td><td class=\"num\">{}</td><td class=\"mono\">"
        "{}</td><td class=\"mono\">{}</td></tr>\n",
        chip(c.classification), h(c.classification), name,
        g.link(fmt::format("g-r{}", k), name, c.rows, attrs),
        c.first_seen.empty() ? "?" : h(c.first_seen), c.last_seen.empty() ? "?" : h(c.last_seen));
  }
  out += "</table>\n</section>\n";
}

void write_templates(std::string& out, const fleet_view& v, fleet_groups& g) {
  out += "<section id=\"templates\">\n<h2>Uncategorised failures by error template</h2>\n";
  if (v.templates.empty()) {
    out += "<p class=\"muted\">Every failure was classified.</p>\n</section>\n";
    return;
  }
  out +=
      "<p class=\"muted\">Failures classified <code>unknown</code>, grouped by their telling "
      "error line with numbers, ids, addresses, paths and host names masked; the example is "
      "one such line as it was logged.</p>\n<table class=\"templates\">\n<tr><th class=\"num\">"
      "failures</th><th>template and example</th></tr>\n";
  for (std::size_t k = 0; k < v.templates.size(); ++k) {
    const template_row& t = v.templates[k];
    out += fmt::format(
        "<tr><td class=\"num\">{}</td><td><code class=\"tpl\">{}</code>{}</td>"
        "</tr>\n",
        g.link(fmt::format("g-u{}", k), "template <code>" + h(t.tpl) + "</code>", t.rows,
               " data-metric=\"template\"" + data_attr("template", t.tpl)),
        h(t.tpl), t.example.empty() ? "" : "<pre>" + h(t.example) + "</pre>");
  }
  out += "</table>\n</section>\n";
}

void write_groups(std::string& out, const fleet_groups& g) {
  out +=
      "<section id=\"groups\">\n<p class=\"muted\">Each number links to the attempts behind "
      "it: they are listed here when it is clicked, each linking to its row below.</p>\n";
  for (const auto& grp : g.all()) {
    out += fmt::format("<div class=\"grp\" id=\"{}\"><b>{}</b> ({}):", grp.id, grp.label,
                       grp.rows.size());
    for (std::size_t i : grp.rows)
      out += fmt::format(" <a href=\"#{0}\">#{1}</a>", anchor(i), i + 1);
    out += "</div>\n";
  }
  out += "</section>\n";
}

void write_failures(std::string& out, const fleet_data& d) {
  out +=
      "<section id=\"failures\">\n<h2>Attempts that did not succeed</h2>\n<table class=\"fl\">\n"
      "<colgroup><col class=\"c-no\"><col class=\"c-time\"><col class=\"c-bundle\">"
      "<col class=\"c-inst\"><col class=\"c-hosts\"><col class=\"c-cls\"><col class=\"c-sum\">"
      "</colgroup>\n<tr><th>#</th><th>started (UTC)</th><th>bundle, incident</th><th>instance"
      "</th><th>source &rarr; destination</th><th>class, rule</th><th>summary</th></tr>\n";
  for (std::size_t i = 0; i < d.failures.size(); ++i) {
    const fleet_incident& f = d.failures[i];
    std::string id = h(f.id);
    if (const auto it = d.bundle_pages.find(f.bundle); it != d.bundle_pages.end()) {
      id = fmt::format("<a href=\"{}#{}\">{}</a>", h(it->second), h(f.id), h(f.id));
    }
    out += fmt::format(
        "<tr id=\"{}\"{}{}><td>{}</td><td class=\"mono\">{}</td><td><code>{}</code><br>"
        "<span class=\"mono muted\">{}</span></td><td class=\"mono\">{}{}</td><td>{} &rarr; "
        "{}</td><td>{} <code>{}</code> <span class=\"muted\">{}</span><br><code>{}</code></td>"
        "<td>{}</td></tr>\n",
        anchor(i), data_attr("bundle", f.bundle), data_attr("id", f.id), i + 1,
        f.started_at.empty() ? "?" : h(f.started_at), h(f.bundle), id,
        f.instance.empty() ? "?" : h(f.instance),
        f.instance_name.empty() ? "" : "<br>" + h(f.instance_name),
        f.source.empty() ? "<i>?</i>" : h(f.source),
        f.destination.empty() ? "<i>?</i>" : h(f.destination), chip(f.classification),
        h(f.classification), h(f.outcome), f.cause.empty() ? "-" : h(f.cause), h(f.summary));
  }
  out += "</table>\n</section>\n";
}

}  // namespace

std::string write_fleet_html(const fleet_data& d) {
  const fleet_view v = build_fleet_view(d);
  fleet_groups g;
  std::string body;
  if (d.bundles == 0) {
    body +=
        "<p class=\"note\">This database holds no bundle yet: scan some with "
        "<code>migsleuth scan --db</code>.</p>\n";
  } else if (d.failures.empty()) {
    body += fmt::format("<p class=\"note\">No failed migration: all {} attempt(s) succeeded.</p>\n",
                        d.incidents);
  } else {
    body += "<section id=\"time\">\n<h2>Failures by class over time</h2>\n";
    body += fleet_time_chart(v, g);
    if (!v.no_time.empty()) {
      body += fmt::format(
          "<p class=\"muted\">{} failure(s) with no known start time are not in "
          "the chart.</p>\n",
          g.link("g-notime", "No known start time", v.no_time, " data-metric=\"no-time\""));
    }
    body +=
        "</section>\n<section id=\"hosts\">\n<h2>Source &times; destination</h2>\n"
        "<p class=\"muted\">Failures per host pair; the tag is the class most of them have."
        "</p>\n";
    body += fleet_matrix(d, v, g);
    body += "</section>\n";
    write_causes(body, v, g);
    write_templates(body, v, g);
  }
  std::string out;
  write_head(out, d, v, g);
  out += body;
  if (!d.failures.empty()) {
    write_groups(out, g);
    write_failures(out, d);
  }
  out += fmt::format("<footer>migsleuth {}</footer>\n</main>\n</body>\n</html>\n", h(d.version));
  return out;
}

}  // namespace migsleuth::report
