// scan/: findings tied to no attempt (report `findings[]`) in every scan
// output: JSONL lines with "record": "finding", the `findings` table, the
// summary, resume, shard + merge, and a database of the release before them.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "migsleuth/scan/scan.hpp"
#include "scan_support.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::scan;
namespace fs = std::filesystem;

namespace {

// A line pasted from a ticket: the catalog reads it (nova wraps libvirt's
// EOF, an EIO) but no cause rule explains it, and it names no instance.
std::string pasted_eof(const std::string& request) {
  return "2023-03-22 10:05:40.657 20779 ERROR nova.compute.manager [req-" + request +
         " - - - - -] Live Migration failure: End of file while reading data: "
         "Input/output error\n";
}

// The pasted fragment whose only recognisable line is a finding, a normal
// failed migration, a success, and two bundles with the same unexplained line.
void make_bundles(const test::temp_dir& dir) {
  const fs::path samples = fs::path(MIGSLEUTH_SOURCE_DIR) / "samples";
  fs::create_directories(dir.path / "cases");
  for (const char* s : {"fragment-rpc-no-instance", "network-port-refused", "success-with-noise"}) {
    fs::copy(samples / s / "bundle", dir.path / "cases" / s, fs::copy_options::recursive);
  }
  dir.write("cases/ticket-1/pasted.log", pasted_eof("e20743e3-a683-41ba-b47b-ba92e97eff37"));
  dir.write("cases/ticket-2/pasted.log", pasted_eof("0b5e9c1d-7f7a-4c55-9d0e-3c1b2a4f6e88"));
}

std::vector<std::string> finding_lines(const std::string& jsonl) {
  std::vector<std::string> out;
  for (const auto& l : test::split_lines(jsonl)) {
    if (l.rfind("{\"record\":\"finding\",", 0) == 0) out.push_back(l);
  }
  return out;
}

// Rows of one query, columns joined by '|'.
std::vector<std::string> query(const fs::path& db, const char* sql) {
  std::vector<std::string> rows;
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql, -1, &q, nullptr) == SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(q); ++c) {
      const auto* t = sqlite3_column_text(q, c);
      if (c > 0) row += '|';
      row += t == nullptr ? "NULL" : reinterpret_cast<const char*>(t);
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(q);
  sqlite3_close(h);
  return rows;
}

