// scan/: template masking and grouping, shards, the ordered worker pool,
// JSONL == database, resume, and shard + merge == one run.
#include <sqlite3.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "migsleuth/scan/scan.hpp"
#include "scan_support.hpp"
#include "temp_dir.hpp"
#include "../../../scan/src/bundle_pool.hpp"

using namespace migsleuth;
using namespace migsleuth::scan;
namespace fs = std::filesystem;

TEST_CASE("mask_template masks ids, numbers, addresses, paths and hosts", "[scan]") {
  const std::vector<std::string> hosts = {"cmp-b", "cmp-b1"};
  CHECK(mask_template("Live Migration failure: unable to connect to server at 'cmp-b:49152': "
                      "Connection refused",
                      hosts) ==
        "Live Migration failure: unable to connect to server at '<HOST>:<NUM>': Connection "
        "refused");
  CHECK(mask_template("instance 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11 on cmp-b1 took 12.5 s",
                      hosts) == "instance <UUID> on <HOST> took <NUM> s");
  CHECK(mask_template("connect to 10.0.0.12:16509 failed errno=111", {}) ==
        "connect to <IP>:<NUM> failed errno=<NUM>");
  CHECK(mask_template("cannot open /var/lib/nova/instances/abc/disk: Permission denied", {}) ==
        "cannot open <PATH>: Permission denied");
  CHECK(mask_template("domain instance-0000002a pointer 0x7f3a9c", {}) ==
        "domain instance-<HEX> pointer <HEX>");
  // Words keep their digits: ipv4, vda1 are names, not values.
  CHECK(mask_template("ipv4   on vda1", {}) == "ipv4 on vda1");
  // The same error on two hosts is one template.
  const std::vector<std::string> a = {"cmp-a"}, b = {"node-7"};
  CHECK(mask_template("Timed out on cmp-a after 30 s", a) ==
        mask_template("Timed out on node-7 after 300 s", b));
}

TEST_CASE("group_templates merges templates that differ in a few words", "[scan]") {
  const std::map<std::string, std::uint64_t> counts = {
      {"Disk quota exceeded on volume alpha", 3},
      {"Disk quota exceeded on volume beta", 2},
      {"Something else entirely", 1},
  };
  const auto groups = group_templates(counts);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].tpl == "Disk quota exceeded on volume <*>");
  CHECK(groups[0].count == 5);
  CHECK(groups[0].variants == 2);
  CHECK(groups[1].tpl == "Something else entirely");
}

TEST_CASE("shards are a deterministic partition", "[scan]") {
  shard s;
  CHECK(parse_shard("2/3", s));
  CHECK(s.index == 2);
  CHECK(s.count == 3);
  CHECK_FALSE(parse_shard("0/3", s));
  CHECK_FALSE(parse_shard("4/3", s));
  CHECK_FALSE(parse_shard("1/0", s));
  CHECK_FALSE(parse_shard("x/3", s));
  CHECK_FALSE(parse_shard("3", s));
  // FNV-1a 64 of "a": a fixed value, so shards agree across machines and builds.
  CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cULL);
  for (int i = 0; i < 200; ++i) {
    bundle b;
    b.name = "bundle-" + std::to_string(i);
    b.path = "/mnt/a/" + b.name;
    int owners = 0;
    for (std::uint32_t k = 1; k <= 4; ++k) owners += in_shard(b, {k, 4}) ? 1 : 0;
    CHECK(owners == 1);
    bundle moved = b;  // another mount point: same shard
    moved.path = "/data/" + b.name;
    CHECK(in_shard(moved, {2, 4}) == in_shard(b, {2, 4}));
  }
}

