#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

using test::shapes;

parse_result parse(std::string_view text) {
  line_context ctx;
  ctx.host = "cmp-a";
  ctx.input = 4;
  return parse_text(input_kind::nova_compute, text, shapes(), ctx);
}

// FMT-11 / CPU-03: a message holding newlines, then the rpc.server record.
constexpr std::string_view kCpuPrecheck =
    "2020-04-07 13:24:20.571 8 ERROR nova.virt.libvirt.driver "
    "[req-e0754632-4c01-467c-8ca7-48ae26357c02 c928cb47fcab4408bfcc9ec23251a0c3 "
    "31cf116facb8447b891a55e222b9b4db - default default] CPU doesn't have compatibility.\n"
    "\n"
    "0\n"
    "\n"
    "Refer to http://libvirt.org/html/libvirt-libvirt-host.html#virCPUCompareResult\n"
    "2020-04-07 13:24:20.590 8 ERROR oslo_messaging.rpc.server "
    "[req-e0754632-4c01-467c-8ca7-48ae26357c02 c928cb47fcab4408bfcc9ec23251a0c3 "
    "31cf116facb8447b891a55e222b9b4db - default default] Exception during message handling: "
    "InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.\n"
    "2020-04-07 13:24:20.590 8 ERROR oslo_messaging.rpc.server Traceback (most recent call "
    "last):\n"
    "2020-04-07 13:24:20.590 8 ERROR oslo_messaging.rpc.server   File "
    "\"/usr/lib/python2.7/site-packages/nova/compute/manager.py\", line 6297, in "
    "check_can_live_migrate_destination\n"
    "2020-04-07 13:24:20.590 8 ERROR oslo_messaging.rpc.server InvalidCPUInfo: Unacceptable CPU "
    "info: CPU doesn't have compatibility.\n";

}  // namespace

TEST_CASE("nova-compute: typical migration lines become typed events", "[parsers][nova]") {
  auto r = parse(
      "2022-02-10 16:18:28.409 284971 DEBUG nova.virt.libvirt.driver "
      "[req-7e3a1c52-5a7e-4b8e-9f5e-4b0c1d2e3f40 - - - - -] [instance: "
      "359150C9-6f40-416e-b381-185bff09e974] Starting monitoring of live migration "
      "_live_migration /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9659\n"
      "2022-02-10 16:18:29.000 284971 DEBUG oslo_service.periodic_task "
      "[req-11111111-2222-4333-8444-555555555555 - - - - -] Running periodic task "
      "ComputeManager._poll_rebooting_instances run_periodic_tasks "
      "/usr/lib/python3/dist-packages/oslo_service/periodic_task.py:210\n"
      "2022-02-10 16:18:58.120 284971 INFO nova.virt.libvirt.migration "
      "[req-7e3a1c52-5a7e-4b8e-9f5e-4b0c1d2e3f40 - - - - -] [instance: "
      "359150c9-6f40-416e-b381-185bff09e974] Migration running for 30 secs, memory 85% remaining "
      "(bytes processed=1073741824, remaining=3221225472, total=4294967296); disk 0% remaining "
      "(bytes processed=0, remaining=0, total=0).\n");
  CHECK(r.lines == 3);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);  // the periodic DEBUG line is not kept
  const event& start = r.events[0];
  CHECK(start.kind == event_kind::migration_started);
  CHECK(start.instance == "359150c9-6f40-416e-b381-185bff09e974");  // lower-cased
  CHECK(start.request_id == "req-7e3a1c52-5a7e-4b8e-9f5e-4b0c1d2e3f40");
  CHECK(start.host == "cmp-a");
  CHECK(start.where.input == 4);
  CHECK(start.where.line == 1);
  CHECK(format_rfc3339(start.time) == "2022-02-10T16:18:28.409000Z");
  const event& progress = r.events[1];
  CHECK(progress.kind == event_kind::migration_progress);
  CHECK(progress.where.line == 3);
  CHECK(progress.value("secs") == "30");
  CHECK(progress.value("mem_pct") == "85");
  CHECK(progress.value("mem_total") == "4294967296");
  CHECK(progress.value("mem_remaining") == "3221225472");
  // The disk share is read by nothing: not captured (core/captures.hpp).
  CHECK(progress.value("disk_pct").empty());
}

TEST_CASE("nova-compute: multi-line records inherit the request id", "[parsers][nova]") {
  auto r = parse(kCpuPrecheck);
  CHECK(r.skipped_lines == 0);
  // The unprefixed "Refer to" line and the traceback's summary line are kept,
  // the blank lines and the frames are not.
  REQUIRE(r.events.size() == 5);
  CHECK(r.events[0].kind == event_kind::precheck_failed);
  CHECK(r.events[1].text == "0");
  CHECK(r.events[2].text.substr(0, 8) == "Refer to");
  CHECK(r.events[2].request_id == "req-e0754632-4c01-467c-8ca7-48ae26357c02");
  CHECK(r.events[2].where.line == 5);
  CHECK(r.events[3].kind == event_kind::precheck_failed);
  const event& summary = r.events[4];
  CHECK(summary.where.line == 9);
  CHECK(summary.request_id == "req-e0754632-4c01-467c-8ca7-48ae26357c02");
  CHECK(summary.kind == event_kind::precheck_failed);
}

TEST_CASE("nova-compute: a local time zone offset moves events to UTC", "[parsers][nova]") {
  line_context ctx;
  ctx.host = "cmp-b";
  ctx.utc_offset_seconds = -4 * 3600;  // EDT: local = UTC - 4h
  auto r = parse_text(input_kind::nova_compute,
                      "2024-07-11 18:10:59.946 2 ERROR nova.virt.libvirt.driver [-] [instance: "
                      "7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: boom\n",
                      shapes(), ctx);
  REQUIRE(r.events.size() == 1);
  CHECK(format_rfc3339(r.events[0].time) == "2024-07-11T22:10:59.946000Z");
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].message.ends_with("Live Migration failure: boom"));
}

TEST_CASE("nova-compute: empty input", "[parsers][nova]") {
  auto r = parse("");
  CHECK(r.lines == 0);
  CHECK(r.events.empty());
}

TEST_CASE("nova-compute: garbage before any record and binary lines are skipped",
          "[parsers][nova]") {
  std::string text = "this is not a log\n";
  text += std::string("\x01\x02\x00\xff", 4) + "\n";
  text +=
      "2022-02-10 16:18:28.409 284971 WARNING nova.compute.manager [-] [instance: "
      "359150c9-6f40-416e-b381-185bff09e974] Received unexpected event network-vif-plugged-x\n";
  text += std::string("\x01\x02\x00\xff", 4) + "\n";
  text += "2022-02-10 16:18:28";  // truncated last line, no newline
  auto r = parse(text);
  CHECK(r.lines == 5);
  // garbage and binary before the record, binary after it, the cut record
  CHECK(r.skipped_lines == 4);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::log_line);
  CHECK(r.events[0].level == "WARNING");
}