void exec(const fs::path& db, const char* sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  REQUIRE(sqlite3_exec(h, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(h);
}

constexpr const char* kFindingJson =
    "SELECT f.json FROM findings f JOIN bundles b ON b.id = f.bundle_id ORDER BY b.path, f.seq";

scan_options options(const test::temp_dir& dir, std::ostream& jsonl, unsigned jobs) {
  scan_options o;
  o.paths = {(dir.path / "cases").string()};
  o.jobs = jobs;
  o.jsonl = &jsonl;
  return o;
}

}  // namespace

TEST_CASE("scan: findings tied to no attempt reach JSONL, the database and the summary",
          "[scan]") {
  test::temp_dir dir("scan-findings");
  make_bundles(dir);
  const fs::path db = dir.path / "scan.sqlite";
  std::ostringstream jsonl;
  scan_options o = options(dir, jsonl, 2);
  o.db_path = db.string();
  const scan_result r = run_scan(o, test::scan_rules());
  REQUIRE(r.error.empty());

  // The fragment's line is a finding of its bundle, after that bundle's
  // (no) incidents; incident lines carry no "record".
  const auto found = finding_lines(jsonl.str());
  REQUIRE(found.size() == 3);
  const std::string fragment = (dir.path / "cases" / "fragment-rpc-no-instance").string();
  CHECK(found[0].find("\"bundle\":\"" + fragment + "\",\"error_template\":null,\"id\":\"find-") !=
        std::string::npos);
  CHECK(found[0].find("\"classification\":\"storage\",\"cause\":\"storage.destination-disk-"
                      "exists\"") != std::string::npos);
  CHECK(found[0].find("\"why_no_attempt\":") != std::string::npos);
  CHECK(found[0].find("\"confirm_commands\":[") != std::string::npos);
  const auto all = test::split_lines(jsonl.str());
  CHECK(all.size() == r.totals.incidents + 3);
  for (const auto& l : all) {
    if (l.find("\"record\"") == std::string::npos) {
      CHECK(l.rfind("{\"bundle\":", 0) == 0);
    }
  }
  // The unexplained pasted line: class unknown, grouped by its message.
  CHECK(found[1].find("\"error_template\":\"Live Migration failure: End of file while reading "
                      "data: Input/output error\",\"id\":\"find-") != std::string::npos);
  CHECK(found[1].find("\"classification\":\"unknown\",\"cause\":null") != std::string::npos);

  // The database holds the same objects, with the summary columns.
  CHECK(query(db, kFindingJson) == found);
  CHECK(query(db, "SELECT b.path, f.seq, f.classification, f.cause, f.error_template "
                  "FROM findings f JOIN bundles b ON b.id = f.bundle_id ORDER BY b.path")
            .front() == fragment + "|0|storage|storage.destination-disk-exists|NULL");
  CHECK(query(db, "SELECT findings FROM bundles ORDER BY path") ==
        std::vector<std::string>{"1", "0", "0", "1", "1"});

  const std::string text = format_summary(r.totals);
  CHECK(text.find("findings not tied to an attempt: 3 (2 unknown, 1 storage)\n") !=
        std::string::npos);
  CHECK(text.find("uncategorised (class unknown, findings included): 1 group(s)") !=
        std::string::npos);
  CHECK(text.find("        2  Live Migration failure: End of file while reading data: "
                  "Input/output error\n") != std::string::npos);

  // Resumed: nothing analyzed, the findings come back from the database.
  std::ostringstream again;
  o.jsonl = &again;
  o.jobs = 1;
  const scan_result resumed = run_scan(o, test::scan_rules());
  CHECK(resumed.totals.scanned == 0);
  CHECK(resumed.totals.resumed == 5);
  CHECK(again.str() == jsonl.str());
  CHECK(format_summary(resumed.totals).find("findings not tied to an attempt: 3 (2 unknown, "
                                            "1 storage)") != std::string::npos);
}

TEST_CASE("scan: shards with findings merged are one run, from JSONL and from databases",
          "[scan]") {
  test::temp_dir dir("scan-findings-shards");
  make_bundles(dir);
  std::ostringstream single;
  scan_options o = options(dir, single, 3);
  o.db_path = (dir.path / "single.sqlite").string();
  const scan_result one = run_scan(o, test::scan_rules());
  REQUIRE(one.error.empty());
  REQUIRE(finding_lines(single.str()).size() == 3);

  const auto [files, dbs] = test::run_shards(o, (dir.path / "shard").string(), 3);
  std::ostringstream merged;
  const merge_result mj = merge_jsonl(files, merged);
  REQUIRE(mj.error.empty());
  CHECK(mj.warnings.empty());  // finding lines are scan lines, not skipped
  CHECK(merged.str() == single.str());
  CHECK(format_summary(mj.totals).find("findings not tied to an attempt: 3 (2 unknown, 1 "
                                       "storage)") != std::string::npos);

  std::ostringstream from_db;
  const fs::path out = dir.path / "merged.sqlite";
  const merge_result md = merge_db(dbs, out.string(), &from_db);
  REQUIRE(md.error.empty());
  CHECK(from_db.str() == single.str());
  CHECK(md.totals.findings_by_class == one.totals.findings_by_class);
  CHECK(md.totals.unknown_templates == one.totals.unknown_templates);
  const fs::path single_db = dir.path / "single.sqlite";
  for (const char* sql : {"SELECT b.path, f.* FROM findings f JOIN bundles b ON b.id = "
                          "f.bundle_id ORDER BY b.path, f.seq",
                          "SELECT path, incidents, findings FROM bundles ORDER BY path"}) {
    CHECK(query(out, sql) == query(single_db, sql));
  }
}

TEST_CASE("scan: a database of the release before findings opens, and its bundles get them",
          "[scan]") {
  test::temp_dir dir("scan-findings-old-db");
  make_bundles(dir);
  const fs::path db = dir.path / "scan.sqlite";
  std::ostringstream first;
  scan_options o = options(dir, first, 2);
  o.db_path = db.string();
  REQUIRE(run_scan(o, test::scan_rules()).error.empty());
  // What that release's schema was: no findings table, no bundles.findings.
  exec(db, "DROP TABLE findings; ALTER TABLE bundles DROP COLUMN findings;");
  const auto incidents_before = query(db, "SELECT json FROM incidents ORDER BY bundle_id, seq");

  // A merge of such a database keeps what it has, and says its bundles have
  // no findings stored (NULL) rather than none.
  std::ostringstream merged_jsonl;
  const fs::path merged = dir.path / "merged.sqlite";
  const merge_result md = merge_db({db.string()}, merged.string(), &merged_jsonl);
  REQUIRE(md.error.empty());
  CHECK(md.totals.findings == 0);
  CHECK(query(merged, "SELECT count(*) FROM bundles WHERE findings IS NULL") ==
        std::vector<std::string>{"5"});

  // The scan opens it, adds what is missing, and analyzes its bundles again:
  // their stored rows hold no findings.
  std::ostringstream second;
  o.jsonl = &second;
  const scan_result upgraded = run_scan(o, test::scan_rules());
  REQUIRE(upgraded.error.empty());
  CHECK(upgraded.totals.scanned == 5);
  CHECK(second.str() == first.str());
  CHECK(query(db, "SELECT json FROM incidents ORDER BY bundle_id, seq") == incidents_before);
  CHECK(query(db, kFindingJson) == finding_lines(first.str()));

  // From then on it resumes as any database does.
  std::ostringstream third;
  o.jsonl = &third;
  const scan_result resumed = run_scan(o, test::scan_rules());
  CHECK(resumed.totals.resumed == 5);
  CHECK(third.str() == first.str());
}
