// libvirtd daemon logs: evidence FMT-19 (plain debug line, journald-wrapped
// error line = CPU-09) and FMT-20 (query-migrate reply in a debug log).
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

parse_result parse(std::string_view text) {
  line_context ctx;
  ctx.host = "cmp-a";
  diags errors;
  return parse_text(input_kind::libvirtd, text, shape_set::load({}, errors), ctx);
}

// FMT-19 (LP 1535232 comment 6), then FMT-20 from the same log.
constexpr std::string_view kDebug =
    R"(2016-01-26 10:30:51.197+0000: 8591: debug : qemuMonitorJSONCommandWithFd:264 : Send command '{"execute":"query-migrate","id":"libvirt-144"}' for write with FD -1
2016-01-26 10:30:51.199+0000: 8590: debug : qemuMonitorIOProcess:396 : QEMU_MONITOR_IO_PROCESS: mon=0x7f1e0c00db30 buf={"return": {"expected-downtime": 106, "status": "active", "setup-time": 2, "total-time": 6613, "ram": {"total": 67776512, "remaining": 323584, "mbps": 95.288421, "transferred": 82742303, "duplicate": 4631, "dirty-pages-rate": 310, "skipped": 0, "normal-bytes": 83189760, "normal": 20310}}, "id": "libvirt-144"} len=312
)";

// FMT-19 journal form (CPU-09).
constexpr std::string_view kJournal =
    "Jan 11 18:28:18 base-pvg.redhat.ren libvirtd[25283]: 2021-01-11 10:28:18.110+0000: 25288: "
    "error : virCPUx86Compare:1785 : the CPU is incompatible with host CPU: Host CPU does not "
    "provide required features: xsave, avx\n";

}  // namespace

TEST_CASE("libvirtd: error lines are kept with the level upper-cased", "[parsers][libvirtd]") {
  const auto r = parse(kJournal);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::log_line);
  CHECK(ev.source == input_kind::libvirtd);
  CHECK(ev.level == "ERROR");
  CHECK(format_rfc3339(ev.time) == "2021-01-11T10:28:18.110000Z");
  CHECK(ev.value("function") == "virCPUx86Compare");
  CHECK(ev.value("thread") == "25288");
  CHECK(ev.message ==
        "the CPU is incompatible with host CPU: Host CPU does not provide required features: "
        "xsave, avx");
  CHECK(ev.text == kJournal.substr(0, kJournal.size() - 1));
}

TEST_CASE("libvirtd: a query-migrate reply becomes job_stats, other debug lines are dropped",
          "[parsers][libvirtd]") {
  const auto r = parse(kDebug);
  CHECK(r.lines == 2);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::job_stats);
  CHECK(ev.where.line == 2);
  CHECK(format_rfc3339(ev.time) == "2016-01-26T10:30:51.199000Z");
  CHECK(ev.value("status") == "active");
  CHECK(ev.value("time_elapsed_ms") == "6613");
  CHECK(ev.value("expected_downtime_ms") == "106");
  CHECK(ev.value("setup_time_ms") == "2");
  CHECK(ev.value("memory_total_bytes") == "67776512");
  CHECK(ev.value("memory_remaining_bytes") == "323584");
  CHECK(ev.value("memory_processed_bytes") == "82742303");
  CHECK(ev.value("dirty_rate_pps") == "310");
  CHECK(ev.value("memory_bandwidth_bps") == "11911053");  // 95.288421 Mbit/s
  CHECK(ev.value("source") == "query-migrate");
}

TEST_CASE("libvirtd: empty input", "[parsers][libvirtd]") {
  const auto r = parse("");
  CHECK(r.lines == 0);
  CHECK(r.events.empty());
}

TEST_CASE("libvirtd: a cut reply and foreign lines are skipped; other daemons are not ours",
          "[parsers][libvirtd]") {
  const std::string cut(kDebug.substr(0, kDebug.find("\"normal\": 20310")));
  const auto r = parse("garbage before any stamp\n" + std::string(kDebug.substr(0, kDebug.find('\n') + 1)) +
                       cut.substr(cut.find('\n') + 1) + "\n" +
                       "Jan 11 18:28:19 base-pvg systemd[1]: Started Session 3 of user root.\n" +
                       "Jan 11 18:28:20 base-pvg libvirtd[25283]: internal error: qemu "
                       "unexpectedly closed the monitor\n");
  CHECK(r.lines == 5);
  CHECK(r.skipped_lines == 2);  // the garbage line and the cut reply
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].message == "internal error: qemu unexpectedly closed the monitor");
  CHECK_FALSE(r.events[0].time.known());  // syslog stamps carry no year
}
