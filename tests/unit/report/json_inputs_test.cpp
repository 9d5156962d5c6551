// The JSON report's inputs are rendered in batches on the pool when jobs
// allow, and spliced in order: the bytes must be those one thread writes,
// streamed or whole, for any jobs, whatever the inputs hold (warnings,
// escapes, a missing host, a batch boundary in the middle of the array).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/report/report.hpp"

using namespace migsleuth;

namespace {

std::vector<input> many_inputs(std::size_t n) {
  std::vector<input> inputs;
  const shared_text host_from("folder name 'cmp-a'");
  for (std::size_t i = 0; i < n; ++i) {
    input in;
    in.path = "bundle/cmp-a/var/log/nova/nova-compute.log.part" + std::to_string(i);
    if (i % 7 != 0) in.host = "cmp-a";
    in.host_from = host_from;
    in.kind = i % 5 == 0 ? input_kind::unrecognized : input_kind::nova_compute;
    in.kind_reason = i % 5 == 0 ? "no known layout in the first 3 lines" : "name says \"nova\"";
    in.lines = i;
    if (i % 11 == 0) in.warnings.push_back("line " + std::to_string(i) + " cut\t\x01 here");
    inputs.push_back(std::move(in));
  }
  return inputs;
}

std::string streamed(const report::report_data& r) {
  std::string out;
  report::write_json(r, [&out](std::string_view piece) { out.append(piece); });
  return out;
}

}  // namespace

TEST_CASE("json report: inputs rendered on the pool give the one-thread bytes", "[report][json]") {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{511}, std::size_t{512},
                              std::size_t{5000}, std::size_t{9217}}) {
    const std::vector<input> inputs = many_inputs(n);
    report::report_data r{"test", inputs, {}, {}};
    r.jobs = 1;
    const std::string one = report::write_json(r);
    CHECK(streamed(r) == one);
    for (const unsigned jobs : {2U, 3U, 0U}) {
      INFO(n << " inputs, jobs " << jobs);
      r.jobs = jobs;
      CHECK(report::write_json(r) == one);
      CHECK(streamed(r) == one);
    }
    if (n == 5000) {
      CHECK(one.find("nova-compute.log.part4999\"") != std::string::npos);
      CHECK(one.find("\"inputs\": [\n    {\n      \"path\"") != std::string::npos);
    }
  }
}
