// Lines of another nova operation about an instance (other_operation: a
// build that failed to spawn) wait on disk (deferred_events::
// set_aside_operation): one per host and instance stays in memory as the
// mark loose findings read, those of a migrating instance come back through
// the line filter, and incidents and findings are what they were with every
// such line in memory.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/correlate/usable_events.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMigrating = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
constexpr std::string_view kBuilt = "d892d127-6381-4f17-a019-7581c3bf10ad";
constexpr std::string_view kControl = "5b0e6a8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b";
constexpr std::string_view kRequest = "req-6f0c0d1e-0000-4000-8000-000000000001";

std::string nova_line(std::string_view time, std::string_view level, std::string_view instance,
                      std::string_view message, std::string_view request = "-") {
  return std::string(time) + " 2211 " + std::string(level) + " nova.compute.manager [" +
         std::string(request) + " - - - - -] [instance: " + std::string(instance) + "] " +
         std::string(message) + "\n";
}

std::string spawn_failed(std::string_view time, std::string_view instance) {
  return nova_line(time, "ERROR", instance,
                   "Instance failed to spawn: nova.exception.PortBindingFailed: Binding failed "
                   "for port a2ee7f54-6b1a-4c57-9c6e-0f2d3b4a5c6d, please check neutron logs for "
                   "more information.");
}

bool build_failure_of(const event& ev, std::string_view instance) {
  return ev.kind == event_kind::other_operation && ev.instance == instance;
}

struct bundle {
  test::temp_dir dir{"set-aside-operation"};
  bundle() {
    // The migrating instance failed a build hours before its attempt, and
    // again during it; kBuilt's builds fail all along, in two files of
    // cmp-a's one folder and on cmp-b.
    dir.write("cmp-a/var/log/nova/nova-compute.log.1",
              spawn_failed("2024-03-05 06:00:00.000", kMigrating) +
                  spawn_failed("2024-03-05 06:10:00.000", kBuilt) +
                  spawn_failed("2024-03-05 07:10:00.000", kBuilt));
    dir.write("cmp-a/var/log/nova/nova-compute.log",
              nova_line("2024-03-05 10:12:10.120", "DEBUG", kMigrating,
                        "Starting monitoring of live migration _live_migration "
                        "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9480",
                        kRequest) +
                  spawn_failed("2024-03-05 10:12:11.000", kMigrating) +
                  nova_line("2024-03-05 10:12:11.500", "ERROR", kMigrating,
                            "Live Migration failure: operation failed: job 'migration out' "
                            "failed: unable to connect",
                            kRequest) +
                  spawn_failed("2024-03-05 10:30:00.000", kBuilt));
    dir.write("cmp-b/var/log/nova/nova-compute.log",
              spawn_failed("2024-03-05 08:00:00.000", kBuilt) +
                  spawn_failed("2024-03-05 09:00:00.000", kBuilt));
  }
  ingest_options options(bool set_aside) const {
    ingest_options opt;
    opt.paths = {dir.path.string()};
    opt.jobs = 2;
    if (set_aside) {
      opt.needed_anyway = [](const event&) { return false; };
      opt.marks_operation = [](const event&) { return true; };
    }
    return opt;
  }
};

std::size_t count(std::span<const event> events, std::string_view instance,
                  std::string_view host) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const event& ev) {
        return build_failure_of(ev, instance) && ev.host == host;
      }));
}

}  // namespace

TEST_CASE("set aside operation: a build's failure lines hold one line per host and instance in "
          "memory, and a migrating instance's come back inside its attempt only",
          "[ingest][deferred]") {
  const bundle b;
  ingested data = ingest_events(b.options(true), test::shapes());
  const auto resident = data.resident();
  // One mark per host and instance, whichever file of the host it came from.
  CHECK(count(resident, kBuilt, "cmp-a") == 1);
  CHECK(count(resident, kBuilt, "cmp-b") == 1);
  CHECK(count(resident, kMigrating, "cmp-a") == 1);
  CHECK(data.deferred_lines() == 4);  // kBuilt's 2 on cmp-a, 1 on cmp-b; kMigrating's other

  correlate::usable_events usable(data, data.inputs());
  CHECK(data.deferred_decoded() == 1);  // kMigrating's; kBuilt's never
  const auto incidents = usable.correlate({});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].instance == kMigrating);
  // The failure during the attempt is in it; the one four hours before is not.
  CHECK(count(incidents[0].events, kMigrating, "cmp-a") == 1);

  // The same incident as with every such line in memory.
  ingested whole = ingest_events(b.options(false), test::shapes());
  CHECK(whole.deferred_lines() == 0);
  CHECK(count(whole.resident(), kBuilt, "cmp-a") == 3);
  correlate::usable_events all(whole, whole.inputs());
  const auto expected = all.correlate({});
  REQUIRE(expected.size() == 1);
  REQUIRE(incidents[0].events.size() == expected[0].events.size());
  for (std::size_t i = 0; i < expected[0].events.size(); ++i) {
    CHECK(incidents[0].events[i].where == expected[0].events[i].where);
    CHECK(incidents[0].events[i].text == expected[0].events[i].text);
  }
}

TEST_CASE("set aside operation: an instance's errors beside a build's failure still make no "
          "finding, while the same error of another instance does",
          "[ingest][deferred][findings]") {
  test::temp_dir dir("set-aside-operation-findings");
  const fs::path root = dir.path / "bundle";
  fs::copy(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples/network-port-refused/bundle", root,
           fs::copy_options::recursive);
  const std::string unsafe =
      "libvirt.libvirtError: Unsafe migration: Migration may lead to data corruption if disks "
      "use cache other than none or directsync";
  // Builds of kBuilt failed three times; its error speaks of a migration,
  // yet the group is the build's. kControl has the error alone.
  dir.write("bundle/cmp-a/var/log/nova/nova-compute.log.1",
            spawn_failed("2024-03-05 06:00:00.000", kBuilt) +
                spawn_failed("2024-03-05 06:30:00.000", kBuilt) +
                nova_line("2024-03-05 06:31:00.000", "ERROR", kBuilt, unsafe) +
                spawn_failed("2024-03-05 07:00:00.000", kBuilt) +
                nova_line("2024-03-05 07:01:00.000", "ERROR", kControl, unsafe));

  diags errors;
  const pipeline::rule_packs rules = pipeline::load_rules({}, errors);
  REQUIRE(errors.empty());
  ingest::ingest_options opt;
  opt.paths = {root.string()};
  const pipeline::analysis a = pipeline::run(opt, {}, rules);
  REQUIRE(a.incidents.size() == 1);
  const auto of = [&a](std::string_view instance) {
    return std::count_if(a.findings.begin(), a.findings.end(),
                         [&](const loose_finding& lf) { return lf.instance == instance; });
  };
  CHECK(of(kBuilt) == 0);
  CHECK(of(kControl) == 1);
}
