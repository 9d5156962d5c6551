// /var/log/messages holding nova-compute records among other daemons' lines
// (evidence FMT-12: rsyslog-wrapped nova line with the escaped ANSI reset).
#include <catch2/catch.hpp>

#include "detect.hpp"
#include "journal_json.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;

namespace {

constexpr std::string_view kMessages =
    "Jul 11 18:10:58 np0004787595 systemd[1]: Started libpod-conmon.scope.\n"
    "Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR "
    "nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 "
    "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] "
    "[instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: "
    "domain is not running: libvirt.libvirtError: operation failed: domain is not "
    "running#033[00m\n"
    "Jul 11 18:10:59 np0004787595 kernel: tap5f0c7f4e-1d: left promiscuous mode\n"
    "Jul 11 18:11:00 np0004787595 NetworkManager[1021]: <info>  [1720735860.0123] device "
    "(tap5f0c7f4e-1d): state change: activated -> unmanaged\n";

}  // namespace

TEST_CASE("syslog: a messages file with nova records is nova-compute", "[parsers][syslog]") {
  const auto d = detect_kind("sosreport-compute-1/var/log/messages", kMessages);
  CHECK(d.kind == input_kind::nova_compute);
}

TEST_CASE("syslog: other daemons' lines are understood, not skipped, and never evidence",
          "[parsers][syslog]") {
  line_context ctx;
  ctx.host = "compute-1";
  diags errors;
  const auto r = parse_text(input_kind::nova_compute, kMessages, shape_set::load({}, errors), ctx);
  CHECK(r.lines == 4);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].where.line == 2);
}

TEST_CASE("syslog: the kernel's OOM kill is kept, dated on nova's clock, and other kernel lines "
          "are not", "[parsers][syslog]") {
  // The syslog stamps are local (EDT, 18:10) while nova's own are UTC (22:10):
  // the kernel line's time is taken on nova's clock from that difference.
  // The OOM line: the kernel's report format (mm/oom_kill.c), as in evidence.
  const std::string text =
      std::string(kMessages) +
      "Jul 11 18:11:02 np0004787595 kernel: Out of memory: Killed process 137492 (qemu-kvm) "
      "total-vm:17112344kB, anon-rss:16502236kB, file-rss:0kB, shmem-rss:0kB, UID:107 "
      "pgtables:33012kB oom_score_adj:0\n";
  line_context ctx;
  ctx.host = "compute-1";
  diags errors;
  const auto r = parse_text(input_kind::nova_compute, text, shape_set::load({}, errors), ctx);
  REQUIRE(r.events.size() == 2);
  const event& oom = r.events[1];
  CHECK(oom.where.line == 5);
  CHECK(oom.level == "ERROR");
  CHECK(oom.instance.empty());  // correlate joins it by host and time
  CHECK(format_rfc3339(oom.time) == "2024-07-11T22:11:02.000000Z");
  CHECK(oom.message.rfind("Out of memory: Killed process 137492 (qemu-kvm)", 0) == 0);
}

TEST_CASE("syslog: a kernel OOM line before any nova record is not dated, so not kept",
          "[parsers][syslog]") {
  const std::string text =
      "Jul 11 18:11:02 np0004787595 kernel: Out of memory: Killed process 137492 (qemu-kvm)\n" +
      std::string(kMessages);
  line_context ctx;
  diags errors;
  const auto r = parse_text(input_kind::nova_compute, text, shape_set::load({}, errors), ctx);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::migration_failed);
}

