// JSONL: one contract incident per line, with "bundle" and "error_template"
// first. Written in bundle order; read back by merge.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "bundle_result.hpp"

namespace migsleuth::scan {

void write_jsonl(std::ostream& out, const bundle_result& r);
void write_jsonl_line(std::ostream& out, std::string_view json);
// The bundle and the summary fields of one line; false if it is not a
// scan line (not JSON, or no "bundle").
bool parse_jsonl_line(std::string_view line, std::string& bundle, incident_row& row);

}  // namespace migsleuth::scan
