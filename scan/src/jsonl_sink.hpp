// JSONL: one contract incident per line, with "bundle" and "error_template"
// first, then the bundle's findings (report `findings[]` entries) with
// "record": "finding" before those two. Written in bundle order; read back
// by merge.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "bundle_result.hpp"

namespace migsleuth::scan {

void write_jsonl(std::ostream& out, const bundle_result& r);
void write_jsonl_line(std::ostream& out, std::string_view json);
// What merge needs of one line: its bundle and the summary fields of the
// incident or finding it holds.
struct jsonl_record {
  std::string bundle;
  bool is_finding = false;
  incident_row incident;
  finding_row finding;
};
// False if it is not a scan line (not JSON, no "bundle", an incident with no
// outcome, a finding with no classification). A line with no "record" is an
// incident, as every line of a release before findings were written is.
bool parse_jsonl_line(std::string_view line, jsonl_record& rec);

}  // namespace migsleuth::scan