TEST_CASE("syslog: journalctl's short, short-precise, short-iso and short-iso-precise prefixes",
          "[parsers][syslog]") {
  // The same nova record as `journalctl -o <form>` writes it (FMT-12's record).
  const std::string record =
      "nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR nova.virt.libvirt.driver [None "
      "req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 3de117d20e5b45c1ba86c8136c841ef3 "
      "eab438b17a2a4575a3abff1f78afc4ff - - default default] [instance: "
      "7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: domain is "
      "not running";
  for (const std::string stamp : {"Jul 11 18:10:59", "Jul 11 18:10:59.946512",
                                  "2024-07-11T18:10:59-0400", "2024-07-11T18:10:59.946512-04:00"}) {
    INFO(stamp);
    const std::string line = stamp + " np0004787595 " + record;
    const auto p = parse_syslog_prefix(line);
    REQUIRE(p);
    CHECK(p->stamp == stamp);
    CHECK(p->iso == (stamp[0] == '2'));
    CHECK(p->host == "np0004787595");
    CHECK(p->tag == "nova_compute[129891]");
    const auto h = parse_oslo_header(line);
    REQUIRE(h);
    CHECK(h->syslog_wrapped);
    CHECK(h->level == "ERROR");
    line_context ctx;
    diags errors;
    const auto r = parse_text(input_kind::nova_compute, line + "\n", shape_set::load({}, errors), ctx);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].kind == event_kind::migration_failed);
    CHECK(format_rfc3339(r.events[0].time) == "2024-07-11T22:10:59.946000Z");
  }
  // oslo's own stamp has no zone and is no syslog prefix.
  CHECK_FALSE(parse_syslog_prefix("2024-07-11 22:10:59.946 2 ERROR nova.compute.manager x: y"));
}

TEST_CASE("syslog: a short-iso kernel OOM line is dated by its own stamp", "[parsers][syslog]") {
  const std::string text =
      "2024-07-11T18:10:59-0400 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 "
      "ERROR nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 - - - - - -] "
      "[instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: "
      "domain is not running\n"
      "2024-07-11T18:11:02.250000-0400 np0004787595 kernel: Out of memory: Killed process 137492 "
      "(qemu-kvm) total-vm:17112344kB\n";
  line_context ctx;
  diags errors;
  const auto r = parse_text(input_kind::nova_compute, text, shape_set::load({}, errors), ctx);
  REQUIRE(r.events.size() == 2);
  CHECK(format_rfc3339(r.events[1].time) == "2024-07-11T22:11:02.250000Z");
  CHECK_FALSE(r.events[1].local_clock);
}

TEST_CASE("syslog: a journalctl -o json export is read as the lines journalctl prints",
          "[parsers][syslog]") {
  // FMT-12's nova record and a kernel OOM line as `journalctl -o json` writes
  // them (field names and the microsecond __REALTIME_TIMESTAMP: systemd.journal-fields(7)).
  const std::string text =
      R"({"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1720735859946512","_HOSTNAME":"np0004787595",)"
      R"("SYSLOG_IDENTIFIER":"nova_compute","_PID":"129891","MESSAGE":"2024-07-11 22:10:59.946 2 )"
      R"(ERROR nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 - - - - - -] )"
      R"([instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: )"
      R"(domain is not running"})" "\n"
      R"({"__CURSOR":"s=2","__REALTIME_TIMESTAMP":"1720735862250000","_HOSTNAME":"np0004787595",)"
      R"j("SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Out of memory: Killed process 137492 (qemu-kvm)"})j"
      "\n"
      R"({"__CURSOR":"s=3","__REALTIME_TIMESTAMP":"1720735863000000","_HOSTNAME":"np0004787595",)"
      R"("SYSLOG_IDENTIFIER":"nova_compute","_PID":"129891","MESSAGE":[104,105]})" "\n";
  REQUIRE(is_journal_json(text));
  const std::string lines = journal_head_as_text(text);
  CHECK(lines.rfind("2024-07-11T22:10:59.946512+0000 np0004787595 nova_compute[129891]: 2024-07-11 "
                    "22:10:59.946 2 ERROR",
                    0) == 0);
  CHECK(detect_kind("journal.json", lines).kind == input_kind::nova_compute);
  line_context ctx;
  diags errors;
  auto parser = wrap_journal_json(make_parser(input_kind::nova_compute, shape_set::load({}, errors), ctx));
  std::uint32_t no = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto nl = text.find('\n', at);
    parser->feed_line(std::string_view(text).substr(at, nl - at), ++no);
    at = nl + 1;
  }
  const auto r = parser->finish();
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].where.line == 1);
  CHECK(format_rfc3339(r.events[1].time) == "2024-07-11T22:11:02.250000Z");
  CHECK(r.skipped_lines >= 1);  // the record whose MESSAGE is bytes, not text
  CHECK_FALSE(is_journal_json("2024-07-11 22:10:59.946 2 ERROR nova.compute.manager x\n"));
}