TEST_CASE("the worker pool emits in order and stops on a prefix", "[scan]") {
  constexpr std::size_t kN = 30;
  std::vector<std::size_t> order;
  pool_hooks h;
  h.skip = [](std::size_t i) { return i % 7 == 3; };
  h.work = [](std::size_t i) {
    std::this_thread::sleep_for(std::chrono::microseconds((kN - i) * 100));
    bundle_result r;
    r.reason = std::to_string(i);
    return r;
  };
  h.emit = [&](std::size_t i, bundle_result* r) {
    if (r != nullptr) CHECK(r->reason == std::to_string(i));
    CHECK((r == nullptr) == (i % 7 == 3));
    order.push_back(i);
    return true;
  };
  h.tick = [] {};
  CHECK(run_bundles(kN, 3, nullptr, h));
  REQUIRE(order.size() == kN);
  for (std::size_t i = 0; i < kN; ++i) CHECK(order[i] == i);

  std::atomic<bool> stop{false};
  order.clear();
  h.emit = [&](std::size_t i, bundle_result*) {
    order.push_back(i);
    if (i == 5) stop = true;
    return true;
  };
  CHECK_FALSE(run_bundles(kN, 2, &stop, h));
  REQUIRE(order.size() >= 6);
  CHECK(order.size() < kN);
  for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
}

TEST_CASE("the worker pool survives a throwing analysis: that bundle is an error", "[scan]") {
  pool_hooks h;
  h.skip = [](std::size_t) { return false; };
  h.work = [](std::size_t i) -> bundle_result {
    if (i == 2) throw std::bad_alloc();
    if (i == 4) throw 42;  // not even a std::exception
    return bundle_result{};
  };
  std::vector<std::string> statuses;
  h.emit = [&](std::size_t, bundle_result* r) {
    statuses.push_back(r->status + ":" + r->reason);
    return true;
  };
  h.tick = [] {};
  for (const unsigned jobs : {1U, 3U}) {
    statuses.clear();
    CHECK(run_bundles(6, jobs, nullptr, h));
    REQUIRE(statuses.size() == 6);
    CHECK(statuses[1] == "ok:");
    CHECK(statuses[2] == "error:out of memory while analyzing this bundle");
    CHECK(statuses[4] == "error:the analysis failed unexpectedly");
  }
}

TEST_CASE("the worker pool: an exception of the writer leaves after the workers are joined",
          "[scan]") {
  pool_hooks h;
  h.skip = [](std::size_t) { return false; };
  h.work = [](std::size_t) { return bundle_result{}; };
  h.emit = [](std::size_t i, bundle_result*) -> bool {
    if (i == 3) throw std::bad_alloc();
    return true;
  };
  h.tick = [] {};
  CHECK_THROWS_AS(run_bundles(20, 4, nullptr, h), std::bad_alloc);
}

namespace {

// A folder of bundles copied from samples/ (each sample's bundle, twice).
fs::path make_bundles(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("migsleuth-scan-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path samples = fs::path(MIGSLEUTH_SOURCE_DIR) / "samples";
  for (const char* s : {"network-port-refused", "cpu-precheck-dest", "success-with-noise"}) {
    if (!fs::exists(samples / s / "bundle")) continue;
    for (const char* copy : {"-1", "-2"}) {
      fs::copy(samples / s / "bundle", dir / (std::string(s) + copy), fs::copy_options::recursive);
    }
  }
  return dir;
}

std::vector<std::string> db_json(const fs::path& db) {
  std::vector<std::string> lines;
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(h,
                             "SELECT i.json FROM incidents i JOIN bundles b ON b.id = i.bundle_id "
                             "ORDER BY b.path, i.seq",
                             -1, &q, nullptr) == SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    lines.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  }
  sqlite3_finalize(q);
  sqlite3_close(h);
  return lines;
}

}  // namespace

