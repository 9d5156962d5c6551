// Reading uses simdjson (already a dependency of the parsers): merge reads
// every line of every shard, and the fields it needs are a handful.
#include "jsonl_sink.hpp"

#include <simdjson.h>

namespace migsleuth::scan {

void write_jsonl_line(std::ostream& out, std::string_view json) {
  out.write(json.data(), static_cast<std::streamsize>(json.size()));
  out.put('\n');
}

void write_jsonl(std::ostream& out, const bundle_result& r) {
  for (const auto& inc : r.incidents) write_jsonl_line(out, inc.json);
  for (const auto& f : r.findings) write_jsonl_line(out, f.json);
  // A bundle is the unit of progress: whoever reads the stream sees it whole.
  out.flush();
}

namespace {

// A string member, or empty when null or absent.
bool field(simdjson::ondemand::object& obj, std::string_view key, std::string& out) {
  out.clear();
  simdjson::ondemand::value v;
  if (obj.find_field_unordered(key).get(v) != simdjson::SUCCESS) return false;
  simdjson::ondemand::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS) return false;
  if (t == simdjson::ondemand::json_type::null) return true;
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return false;
  out.assign(s);
  return true;
}

}  // namespace

bool parse_jsonl_line(std::string_view line, jsonl_record& rec) {
  thread_local simdjson::ondemand::parser parser;  // reused: merge calls this per line
  const simdjson::padded_string padded(line);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return false;
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return false;
  if (!field(obj, "bundle", rec.bundle) || rec.bundle.empty()) return false;
  std::string record;
  field(obj, "record", record);
  if (record == "finding") {
    rec.is_finding = true;
    auto& f = rec.finding;
    field(obj, "error_template", f.error_template);
    field(obj, "classification", f.classification);
    field(obj, "cause", f.cause);
    return !f.classification.empty();
  }
  if (!record.empty()) return false;  // a kind of line this release does not know
  auto& row = rec.incident;
  field(obj, "error_template", row.error_template);
  field(obj, "outcome", row.outcome);
  field(obj, "source_host", row.source);
  field(obj, "destination_host", row.destination);
  field(obj, "classification", row.classification);
  field(obj, "cause", row.cause);
  return !row.outcome.empty();
}

}  // namespace migsleuth::scan
