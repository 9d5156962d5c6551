// virsh domjobinfo captures. Layout and labels: evidence FMT-21 (libvirt 9.0
// virsh-domain.c printf formats, rendered as its "Rendering" note says);
// the Failed block and the "$ virsh domjobinfo <uuid>" line: FMT-22 (observed).
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

parse_result parse(std::string_view text, std::string file = "domjobinfo-instance-0000002a.txt") {
  line_context ctx;
  ctx.host = "cmp-a";
  ctx.input = 1;
  ctx.file_name = std::move(file);
  diags errors;
  return parse_text(input_kind::domjobinfo, text, shape_set::load({}, errors), ctx);
}

// FMT-21 rendering of an outgoing migration in progress, preceded by `date`.
constexpr std::string_view kTypical = R"(Tue May 21 14:02:11 UTC 2024
Job type:         Unbounded
Operation:        Outgoing migration
Time elapsed:     121033       ms
Data processed:   5.104 GiB
Data remaining:   1.052 GiB
Data total:       8.016 GiB
Memory processed: 5.104 GiB
Memory remaining: 1.052 GiB
Memory total:     8.016 GiB
Memory bandwidth: 95.288 MiB/s
Dirty rate:       12894        pages/s
Page size:        4096         bytes
Iteration:        14
Constant pages:   1837242
Normal pages:     1337812
Normal data:      5.103 GiB
Expected downtime: 1243         ms
Setup time:       2            ms
Auto converge throttle: 30
)";

// FMT-22 (observed), twice: the domain is named by a UUID.
constexpr std::string_view kFailedTwice = R"($ virsh domjobinfo fdecd242-f278-4308-8c3b-46e144e55f63
Job type:         Failed
Operation:        Outgoing migration

$ virsh domjobinfo fdecd242-f278-4308-8c3b-46e144e55f63 --completed
2024-05-21T14:05:00+00:00
Job type:         Failed
Operation:        Outgoing migration
Error message:    operation failed: job 'migration out' failed: Unable to write to socket: Connection reset by peer
)";

constexpr std::string_view kVirshError =
    "error: Requested operation is not valid: domain is not running\n";

}  // namespace

TEST_CASE("domjobinfo: one block becomes one job_stats event in base units",
          "[parsers][domjobinfo]") {
  const auto r = parse(kTypical);
  CHECK(r.skipped_lines == 0);
  CHECK(r.warnings.empty());
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::job_stats);
  CHECK(ev.source == input_kind::domjobinfo);
  CHECK(ev.domain == "instance-0000002a");
  CHECK(ev.value("domain") == "instance-0000002a");
  CHECK(format_rfc3339(ev.time) == "2024-05-21T14:02:11.000000Z");
  CHECK(ev.where.line == 2);
  CHECK(ev.text == "Job type:         Unbounded");
  CHECK(ev.value("job_type") == "Unbounded");
  CHECK(ev.value("operation") == "Outgoing migration");
  CHECK(ev.value("time_elapsed_ms") == "121033");
  CHECK(ev.value("data_remaining_bytes") == "1129576399");    // 1.052 * 2^30
  CHECK(ev.value("memory_remaining_bytes") == "1129576399");
  CHECK(ev.value("memory_total_bytes") == "8607114461");      // 8.016 * 2^30
  CHECK(ev.value("memory_bandwidth_bps") == "99916710");      // 95.288 * 2^20
  CHECK(ev.value("dirty_rate_pps") == "12894");
  CHECK(ev.value("page_size_bytes") == "4096");
  CHECK(ev.value("iteration") == "14");
  CHECK(ev.value("expected_downtime_ms") == "1243");
  CHECK(ev.value("auto_converge_throttle_pct") == "30");
  CHECK(ev.level.empty());
  CHECK_THAT(ev.message, Catch::StartsWith("virsh domjobinfo: Job type: Unbounded; Operation:"));
}

TEST_CASE("domjobinfo: several blocks, the command line names the domain, --completed",
          "[parsers][domjobinfo]") {
  const auto r = parse(kFailedTwice, "capture.txt");
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].instance == "fdecd242-f278-4308-8c3b-46e144e55f63");
  CHECK(r.events[0].domain.empty());
  CHECK(r.events[0].value("job_type") == "Failed");
  CHECK(r.events[0].level == "ERROR");
  CHECK_FALSE(r.events[0].time.known());  // no date line before it
  CHECK(r.events[0].value("completed").empty());
  CHECK(r.events[1].value("completed") == "true");
  CHECK(format_rfc3339(r.events[1].time) == "2024-05-21T14:05:00.000000Z");
  CHECK(r.events[1].where.line == 7);
  CHECK(r.events[1].value("error_message") ==
        "operation failed: job 'migration out' failed: Unable to write to socket: Connection "
        "reset by peer");
}

TEST_CASE("domjobinfo: a virsh error instead of data is a warning, not an exception",
          "[parsers][domjobinfo]") {
  const auto r = parse(kVirshError);
  CHECK(r.events.empty());
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains("not running"));
}

TEST_CASE("domjobinfo: empty input", "[parsers][domjobinfo]") {
  const auto r = parse("");
  CHECK(r.lines == 0);
  CHECK(r.events.empty());
}

TEST_CASE("domjobinfo: a cut capture keeps what it has; a cut value line is skipped",
          "[parsers][domjobinfo]") {
  const auto r = parse("Job type:         Unbounded\nOperation:        Outgoing migration\n"
                       "Time elapsed:     5234         ms\nMemory remaining: 248.");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].value("time_elapsed_ms") == "5234");
  CHECK(r.events[0].value("memory_remaining_bytes").empty());
  CHECK(r.skipped_lines == 1);
}

TEST_CASE("domjobinfo: --rawstats numbers, None jobs, local date lines",
          "[parsers][domjobinfo]") {
  const auto raw = parse("Job type: 2\noperation: 5\ntime_elapsed: 5234\nmemory_remaining: "
                         "260578304\nmemory_dirty_rate: 12894\nsuccess: 0\n");
  REQUIRE(raw.events.size() == 1);
  CHECK(raw.events[0].value("job_type") == "Unbounded");
  CHECK(raw.events[0].value("operation") == "Outgoing migration");
  CHECK(raw.events[0].value("memory_remaining_bytes") == "260578304");
  CHECK(raw.events[0].value("dirty_rate_pps") == "12894");
  CHECK(raw.events[0].value("success") == "0");  // unknown names kept raw

  line_context ctx;
  ctx.utc_offset_seconds = -4 * 3600;
  ctx.file_name = "domjobinfo-instance-0000002a.txt";  // named: no "no domain" warning
  diags errors;
  const auto local = parse_text(input_kind::domjobinfo,
                                "Tue May 21 10:02:11 EDT 2024\nJob type:         None\n",
                                shape_set::load({}, errors), ctx);
  REQUIRE(local.events.size() == 1);
  CHECK(local.events[0].value("job_type") == "None");
  CHECK(format_rfc3339(local.events[0].time) == "2024-05-21T14:02:11.000000Z");
  CHECK(local.warnings.size() == 1);
}
