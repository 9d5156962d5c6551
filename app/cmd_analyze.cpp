// `migsleuth analyze`: ingest -> correlate -> classify -> report.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <set>

#include "commands.hpp"
#include "utc_when.hpp"
#include "stdin_spool.hpp"
#include "input_guard.hpp"
#include "option_limits.hpp"
#include "report_output.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "migsleuth/report/report.hpp"
#include "migsleuth_version.hpp"

namespace migsleuth::app {
namespace {

bool parse_offset(std::string_view s, std::int64_t& seconds) {
  // "+HH:MM", "-HHMM", "+HH", "UTC", "Z"
  if (s == "UTC" || s == "Z" || s == "utc") {
    seconds = 0;
    return true;
  }
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  const int sign = s[0] == '-' ? -1 : 1;
  std::string digits;
  for (char c : s.substr(1)) {
    if (c == ':') continue;
    if (c < '0' || c > '9') return false;
    digits += c;
  }
  if (digits.size() != 2 && digits.size() != 4) return false;
  const int h = std::stoi(digits.substr(0, 2));
  const int m = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
  if (h > 14 || m > 59) return false;
  seconds = sign * (h * 3600 + m * 60);
  return true;
}


// Options that matched nothing are errors (exit 2, no report): a typo in a
// host name or a UUID would otherwise read as "nothing there". Each says
// what does exist.
bool unmatched_options(const analyze_options& opt, const pipeline::analysis& data) {
  std::set<std::string> hosts;
  for (const auto& in : data.inputs) {
    if (!in.host.empty()) hosts.insert(in.host);
  }
  std::string known;
  for (const auto& h : hosts) known += (known.empty() ? "" : ", ") + h;
  // Files are attributed under the name they were filed under, which the
  // report may print as another spelling of the host: any spelling matches.
  std::set<std::string> spellings = hosts;
  for (const auto& h : data.hosts) {
    for (const auto& a : h.aliases) spellings.insert(a.name);
  }
  bool any = false;
  for (const auto& tz : opt.time_zones) {
    const std::string host = tz.substr(0, tz.find('='));
    if (spellings.count(host) == 0) {
      fmt::print(stderr, "error: --tz {}: no input is attributed to host '{}'; hosts: {}\n", tz,
                 host, known.empty() ? "none (no file was attributed to a host)" : known);
      any = true;
    }
  }
  if (!opt.instance.empty() && data.incidents.empty()) {
    std::string attempts;
    for (const auto& a : data.attempted) attempts += "\n  " + a;
    fmt::print(stderr,
               "error: --instance {}: no migration attempt of that instance UUID or domain in "
               "the data{}{}\n",
               opt.instance,
               opt.since.empty() && opt.until.empty() ? "" : " (within --since/--until)",
               attempts.empty() ? "; no migration attempt was found at all"
                                : "; attempts found:" + attempts);
    any = true;
  }
  return any;
}

void print_diags(const diags& ds) {
  for (const auto& d : ds) fmt::print(stderr, "{}", format_diag(d));
}

}  // namespace

int run_analyze(const analyze_options& given) {
  analyze_options opt = given;
  settle_output(opt);
  ingest::ingest_options in;
  in.paths = opt.paths;
  if (std::count(opt.paths.begin(), opt.paths.end(), "-") > 1) {
    fmt::print(stderr, "error: '-' (standard input) may be given once\n");
    return kExitUsage;
  }
  in.jobs = effective_jobs(opt.jobs, "analyze");
  in.max_decompressed_bytes = opt.max_decompressed;
  in.max_line_bytes = opt.max_line;
  for (const auto& tz : opt.time_zones) {
    const auto eq = tz.find('=');
    std::int64_t off = 0;
    if (eq == std::string::npos || !parse_offset(std::string_view(tz).substr(eq + 1), off)) {
      fmt::print(stderr, "error: --tz '{}' is not HOST=+HH:MM\n", tz);
      return kExitUsage;
    }
    in.time_zones.push_back({tz.substr(0, eq), off});
  }
  std::vector<std::string> formats;
  if (std::string why; !parse_formats(opt.format, formats, why)) {
    fmt::print(stderr, "error: {}\n", why);
    return kExitUsage;
  }
  if (!opt.output.empty()) {  // before anything is read: never write an input
    std::vector<output_target> outputs;
    for (const auto& f : formats) {
      outputs.push_back({"-o", output_path(opt.output, f, formats.size() > 1)});
    }
    std::vector<std::string> inputs = opt.paths;
    inputs.insert(inputs.end(), opt.rule_dirs.begin(), opt.rule_dirs.end());
    if (const int rc = check_outputs(outputs, inputs); rc != kExitOk) return rc;
  }
  correlate::options co;
  co.instance = opt.instance;
  if (!parse_when(opt.since, co.since) || !parse_when(opt.until, co.until)) {
    fmt::print(stderr, "error: --since/--until take 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC)\n");
    return kExitUsage;
  }

  // Read after every usage check: a refused command line consumes nothing.
  stdin_spool piped;
  if (std::find(opt.paths.begin(), opt.paths.end(), "-") != opt.paths.end()) {
    if (std::string why; !piped.fill(why)) {
      fmt::print(stderr, "error: {}\n", why);
      return kExitUsage;
    }
    in.stdin_path = piped.path();
  }

  diags errors;
  const pipeline::rule_packs rules = pipeline::load_rules(opt.rule_dirs, errors);
  if (!errors.empty()) {
    print_diags(errors);
    fmt::print(stderr, "error: rule packs did not load; run `migsleuth rules lint` for details\n");
    return kExitUsage;
  }

  // Out of memory is a result, not a crash: the user learns which run needs
  // more than the machine has (a bound to lower, a bundle to split).
  const auto out_of_memory = [&opt](std::string_view while_doing) {
    std::string paths;
    for (const auto& p : opt.paths) paths += (paths.empty() ? "" : " ") + p;
    fmt::print(stderr, "error: out of memory while {} {}; no report was written\n", while_doing,
               paths);
    return kExitOutOfMemory;
  };
  pipeline::analysis data;
  try {
    std::optional<deployment_kind> deployment;
    if (deployment_kind k{}; opt.deployment != "auto" && parse_deployment_kind(opt.deployment, k)) {
      deployment = k;
    }
    data = pipeline::run(in, std::move(co), rules, deployment);
  } catch (const std::bad_alloc&) {
    return out_of_memory("analyzing");
  }
  if (unmatched_options(opt, data)) return kExitUsage;
  try {
    report::report_data r{MIGSLEUTH_VERSION, data.inputs,     data.incidents,
                          data.verdicts,     data.findings,   data.hosts,
                          data.host_refusals, data.deployments};
    r.jobs = in.jobs;  // the inputs' JSON is rendered on as many threads as they were read
    if (opt.explain) print_explain(r, rules.causes);
    if (const int rc = write_reports(opt, r); rc != kExitOk) return rc;
  } catch (const std::bad_alloc&) {
    return out_of_memory("writing the report of");
  }
  return data.any_unreadable ? kExitUnreadable : kExitOk;
}

}  // namespace migsleuth::app
