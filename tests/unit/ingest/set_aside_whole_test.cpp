// Lines ingest sets aside whole (deferred_events::set_aside_whole): a QEMU
// log's boot of an instance that never migrates costs nothing in memory
// after its scan, yet its domain still names the instance for a libvirtd
// line naming only the domain, in the order the lines came in, and the
// lines of a migrating instance come back whole: the same incidents as with
// every line in memory.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/correlate/usable_events.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;

namespace {

constexpr std::string_view kMigrating = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
constexpr std::string_view kIdle = "d892d127-6381-4f17-a019-7581c3bf10ad";
constexpr std::string_view kOther = "5b0e6a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
constexpr std::string_view kRequest = "req-6f0c0d1e-0000-4000-8000-000000000001";

std::string nova_line(std::string_view time, std::string_view level, std::string_view logger,
                      std::string_view message) {
  return std::string(time) + " 2211 " + std::string(level) + " " + std::string(logger) + " [" +
         std::string(kRequest) + " - - - - -] [instance: " + std::string(kMigrating) + "] " +
         std::string(message) + "\n";
}

std::string qemu_boot(std::string_view time, std::string_view domain, std::string_view uuid) {
  return std::string(time) +
         "+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, hostname: cmp\n"
         "LC_ALL=C \\\n-name guest=" +
         std::string(domain) + ",debug-threads=on \\\n-uuid " + std::string(uuid) +
         " \\\n-msg timestamp=on\n";
}

struct bundle {
  test::temp_dir dir{"set-aside-whole"};
  bundle() {
    dir.write("cmp-a/var/log/nova/nova-compute.log",
              nova_line("2024-03-05 10:12:10.120", "DEBUG", "nova.virt.libvirt.driver",
                        "Starting monitoring of live migration _live_migration "
                        "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9480") +
                  nova_line("2024-03-05 10:12:11.500", "ERROR", "nova.virt.libvirt.driver",
                            "Live Migration failure: operation failed: job 'migration out' "
                            "failed: unable to connect"));
    dir.write("cmp-a/var/log/libvirt/qemu/instance-0000000a.log",
              qemu_boot("2024-03-05 09:00:00.000", "instance-0000000a", kMigrating));
    // Booted hours before, never migrated: two boots, and QEMU's stderr.
    dir.write("cmp-a/var/log/libvirt/qemu/instance-0000000b.log",
              qemu_boot("2024-03-05 08:00:00.000", "instance-0000000b", kIdle) +
                  "2024-03-05T08:00:01.000000Z qemu-system-x86_64: terminating on signal 15\n" +
                  qemu_boot("2024-03-05 08:30:00.000", "instance-0000000b", kIdle));
    // Later in the walk, the same domain name for another instance (another
    // cell's numbering), and a libvirtd line naming only the domain.
    dir.write("cmp-b/var/log/libvirt/qemu/instance-0000000b.log",
              qemu_boot("2024-03-05 07:00:00.000", "instance-0000000b", kOther));
    dir.write("cmp-b/var/log/libvirt/libvirtd.log",
              "2024-03-05 10:20:00.000+0000: 4190: error : qemuProcessStop:8000 : internal "
              "error: process exited vm=0x7f2c name=instance-0000000b, reason=crashed\n");
  }
  ingest_options options(std::function<bool(const event&)> needed_anyway) const {
    ingest_options opt;
    opt.paths = {dir.path.string()};
    opt.jobs = 2;
    opt.needed_anyway = std::move(needed_anyway);
    return opt;
  }
};

bool from_qemu_of(const event& ev, std::string_view instance) {
  return ev.source == input_kind::qemu_domain && ev.instance == instance;
}

}  // namespace

TEST_CASE("set aside whole: a never-migrating instance's QEMU log holds nothing in memory, its "
          "domain still names it, and a migrating instance's boot comes back",
          "[ingest][deferred][identity]") {
  const bundle b;
  // What reads such lines anyway (pipeline: findings, host names,
  // deployments) keeps the lines of cmp-b in memory here.
  ingested data = ingest_events(
      b.options([](const event& ev) { return ev.host == "cmp-b"; }), test::shapes());
  const auto resident = data.resident();
  CHECK(std::none_of(resident.begin(), resident.end(),
                     [](const event& ev) { return from_qemu_of(ev, kIdle); }));
  CHECK(std::none_of(resident.begin(), resident.end(),
                     [](const event& ev) { return from_qemu_of(ev, kMigrating); }));
  CHECK(std::count_if(resident.begin(), resident.end(),
                      [](const event& ev) { return from_qemu_of(ev, kOther); }) == 1);
  CHECK(data.deferred_lines() == 4);  // kIdle's two boots and its message, kMigrating's boot
  // The first line in walk order naming the domain with an instance says
  // whose it is, as when every line was in memory: cmp-a's, though on disk.
  CHECK(data.identities().instance_of_domain("instance-0000000b") == kIdle);
  const auto libvirtd = std::find_if(resident.begin(), resident.end(), [](const event& ev) {
    return ev.source == input_kind::libvirtd;
  });
  REQUIRE(libvirtd != resident.end());
  CHECK(libvirtd->instance == kIdle);

  correlate::usable_events usable(data, data.inputs());
  CHECK(data.deferred_decoded() == 1);  // kMigrating's boot; kIdle's lines never
  const auto events = usable.events();
  // Handed over whole: an hour before the attempt, outside the line filter's window.
  CHECK(std::count_if(events.begin(), events.end(), [](const event& ev) {
          return from_qemu_of(ev, kMigrating) && ev.kind == event_kind::qemu_started;
        }) == 1);
  const auto incidents = usable.correlate({});

  // The same incidents as with every such line in memory.
  ingested whole = ingest_events(b.options({}), test::shapes());
  CHECK(whole.deferred_lines() == 0);
  const auto in_memory = whole.resident();
  CHECK(std::count_if(in_memory.begin(), in_memory.end(),
                      [](const event& ev) { return from_qemu_of(ev, kIdle); }) == 3);
  correlate::usable_events all(whole, whole.inputs());
  const auto expected = all.correlate({});
  REQUIRE(incidents.size() == expected.size());
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].domain == expected[0].domain);
  REQUIRE(incidents[0].events.size() == expected[0].events.size());
  for (std::size_t i = 0; i < expected[0].events.size(); ++i) {
    CHECK(incidents[0].events[i].where == expected[0].events[i].where);
    CHECK(incidents[0].events[i].text == expected[0].events[i].text);
  }
}
