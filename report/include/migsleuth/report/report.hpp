// Report writers: inputs + incidents + verdicts -> JSON (report-v1 contract)
// or human text. Writers only format; they decide nothing and read no file.
// Output is deterministic: no wall-clock time, stable order everywhere.
//
//   report_data r{version, inputs, incidents, verdicts};
//   std::string json = write_json(r);
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/host.hpp"
#include "migsleuth/core/json_escape.hpp"
#include "migsleuth/core/deployment.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::report {

struct report_data {
  std::string version;
  std::span<const input> inputs;
  std::span<const incident> incidents;
  std::span<const verdict> verdicts;  // one per incident, same order
  std::span<const loose_finding> findings = {};  // recognised lines no attempt holds
  std::span<const host_identity> hosts = {};     // each host's one name and its aliases
  std::span<const std::string> host_refusals = {};  // joins kept apart (--explain)
  // Each host's deployment, which the confirm commands are written for
  // (JSON `deployments[]`; text and markdown say it before the commands).
  std::span<const host_deployment> deployments = {};
  // Threads that may render the JSON report's inputs (the analysis's --jobs;
  // 0: one per core). The bytes are the same for any value.
  unsigned jobs = 1;
};

std::string write_json(const report_data& r);
// The same bytes, given to `sink` in pieces as they are made (about 1 MiB
// each): what a run of a million inputs writes is never held whole.
using json_sink = std::function<void(std::string_view)>;
void write_json(const report_data& r, const json_sink& sink);

enum class color_mode : std::uint8_t { never, always };
std::string write_text(const report_data& r, color_mode color);

// Ticket-ready markdown (GitHub, GitLab, Jira): the text report's story with
// log lines and commands in code blocks; everything from logs escaped.
std::string write_markdown(const report_data& r);

// One self-contained HTML page (inline CSS and SVG, no script, no external
// fetch): inputs table, and per incident the verdict, a swimlane timeline of
// both hosts (skew-corrected), a convergence plot when there are progress or
// job samples, evidence, commands and remediation.
std::string write_html(const report_data& r);

// `analyze --explain` (plain text, for stderr): why each input got its kind
// and host, how each incident's roles were decided, and per incident the
// rules that fired (primary, secondary) and those that nearly fired.
// `traces[i]` is rule_book::explain() of incident i, `decoded[i]` its
// rule_book::decode_lines() (the catalog's reading of each line).
std::string write_explain(const report_data& r,
                          std::span<const std::vector<classifiers::rule_trace>> traces,
                          std::span<const std::vector<classifiers::line_decoding>> decoded);

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
// One top-level `findings[]` entry (a recognised line no attempt holds) as a
// single-line JSON object, ending in '\n': the same object `analyze` writes,
// after `leading` fields such as the record kind and the bundle.
std::string write_finding_line(const loose_finding& lf, std::span<const input> inputs,
                               std::span<const leading_field> leading);

// JSON string body escaping; invalid UTF-8 becomes U+FFFD so output is valid JSON.
using migsleuth::append_json_escaped;

}  // namespace migsleuth::report