TEST_CASE("scan writes the same incidents to JSONL and the database, and resumes", "[scan]") {
  const fs::path dir = make_bundles("db");
  const fs::path db = dir.string() + ".sqlite";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);

  std::ostringstream jsonl;
  scan_options o;
  o.paths = {dir.string()};
  o.jobs = 2;
  o.jsonl = &jsonl;
  o.db_path = db.string();
  const scan_result first = run_scan(o, test::scan_rules());
  REQUIRE(first.error.empty());
  CHECK(first.totals.bundles == 6);
  CHECK(first.totals.scanned == 6);
  CHECK(first.totals.incidents >= 6);
  const auto lines = test::split_lines(jsonl.str());
  CHECK(lines.size() == first.totals.incidents);
  CHECK(db_json(db) == lines);

  // Again: nothing analyzed, the same JSONL from the database.
  std::ostringstream again;
  o.jsonl = &again;
  o.jobs = 1;
  const scan_result second = run_scan(o, test::scan_rules());
  CHECK(second.totals.scanned == 0);
  CHECK(second.totals.resumed == 6);
  CHECK(again.str() == jsonl.str());
  CHECK(format_summary(second.totals).find("incidents: " +
                                           std::to_string(first.totals.incidents)) !=
        std::string::npos);

  // A bundle that changed is analyzed again; --rescan analyzes all.
  const fs::path touched = dir / "cpu-precheck-dest-2";
  fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::hours(1));
  std::ostringstream third;
  o.jsonl = &third;
  CHECK(run_scan(o, test::scan_rules()).totals.scanned == 1);
  CHECK(third.str() == jsonl.str());
  o.rescan = true;
  CHECK(run_scan(o, test::scan_rules()).totals.scanned == 6);
  CHECK(db_json(db) == lines);
}

TEST_CASE("shards merged are one run, from JSONL and from databases", "[scan]") {
  const fs::path dir = make_bundles("shards");
  std::ostringstream single;
  scan_options o;
  o.paths = {dir.string()};
  o.jobs = 2;
  o.jsonl = &single;
  REQUIRE(run_scan(o, test::scan_rules()).error.empty());

  const auto [files, dbs] = test::run_shards(o, dir.string() + "-shard", 3);
  std::ostringstream merged;
  const merge_result mj = merge_jsonl(files, merged);
  REQUIRE(mj.error.empty());
  CHECK(mj.warnings.empty());
  CHECK(merged.str() == single.str());

  std::ostringstream from_db;
  // merge_db fills a new file (app/ hands it a temporary and renames it).
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(dir.string() + "-merged.sqlite" + suffix);
  const merge_result md = merge_db(dbs, dir.string() + "-merged.sqlite", &from_db);
  REQUIRE(md.error.empty());
  CHECK(from_db.str() == single.str());
  CHECK(md.totals.bundles == 6);
  CHECK(md.totals.by_cause == mj.totals.by_cause);
  CHECK(db_json(dir.string() + "-merged.sqlite") == test::split_lines(single.str()));
}

TEST_CASE("scan: a stop request ends the bundle in flight, which is not written", "[scan]") {
  // A bundle that takes a while to read (96 MiB of DEBUG lines), then a sample.
  // Without the stop reaching the read loop, it would be read to its end and
  // written, and the scan would stop after it.
  test::temp_dir dir("scan-stop");
  std::string big;
  const std::string line =
      "2024-05-21 14:00:00.000 3012 DEBUG oslo_service.periodic_task [req-3b0cb860-5c4d-4825-"
      "bbcb-1394e17dd560 - - - - -] Running periodic task ComputeManager._poll x\n";
  while (big.size() < (96U << 20)) big += line;
  dir.write("a-slow/cmp-a/var/log/nova/nova-compute.log", big);
  big.clear();
  std::filesystem::copy(std::filesystem::path(MIGSLEUTH_SOURCE_DIR) /
                            "samples/network-port-refused/bundle",
                        dir.path / "b-sample", std::filesystem::copy_options::recursive);
  std::atomic<bool> stop{false};
  scan_options o;
  o.paths = {dir.path.string()};
  o.jobs = 1;
  o.ingest.split_bytes = 0;
  o.stop = &stop;
  std::ostringstream jsonl;
  o.jsonl = &jsonl;
  // Stop while the slow bundle is being read: its head was just probed.
  o.ingest.keep_text = [&](std::string_view path, std::string_view) {
    if (path.find("a-slow") != std::string_view::npos) stop = true;
    return false;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const scan_result r = run_scan(o, test::scan_rules());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r.interrupted);
  CHECK(r.totals.scanned == 0);
  CHECK(jsonl.str().empty());
  CHECK(seconds < 30);
}
