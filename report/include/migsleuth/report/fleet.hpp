// The fleet page: one self-contained HTML page over a scan database (README
// "Scanning a fleet"): failures by class over time, a source x destination
// matrix, top causes, uncategorised error templates, and the list of failed
// attempts every number links to.
//
// What it does not do: read the database (scan/ fills fleet_data from it,
// `load_fleet`) or decide anything. Every count on the page is computed here
// from `failures`, so the page says exactly what the rows say; the tests
// compare each number with an SQL query over the same database.
//
//   fleet_data d = ...;  // scan::load_fleet(db, d, error)
//   std::string page = write_fleet_html(d);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migsleuth::report {

// One attempt that did not succeed (incidents.outcome <> 'succeeded'), as the
// database row holds it; empty strings for NULLs.
struct fleet_incident {
  std::string bundle;  // bundles.path
  std::string id, instance, instance_name, source, destination;
  std::string started_at;  // RFC 3339 UTC, or empty when unknown
  std::string outcome, classification, cause, summary;
  std::string error_template;  // only when classified unknown
  std::string example;         // for a template: one of its cited lines, as logged
};

struct fleet_data {
  std::string version;   // of the tool writing the page
  std::string database;  // the path shown in the title (as given)
  std::uint64_t bundles = 0, bad_bundles = 0;
  std::uint64_t incidents = 0;  // all attempts, succeeded ones included
  std::uint64_t findings = 0;   // recognised lines tied to no attempt
  // Ordered by start time (unknown last), then bundle path, then the
  // bundle's own order: the order of the page's incident list.
  std::vector<fleet_incident> failures;
  // bundle path -> href of its per-bundle HTML report (incident ids are its
  // anchors); bundles not in it are shown by path only.
  std::map<std::string, std::string> bundle_pages;
};

std::string write_fleet_html(const fleet_data& d);

}  // namespace migsleuth::report
