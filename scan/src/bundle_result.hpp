// One analyzed bundle, reduced to what the outputs keep: rows for the
// database, one JSON line per incident and per finding. The pipeline's analysis (events,
// timelines) is dropped as soon as this is built, which is what bounds a
// scan's memory to the bundles in flight.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "migsleuth/scan/scan.hpp"

namespace migsleuth::scan {

struct evidence_row {
  std::string host, path;
  std::int64_t line = 0;
  std::string time;  // RFC 3339, empty when unknown
  std::string text, rule;
};

struct incident_record {
  incident_row row;
  std::string id, instance_uuid, instance_name, request_id, migration_id;
  std::string started_at, ended_at;  // RFC 3339 or empty
  double confidence = 0;
  std::string summary;
  std::string json;  // the JSONL line, without its '\n'
  std::vector<evidence_row> evidence;
};

// A recognised line no attempt holds (report `findings[]`).
struct finding_record {
  finding_row row;
  std::string id;
  double confidence = 0;
  std::string summary;
  std::string json;  // the JSONL line, without its '\n'
};

struct input_row {
  std::string path, host, kind, compression;
  std::uint64_t lines = 0, skipped_lines = 0;
  bool unreadable = false;
  std::string warnings;  // one per line
};

struct bundle_result {
  std::string status = "ok";  // ok | unreadable (an input could not be read) |
                              // unusable (nothing recognized, read errors) | error
  std::string reason;
  // The stop request (SIGINT/SIGTERM) cut its analysis short: it is not
  // written anywhere, and the scan stops before it.
  bool interrupted = false;
  std::vector<input_row> inputs;
  std::vector<incident_record> incidents;
  std::vector<finding_record> findings;  // after the incidents, in the report's order
};

}  // namespace migsleuth::scan
