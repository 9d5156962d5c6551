#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

using test::shapes;

parse_result parse(std::string_view text, std::string file = "instance-00000001.log") {
  line_context ctx;
  ctx.host = "compute4";
  ctx.file_name = std::move(file);
  return parse_text(input_kind::qemu_domain, text, shapes(), ctx);
}

// FMT-16, shortened command line (HOTSOS fixture, destination of a migration).
constexpr std::string_view kIncoming =
    "2022-02-10 16:18:04.843+0000: starting up libvirt version: 6.0.0, package: 0ubuntu8.15, "
    "qemu version: 4.2.1Debian 1:4.2-3ubuntu6.19, kernel: 5.4.0-97-generic, hostname: "
    "compute4.mylab.home\n"
    "LC_ALL=C \\\n"
    "/usr/bin/qemu-system-x86_64 \\\n"
    "-name guest=instance-00000001,debug-threads=on \\\n"
    "-cpu Skylake-Client-IBRS,ss=on,vmx=on,hypervisor=on \\\n"
    "-uuid d1d75e2f-ada4-49bc-a963-528d89dfda25 \\\n"
    "-incoming defer \\\n"
    "-msg timestamp=on\n"
    "char device redirected to /dev/pts/3 (label charserial0)\n"
    "2022-02-10T16:18:05.033085Z qemu-system-x86_64: warning: host doesn't support requested "
    "feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]\n";

// FMT-17 tail (source of a successful migration).
constexpr std::string_view kOutgoingTail =
    "2022-02-10 16:14:01.100+0000: starting up libvirt version: 6.0.0, qemu version: 4.2.1, "
    "kernel: 5.4.0-97-generic, hostname: compute4.mylab.home\n"
    "LC_ALL=C \\\n"
    "-name guest=instance-00000002,debug-threads=on \\\n"
    "-uuid 359150c9-6f40-416e-b381-185bff09e974 \\\n"
    "-msg timestamp=on\n"
    "2022-02-10 16:18:31.313+0000: initiating migration\n"
    "2022-02-10 16:18:33.029+0000: shutting down, reason=migrated\n"
    "2022-02-10T16:18:33.031019Z qemu-system-x86_64: terminating on signal 15 from pid 1074 "
    "(/usr/sbin/libvirtd)\n";

}  // namespace

TEST_CASE("qemu-domain: a -incoming start is a migration destination", "[parsers][qemu]") {
  auto r = parse(kIncoming);
  CHECK(r.lines == 10);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  const event& start = r.events[0];
  CHECK(start.kind == event_kind::qemu_incoming);
  CHECK(start.domain == "instance-00000001");
  CHECK(start.instance == "d1d75e2f-ada4-49bc-a963-528d89dfda25");
  CHECK(start.value("hostname") == "compute4.mylab.home");
  CHECK(start.value("cpu") == "Skylake-Client-IBRS");
  CHECK(format_rfc3339(start.time) == "2022-02-10T16:18:04.843000Z");
  const event& warn = r.events[1];
  CHECK(warn.kind == event_kind::qemu_message);
  CHECK(warn.level == "WARNING");
  CHECK(warn.instance == "d1d75e2f-ada4-49bc-a963-528d89dfda25");  // from the boot it follows
  CHECK(format_rfc3339(warn.time) == "2022-02-10T16:18:05.033085Z");
}

TEST_CASE("qemu-domain: source side of a migration", "[parsers][qemu]") {
  auto r = parse(kOutgoingTail, "instance-00000002.log");
  REQUIRE(r.events.size() == 4);
  CHECK(r.events[0].kind == event_kind::qemu_started);
  CHECK(r.events[1].kind == event_kind::qemu_migration_out);
  CHECK(r.events[1].where.line == 6);
  CHECK(r.events[2].kind == event_kind::qemu_shutdown);
  CHECK(r.events[2].value("reason") == "migrated");
  CHECK(r.events[3].domain == "instance-00000002");
  CHECK(r.events[3].instance == "359150c9-6f40-416e-b381-185bff09e974");
}

TEST_CASE("qemu-domain: old untimed QEMU lines take the last libvirt time", "[parsers][qemu]") {
  // FMT-18: libvirt shut the destination down, then QEMU's untimed line.
  auto r = parse("2016-01-26 10:30:51.895+0000: shutting down\nload of migration failed\n");
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[1].shape == "qemu.migration.load-failed");
  CHECK(format_rfc3339(r.events[1].time) == "2016-01-26T10:30:51.895000Z");
  CHECK(r.events[1].domain == "instance-00000001");  // from the file name
}

TEST_CASE("qemu-domain: empty and foreign content", "[parsers][qemu]") {
  CHECK(parse("").events.empty());
  auto r = parse("hello world\nnot a domain log\n");
  CHECK(r.events.empty());
  CHECK(r.skipped_lines == 2);
}

TEST_CASE("qemu-domain: nova lines concatenated after a domain log are refused, with a warning",
          "[parsers][qemu]") {
  std::string text(kIncoming);
  const std::string nova =
      "2022-02-10 16:18:05.001 2211 WARNING nova.compute.manager "
      "[req-6f0c0d1e-0000-4000-8000-000000000001 - - - - -] [instance: "
      "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Received unexpected event network-vif-plugged\n";
  const auto before = parse(text);
  for (int i = 0; i < 1000; ++i) text += nova;
  const auto r = parse(text);
  CHECK(r.events.size() == before.events.size());  // none of them became a QEMU message
  CHECK(r.skipped_lines == before.skipped_lines + 1000);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("1000 line(s)") == 0);
}
