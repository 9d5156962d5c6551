// What the scan tests share: the embedded rule packs, loaded once for the
// test binary, and a scan run as shards.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "migsleuth/pipeline/pipeline.hpp"
#include "migsleuth/scan/scan.hpp"

namespace migsleuth::test {

inline const pipeline::rule_packs& scan_rules() {
  static const pipeline::rule_packs r = [] {
    diags errors;
    auto p = pipeline::load_rules({}, errors);
    REQUIRE(errors.empty());
    return p;
  }();
  return r;
}

// The lines of a JSONL text, without their '\n'.
inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

struct shard_outputs {
  std::vector<std::string> jsonl, db;  // per shard, in shard order
};

// Runs `o` as `shards` shards; shard k writes PREFIX<k>.jsonl and
// PREFIX<k>.sqlite (a database left there by an earlier run is removed first).
inline shard_outputs run_shards(const scan::scan_options& o, const std::string& prefix,
                                std::uint32_t shards) {
  shard_outputs out;
  for (std::uint32_t k = 1; k <= shards; ++k) {
    const std::string base = prefix + std::to_string(k);
    std::ofstream jsonl(base + ".jsonl", std::ios::binary | std::ios::trunc);
    for (const char* suffix : {".sqlite", ".sqlite-wal", ".sqlite-shm"}) {
      std::filesystem::remove(base + suffix);
    }
    scan::scan_options s = o;
    s.part = {k, shards};
    s.jsonl = &jsonl;
    s.db_path = base + ".sqlite";
    REQUIRE(scan::run_scan(s, scan_rules()).error.empty());
    out.jsonl.push_back(base + ".jsonl");
    out.db.push_back(base + ".sqlite");
  }
  return out;
}

}  // namespace migsleuth::test
