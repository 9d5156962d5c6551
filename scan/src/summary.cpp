// The scan summary: counts that show which causes dominate, and the
// uncategorised bucket that makes a new failure mode visible as one group.
// Built from incident_rows and finding_rows only, so a merge of shards (from JSONL or from
// databases) prints exactly what one run prints.
#include <fmt/format.h>

#include <algorithm>

#include "migsleuth/scan/scan.hpp"

namespace migsleuth::scan {
namespace {

constexpr std::size_t kTopRows = 20;  // per section; the database has the rest

std::string human_bytes(std::uint64_t b) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  auto v = static_cast<double>(b);
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", b) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

void section(std::string& out, std::string_view title,
             const std::map<std::string, std::uint64_t>& counts) {
  if (counts.empty()) return;
  std::vector<std::pair<std::string, std::uint64_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::size_t width = 0;
  for (std::size_t i = 0; i < rows.size() && i < kTopRows; ++i) {
    width = std::max(width, rows[i].first.size());
  }
  out += fmt::format("{}:\n", title);
  for (std::size_t i = 0; i < rows.size() && i < kTopRows; ++i) {
    out += fmt::format("  {:<{}}  {:>7}\n", rows[i].first, width, rows[i].second);
  }
  if (rows.size() > kTopRows) out += fmt::format("  ... {} more\n", rows.size() - kTopRows);
}

}  // namespace

void summary::add(const incident_row& r) {
  ++incidents;
  ++by_outcome[r.outcome];
  if (r.outcome == "succeeded") return;
  // Classes, causes and host pairs are about attempts that did not succeed.
  ++by_class[r.classification.empty() ? "unknown" : r.classification];
  ++by_cause[r.cause.empty() ? "(no rule: " + (r.classification.empty() ? std::string("unknown")
                                                                           : r.classification) +
                                   ")"
                             : r.cause];
  ++by_host_pair[(r.source.empty() ? "?" : r.source) + " -> " +
                 (r.destination.empty() ? "?" : r.destination)];
  if (r.classification == "unknown") ++unknown_templates[r.error_template];
}

void summary::add(const finding_row& f) {
  ++findings;
  ++findings_by_class[f.classification.empty() ? "unknown" : f.classification];
  // A line no rule explains is the same news whether an attempt holds it or not.
  if (f.classification.empty() || f.classification == "unknown") {
    ++unknown_templates[f.error_template];
  }
}

std::string format_summary(const summary& s) {
  std::string out;
  if (s.bundle_counts) {
    out += fmt::format("bundles: {} ({} analyzed, {} already in the database", s.bundles,
                       s.scanned, s.resumed);
    out += fmt::format(", {} bad), {}\n", s.bad.size(), human_bytes(s.bytes));
  }
  out += fmt::format("incidents: {}", s.incidents);
  for (const char* o : {"failed", "stuck", "unknown", "succeeded"}) {
    if (const auto it = s.by_outcome.find(o); it != s.by_outcome.end()) {
      out += fmt::format(", {} {}", it->second, o);
    }
  }
  out += '\n';
  if (s.findings > 0) {
    // Most frequent class first, then by name: the same line for any run order.
    std::vector<std::pair<std::string, std::uint64_t>> classes(s.findings_by_class.begin(),
                                                               s.findings_by_class.end());
    std::stable_sort(classes.begin(), classes.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out += fmt::format("findings not tied to an attempt: {} (", s.findings);
    for (std::size_t i = 0; i < classes.size(); ++i) {
      out += fmt::format("{}{} {}", i == 0 ? "" : ", ", classes[i].second, classes[i].first);
    }
    out += ")\n";
  }
  section(out, "not succeeded, by class", s.by_class);
  section(out, "not succeeded, by cause", s.by_cause);
  section(out, "not succeeded, by host pair (source -> destination)", s.by_host_pair);
  if (!s.unknown_templates.empty()) {
    const auto groups = group_templates(s.unknown_templates);
    out += fmt::format("uncategorised (class unknown{}): {} group(s) by error template\n",
                       s.findings_by_class.count("unknown") != 0 ? ", findings included" : "",
                       groups.size());
    for (std::size_t i = 0; i < groups.size() && i < kTopRows; ++i) {
      const auto& g = groups[i];
      out += fmt::format("  {:>7}  {}{}\n", g.count,
                         g.tpl.empty() ? std::string("(no error line)") : g.tpl,
                         g.variants > 1 ? fmt::format("  [{} variants]", g.variants) : "");
    }
    if (groups.size() > kTopRows) out += fmt::format("  ... {} more\n", groups.size() - kTopRows);
  }
  if (!s.bad.empty()) {
    out += "bad bundles (reported, skipped or partly read):\n";
    for (const auto& b : s.bad) out += fmt::format("  {}: {}: {}\n", b.path, b.status, b.reason);
  }
  if (!s.skipped.empty()) {
    out += "not bundles (skipped):\n";
    for (const auto& p : s.skipped) out += fmt::format("  {}: {}\n", p.path, p.reason);
  }
  return out;
}

}  // namespace migsleuth::scan
