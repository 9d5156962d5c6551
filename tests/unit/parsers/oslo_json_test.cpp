// oslo.log JSONFormatter records (nova `use_json = True`). Fixtures use the
// FMT-14 field set and key order (OSLOLOG formatters.py JSONFormatter) around
// messages observed in text form (FMT-07, GEN-05); no real nova JSON line was
// found in public material (evidence.md Gaps), so these are compositions.
#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

using test::shapes;

parse_result parse(std::string_view text, std::int64_t offset = 0) {
  line_context ctx;
  ctx.host = "compute-0";
  ctx.input = 2;
  ctx.utc_offset_seconds = offset;
  return parse_text(input_kind::nova_compute, text, shapes(), ctx);
}

// FMT-14 keys around the FMT-07 message; `extra.instance` as an object.
constexpr std::string_view kFailure =
    R"j({"message": "Live Migration failure: End of file while reading data: : Input/output error", "asctime": "2023-12-16 11:07:45", "name": "nova.virt.libvirt.driver", "msg": "Live Migration failure: %s", "args": ["End of file while reading data: : Input/output error"], "levelname": "ERROR", "levelno": 40, "pathname": "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py", "filename": "driver.py", "module": "driver", "lineno": 10187, "funcname": "_live_migration_operation", "created": 1702724865.380871, "msecs": 380.0, "relative_created": 8120331.2, "thread": 140231, "thread_name": "GreenThread-12", "process_name": "MainProcess", "process": 2, "traceback": null, "hostname": "compute-0", "error_summary": "libvirt.libvirtError: End of file while reading data: : Input/output error", "context": {"user": "c975637b06c046b3b17ec0b2db35f3e8", "project_id": "2faa4b99766143de9c8527f163dc0a72", "request_id": "req-4e14c92b-915c-4df2-ac6f-467686624677", "global_request_id": null, "resource_uuid": null}, "extra": {"instance": {"uuid": "88084FDD-51dc-4967-8493-c1169e4533ec"}, "project": "unknown", "version": "unknown", "extra_keys": ["instance", "project", "version"]}})j";

// DEBUG, `extra.instance_uuid` as a plain string: not kept, but links.
constexpr std::string_view kDebugLink =
    R"j({"message": "Check if temp file /var/lib/nova/instances/tmp9q3vlx2b exists to indicate shared storage is being used for migration. Exists? False", "asctime": "2023-12-16 11:07:41", "name": "nova.virt.libvirt.driver", "levelname": "DEBUG", "levelno": 10, "created": 1702724861.1, "traceback": null, "context": {"request_id": "req-4e14c92b-915c-4df2-ac6f-467686624677", "global_request_id": "req-0b0e9a57-2c4c-4f5e-a0ad-6e5a4d2a1f10"}, "extra": {"instance_uuid": "88084fdd-51dc-4967-8493-c1169e4533ec", "project": "unknown", "version": "unknown"}})j";

// oslo.log < 8.0: traceback as a list of lines; `extra.instance` as repr.
constexpr std::string_view kTracebackList =
    R"j({"message": "Exception during message handling", "asctime": "2020-04-07 13:24:20", "name": "oslo_messaging.rpc.server", "levelname": "ERROR", "created": 1586265860.59, "traceback": ["Traceback (most recent call last):\n", "  File \"/usr/lib/python2.7/site-packages/oslo_messaging/rpc/server.py\", line 166, in _process_incoming\n", "nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.\n", "\n"], "context": {"request_id": "req-e0754632-4c01-467c-8ca7-48ae26357c02"}, "extra": {"instance": "Instance(access_ip_v4=None,uuid=7b7edae6-f878-4756-a858-86f836d02c33,vcpus=2)"}})j";

// oslo.log >= 8.0: one string.
constexpr std::string_view kTracebackString =
    R"j({"message": "Exception during message handling", "asctime": "2020-04-07 13:24:20", "name": "oslo_messaging.rpc.server", "levelname": "ERROR", "created": 1586265860.59, "traceback": "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nnova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU info: CPU doesn't have compatibility.\n", "context": {"request_id": "req-e0754632-4c01-467c-8ca7-48ae26357c02"}, "extra": {}})j";

