// The fleet page writer on hand-made rows: bar sizes, the dominant class of a
// host pair, escaping, and the pages of fleets with nothing to chart. The
// numbers against a real database are tests/scan/fleet_page.py.
#include <catch2/catch.hpp>

#include <string>

#include "migsleuth/report/fleet.hpp"

namespace {

using migsleuth::report::fleet_data;
using migsleuth::report::fleet_incident;
using migsleuth::report::write_fleet_html;

fleet_incident failure(std::string started, std::string cls, std::string src = "cmp-a",
                       std::string dst = "cmp-b") {
  fleet_incident f;
  f.bundle = "/cases/b1";
  f.id = "mig-" + started;
  f.source = std::move(src);
  f.destination = std::move(dst);
  f.started_at = std::move(started);
  f.outcome = "failed";
  f.classification = std::move(cls);
  f.summary = "failed";
  return f;
}

fleet_data fleet_of(std::vector<fleet_incident> failures) {
  fleet_data d;
  d.version = "0.0.0";
  d.database = "scan.sqlite";
  d.bundles = 1;
  d.incidents = failures.size();
  d.failures = std::move(failures);
  return d;
}

bool has(const std::string& page, const std::string& s) {
  return page.find(s) != std::string::npos;
}

}  // namespace

TEST_CASE("fleet page: one bar per day within two months", "[report][fleet]") {
  const std::string page =
      write_fleet_html(fleet_of({failure("2024-01-03T10:00:00.000000Z", "network"),
                                 failure("2024-01-03T11:00:00.000000Z", "network"),
                                 failure("2024-02-20T10:00:00.000000Z", "storage")}));
  CHECK(has(page, "data-bucket=\"2024-01-03\" data-class=\"network\" data-n=\"2\""));
  CHECK(has(page, "data-bucket=\"2024-02-20\" data-class=\"storage\" data-n=\"1\""));
  CHECK(has(page, "one bar per day"));
}

TEST_CASE("fleet page: past two months, one bar per ISO week, keyed by its Monday",
          "[report][fleet]") {
  // 2024-01-03 is a Wednesday, 2024-04-07 a Sunday: weeks of Monday 01-01 and 04-01.
  const std::string page =
      write_fleet_html(fleet_of({failure("2024-01-03T10:00:00.000000Z", "network"),
                                 failure("2024-04-07T23:59:59.000000Z", "network")}));
  CHECK(has(page, "data-bucket=\"2024-01-01\""));
  CHECK(has(page, "data-bucket=\"2024-04-01\""));
  CHECK(has(page, "one bar per ISO week"));
}

TEST_CASE("fleet page: past two years, one bar per month", "[report][fleet]") {
  const std::string page =
      write_fleet_html(fleet_of({failure("2022-01-15T10:00:00.000000Z", "capacity"),
                                 failure("2024-06-01T10:00:00.000000Z", "capacity")}));
  CHECK(has(page, "data-bucket=\"2022-01\""));
  CHECK(has(page, "data-bucket=\"2024-06\""));
  CHECK(has(page, "one bar per month"));
}

TEST_CASE("fleet page: a host pair's tag is its most frequent class, ties in the contract's order",
          "[report][fleet]") {
  // One network and one storage failure: storage comes first in the contract's enum.
  std::string page =
      write_fleet_html(fleet_of({failure("2024-01-03T10:00:00.000000Z", "network"),
                                 failure("2024-01-03T11:00:00.000000Z", "storage")}));
  CHECK(has(page,
            "data-metric=\"pair\" data-source=\"cmp-a\" data-destination=\"cmp-b\" "
            "data-dominant=\"storage\""));
  page = write_fleet_html(fleet_of({failure("2024-01-03T10:00:00.000000Z", "network"),
                                    failure("2024-01-03T11:00:00.000000Z", "network"),
                                    failure("2024-01-03T12:00:00.000000Z", "storage")}));
  CHECK(has(page, "data-dominant=\"network\">3</a>"));
}

TEST_CASE("fleet page: text from logs and paths is escaped everywhere", "[report][fleet]") {
  fleet_incident f = failure("2024-01-03T10:00:00.000000Z", "unknown", "<b>cmp", "cmp\"b");
  f.bundle = "/cases/<script>alert(1)</script>";
  f.summary = "x <img src=x onerror=alert(1)>";
  f.error_template = "error <NUM> <i>";
  f.example = "error 42 <i>";
  const std::string page = write_fleet_html(fleet_of({f}));
  CHECK_FALSE(has(page, "<script>"));
  CHECK_FALSE(has(page, "<img"));
  CHECK_FALSE(has(page, "<b>cmp"));
  CHECK_FALSE(has(page, "<i>\""));
  CHECK(has(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(has(page, "data-source=\"&lt;b&gt;cmp\" data-destination=\"cmp&quot;b\""));
  CHECK(has(page, "<pre>error 42 &lt;i&gt;</pre>"));
}

TEST_CASE("fleet page: an attempt with no start time is counted, not charted", "[report][fleet]") {
  const std::string page = write_fleet_html(fleet_of({failure("", "network")}));
  CHECK(has(page, "data-metric=\"no-time\""));
  CHECK_FALSE(has(page, "<svg"));
}

TEST_CASE("fleet page: empty fleets say so instead of drawing nothing", "[report][fleet]") {
  fleet_data empty;
  std::string page = write_fleet_html(empty);
  CHECK(has(page, "holds no bundle"));
  CHECK_FALSE(has(page, "<svg"));
  CHECK(has(page, "</html>\n"));
  fleet_data fine = fleet_of({});
  fine.incidents = 4;
  page = write_fleet_html(fine);
  CHECK(has(page, "No failed migration: all 4 attempt(s) succeeded."));
}
