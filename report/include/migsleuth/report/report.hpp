// Report writers: inputs + incidents + verdicts -> JSON (report-v1 contract)
// or human text. Writers only format; they decide nothing and read no file.
// Output is deterministic: no wall-clock time, stable order everywhere.
//
//   report_data r{version, inputs, incidents, verdicts};
//   std::string json = write_json(r);
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::report {

struct report_data {
  std::string version;
  std::span<const input> inputs;
  std::span<const incident> incidents;
  std::span<const verdict> verdicts;  // one per incident, same order
};

std::string write_json(const report_data& r);

enum class color_mode : std::uint8_t { never, always };
std::string write_text(const report_data& r, color_mode color);

// One incident as a single-line JSON object (JSONL), ending in '\n': the
// contract's incident fields, after `leading` string fields (empty = null)
// such as the bundle it came from.
struct leading_field {
  std::string_view name;
  std::string_view value;
};
std::string write_incident_line(const incident& inc, const verdict& v,
                                std::span<const input> inputs,
                                std::span<const leading_field> leading);

// JSON string body escaping; invalid UTF-8 becomes U+FFFD so output is valid JSON.
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace migsleuth::report