// The same record pretty-printed (a log shipper's dump): "JSON records spanning lines".
constexpr std::string_view kPretty = R"j({
    "message": "Live Migration failure: operation failed: domain is not running",
    "asctime": "2024-07-11 22:10:59",
    "name": "nova.virt.libvirt.driver",
    "levelname": "ERROR",
    "created": 1720735859.946,
    "traceback": null,
    "context": {
        "request_id": "req-590602d0-1d3d-4ac9-b000-cdd98a2400b4"
    },
    "extra": {"instance_uuid": "7b7edae6-f878-4756-a858-86f836d02c33"}
}
)j";

}  // namespace

TEST_CASE("oslo_json: a record gives the same event as its text form", "[parsers][oslo_json]") {
  const auto r = parse(kFailure);
  CHECK(r.lines == 1);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::migration_failed);
  CHECK(ev.shape == "nova.live-migration.failure");
  CHECK(ev.source == input_kind::nova_compute);
  CHECK(ev.instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
  CHECK(ev.request_id == "req-4e14c92b-915c-4df2-ac6f-467686624677");
  CHECK(ev.global_request_id.empty());
  CHECK(ev.level == "ERROR");
  CHECK(ev.logger == "nova.virt.libvirt.driver");
  CHECK(format_rfc3339(ev.time) == "2023-12-16T11:07:45.380871Z");
  CHECK(ev.where.input == 2);
  CHECK(ev.where.line == 1);
  CHECK(ev.text == kFailure);
  CHECK(ev.message.ends_with("End of file while reading data: : Input/output error"));
  CHECK(r.links.empty());  // the event names its instance: no link is needed
}

TEST_CASE("oslo_json: created is UTC whatever the host clock; asctime is the fallback",
          "[parsers][oslo_json]") {
  CHECK(format_rfc3339(parse(kFailure, 3600).events.at(0).time) ==
        "2023-12-16T11:07:45.380871Z");
  std::string no_created(kFailure);
  no_created.replace(no_created.find("\"created\": 1702724865.380871"), 28, "\"created\": null");
  CHECK(format_rfc3339(parse(no_created, 3600).events.at(0).time) == "2023-12-16T10:07:45.000000Z");
}

TEST_CASE("oslo_json: a dropped DEBUG record gives its instance to a later record of its request",
          "[parsers][oslo_json]") {
  // An rpc.server error of the same request that names no instance (CPU-03 text).
  const std::string error_no_instance =
      R"j({"message": "Exception during message handling: InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.", "asctime": "2023-12-16 11:07:42", "name": "oslo_messaging.rpc.server", "levelname": "ERROR", "created": 1702724862.0, "traceback": null, "context": {"request_id": "req-4e14c92b-915c-4df2-ac6f-467686624677"}, "extra": {}})j";
  CHECK(parse(kDebugLink).links.empty());  // nothing needs it
  const auto r = parse(std::string(kDebugLink) + "\n" + error_no_instance + "\n");
  REQUIRE(r.events.size() == 1);  // the DEBUG record is dropped
  CHECK(r.events[0].kind == event_kind::precheck_failed);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.links.size() == 1);
  CHECK(r.links[0].request_id == "req-4e14c92b-915c-4df2-ac6f-467686624677");
  CHECK(r.links[0].instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
}

TEST_CASE("oslo_json: the traceback's last line continues the record, list or string",
          "[parsers][oslo_json]") {
  for (auto text : {kTracebackList, kTracebackString}) {
    const auto r = parse(text);
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].message == "Exception during message handling");
    const event& summary = r.events[1];
    CHECK(summary.message ==
          "nova.exception.MigrationPreCheckError: Migration pre-check error: Unacceptable CPU "
          "info: CPU doesn't have compatibility.");
    CHECK(summary.request_id == "req-e0754632-4c01-467c-8ca7-48ae26357c02");
    CHECK(summary.where.line == 1);
    CHECK(summary.text == text);
    CHECK(summary.value("traceback_summary") == "true");
  }
  // The repr form of extra.instance (jsonutils fallback=repr) still names the UUID.
  CHECK(parse(kTracebackList).events[0].instance == "7b7edae6-f878-4756-a858-86f836d02c33");
}

TEST_CASE("oslo_json: a pretty-printed record cites the line holding its message",
          "[parsers][oslo_json]") {
  const auto r = parse(kPretty);
  CHECK(r.lines == 12);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].where.line == 2);
  CHECK(r.events[0].text ==
        R"(    "message": "Live Migration failure: operation failed: domain is not running",)");
  CHECK(r.events[0].request_id == "req-590602d0-1d3d-4ac9-b000-cdd98a2400b4");
  CHECK(r.events[0].instance == "7b7edae6-f878-4756-a858-86f836d02c33");
}

TEST_CASE("oslo_json: empty input", "[parsers][oslo_json]") {
  const auto r = parse("");
  CHECK(r.lines == 0);
  CHECK(r.events.empty());
}

TEST_CASE("oslo_json: cut and foreign JSON lines are skipped, a cut record at the end warns",
          "[parsers][oslo_json]") {
  const std::string text = std::string(kFailure.substr(0, 200)) + "\n" +
                           R"j({"error": {"message": "not a log record", "code": 500}})j" + "\n" +
                           std::string(kDebugLink) + "\n";
  const auto r = parse(text);
  CHECK(r.lines == 3);
  CHECK(r.skipped_lines == 2);
  CHECK(r.events.empty());
  CHECK(r.links.empty());

  const auto cut = parse(kPretty.substr(0, kPretty.find("\"extra\"")));
  CHECK(cut.events.empty());
  CHECK(cut.skipped_lines == cut.lines);
  REQUIRE(cut.warnings.size() == 1);
  CHECK_THAT(cut.warnings[0], Catch::Contains("ends inside the JSON record"));
}

TEST_CASE("oslo_json: text and JSON records in one file, and syslog-wrapped JSON",
          "[parsers][oslo_json]") {
  // FMT-12 text line, then the same event as a JSON record wrapped by rsyslog.
  const std::string text =
      "Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR "
      "nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 "
      "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] "
      "[instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation "
      "failed: domain is not running: libvirt.libvirtError: operation failed: domain is not "
      "running#033[00m\n"
      "Jul 11 18:11:00 np0004787595 nova_compute[129891]: " +
      std::string(kFailure) + "\n";
  const auto r = parse(text);
  CHECK(r.lines == 2);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].where.line == 1);
  CHECK(r.events[1].where.line == 2);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[1].kind == event_kind::migration_failed);
  CHECK(r.events[1].instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
}

TEST_CASE("oslo_json: a text message continued by a line starting with '{' stays text",
          "[parsers][oslo_json]") {
  // FMT-11 shape: an ERROR message holding newlines, one continuation a dict.
  const auto r = parse(
      "2020-04-07 13:24:20.571 8 ERROR nova.virt.libvirt.driver "
      "[req-e0754632-4c01-467c-8ca7-48ae26357c02 - - - - -] CPU doesn't have compatibility.\n"
      "{\"arch\": \"x86_64\", \"model\": \"Skylake-Server-IBRS\"}\n");
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[1].request_id == "req-e0754632-4c01-467c-8ca7-48ae26357c02");
}

TEST_CASE("oslo_json: periodic listings keep the first and last sighting, as in text",
          "[parsers][oslo_json]") {
  // nova.power-sync.listed shape (manager.py _sync_power_states) in JSON records.
  std::string text;
  for (const char* t : {"1710236402.479", "1710237002.479", "1710237602.479"}) {
    text += std::string(R"j({"message": "Triggering sync for uuid a7a2d88d-863b-4f61-9655-12dc7f55db85", "name": "nova.compute.manager", "levelname": "DEBUG", "created": )j") +
            t + R"j(, "context": {"request_id": "req-b4e856ce-8aeb-4733-b4e4-0b3277013ae5"}, "extra": {}})j" + "\n";
  }
  const auto r = parse(text);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].kind == event_kind::instance_listed);
  CHECK(r.events[0].instance == "a7a2d88d-863b-4f61-9655-12dc7f55db85");
  CHECK(r.events[0].where.line == 1);
  CHECK(r.events[1].where.line == 3);
}
