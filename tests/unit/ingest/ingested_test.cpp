// Ingest's one interface (ingest::ingested, an event_source) and correlate
// pulling from it (correlate::usable_events): the lines left on disk come
// back only for instances that migrated, in walk then line order, and the
// others are never decoded; a line naming only a migration gets its
// instance through the identity index.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/correlate/usable_events.hpp"
#include "migsleuth/ingest/ingested.hpp"
#include "nova_compute/named_migration.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;

namespace {

constexpr std::string_view kMigrating = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";
constexpr std::string_view kIdle = "d892d127-6381-4f17-a019-7581c3bf10ad";
constexpr std::string_view kRequest = "req-6f0c0d1e-0000-4000-8000-000000000001";

// An unshaped WARNING about `instance`: ingest leaves it on disk.
std::string vif_warning(std::string_view time, std::string_view instance,
                        std::string_view task_state) {
  return std::string(time) + " 2211 WARNING nova.compute.manager [" + std::string(kRequest) +
         " - - - - -] [instance: " + std::string(instance) +
         "] Received unexpected event network-vif-plugged-0f0de1cd-2172-4885-b017-446186ab3b06 "
         "for instance with vm_state active and task_state " +
         std::string(task_state) + ".\n";
}

std::string monitoring(std::string_view time) {
  return std::string(time) + " 2211 DEBUG nova.virt.libvirt.driver [" + std::string(kRequest) +
         " - - - - -] [instance: " + std::string(kMigrating) +
         "] Starting monitoring of live migration _live_migration "
         "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9480\n";
}

std::string failure(std::string_view time) {
  return std::string(time) + " 2211 ERROR nova.virt.libvirt.driver [" + std::string(kRequest) +
         " - - - - -] [instance: " + std::string(kMigrating) +
         "] Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
         "qemu+tcp://cmp-b/system: unable to connect to server at 'cmp-b:16509': Connection "
         "refused\n";
}

}  // namespace

TEST_CASE("ingested: correlate pulls the deferred lines of a migrating instance, in walk then "
          "line order, and never decodes those of an instance that did not migrate",
          "[parsers][deferred][correlate]") {
  test::temp_dir dir("ingested");
  dir.write("cmp-a/var/log/nova/nova-compute.log",
            vif_warning("2024-03-05 10:12:05.000", kIdle, "None") +
                monitoring("2024-03-05 10:12:10.120") +
                vif_warning("2024-03-05 10:12:10.900", kMigrating, "migrating") +
                failure("2024-03-05 10:12:11.500"));
  dir.write("cmp-b/var/log/nova/nova-compute.log",
            vif_warning("2024-03-05 10:12:10.300", kMigrating, "migrating") +
                vif_warning("2024-03-05 10:12:10.400", kMigrating, "migrating") +
                vif_warning("2024-03-05 10:12:12.000", kIdle, "None"));
  ingest_options opt;
  opt.paths = {dir.path.string()};
  opt.jobs = 2;
  ingested data = ingest_events(opt, test::shapes());
  REQUIRE(data.deferred_lines() == 5);
  CHECK(data.deferred_decoded() == 0);  // every request is named with its instance in memory
  for (const auto& ev : data.resident()) CHECK(ev.level != "WARNING");

  correlate::usable_events usable(data, data.inputs());
  CHECK(data.deferred_decoded() == 3);  // the migrating instance's three; the idle one's never
  CHECK(data.resident().empty());
  std::vector<std::pair<std::string, std::uint32_t>> pulled;
  for (const auto& ev : usable.events()) {
    CHECK(ev.instance != kIdle);
    if (ev.level == "WARNING") pulled.emplace_back(ev.host, ev.where.line);
  }
  // In-memory lines first, then the deferred ones in walk then line order,
  // whichever thread read which file first.
  const std::vector<std::pair<std::string, std::uint32_t>> walk_order = {
      {"cmp-a", 3}, {"cmp-b", 1}, {"cmp-b", 2}};
  CHECK(pulled == walk_order);
  REQUIRE(usable.events().size() == 5);
  CHECK(usable.events()[0].level == "DEBUG");
  CHECK(usable.events()[1].level == "ERROR");

  std::vector<event> loose;
  const auto incidents = usable.correlate({}, &loose);
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].instance == kMigrating);
  const auto& evs = incidents[0].events;
  CHECK(std::count_if(evs.begin(), evs.end(),
                      [](const event& ev) { return ev.host == "cmp-b"; }) == 2);
  CHECK(loose.empty());  // nothing of the idle instance was ever read back
}

TEST_CASE("named_migration: the UUID a nova line gives a migration it names without its instance",
          "[parsers][identity]") {
  CHECK(named_migration("Unable to delete allocation for migration "
                        "6E1E9334-101a-454a-b551-084a6c1bfcd6: (409 {})") ==
        "6e1e9334-101a-454a-b551-084a6c1bfcd6");
  CHECK(named_migration("migrate_data=...,migration=Migration(6e1e9334-101a-454a-b551-084a6c1bfcd6),"
                        "old_vol_attachment_ids={}") == "6e1e9334-101a-454a-b551-084a6c1bfcd6");
  // Not a migration's: part of another word, or a longer token.
  CHECK(named_migration("live_migration 6e1e9334-101a-454a-b551-084a6c1bfcd6").empty());
  CHECK(named_migration("migration 6e1e9334-101a-454a-b551-084a6c1bfcd6-extra").empty());
  CHECK(named_migration("Setting migration 412 to error").empty());
  CHECK(named_migration("migration").empty());
}

TEST_CASE("ingested: a nova line naming only a migration gets the instance that migration's "
          "controller record names",
          "[parsers][identity][deferred]") {
  test::temp_dir dir("ingested-migration");
  constexpr std::string_view kMigration = "6e1e9334-101a-454a-b551-084a6c1bfcd6";
  dir.write("ctl/migration-list.json",
            R"([
  {
    "Id": 641,
    "UUID": "6e1e9334-101a-454a-b551-084a6c1bfcd6",
    "Source Node": "cmp-a",
    "Dest Node": "cmp-b",
    "Source Compute": "cmp-a",
    "Dest Compute": "cmp-b",
    "Dest Host": "192.0.2.12",
    "Status": "error",
    "Server UUID": "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11",
    "Type": "live-migration",
    "Created At": "2024-03-05T10:12:09.000000",
    "Updated At": "2024-03-05T10:12:12.000000"
  }
]
)");
  // The compute manager's allocation clean-up after the move logs under the
  // migration's UUID (placement's consumer), with a request no other line
  // names with an instance.
  const std::string placement =
      "2024-03-05 10:12:12.204 2211 WARNING nova.scheduler.client.report "
      "[req-0b5e8c7a-4d1f-4e2b-9a6c-3f8d7e1c2b90 - - - - -] Unable to delete allocation for "
      "migration " +
      std::string(kMigration) +
      ": (409 {\"errors\": [{\"status\": 409, \"title\": \"Conflict\", \"detail\": \"There was "
      "a conflict when trying to complete your request.  consumer generation conflict - "
      "expected 1 but got 0  \", \"code\": \"placement.concurrent_update\"}]})\n";
  dir.write("cmp-a/var/log/nova/nova-compute.log",
            monitoring("2024-03-05 10:12:10.120") + failure("2024-03-05 10:12:11.500") + placement);
  ingest_options opt;
  opt.paths = {dir.path.string()};
  ingested data = ingest_events(opt, test::shapes());
  const auto resident = data.resident();
  const auto line = std::find_if(resident.begin(), resident.end(), [](const event& ev) {
    return ev.message.starts_with("Unable to delete allocation");
  });
  REQUIRE(line != resident.end());
  CHECK(line->value("migration_uuid") == kMigration);
  CHECK(line->instance == kMigrating);
  // Not through its request, which no line names with an instance.
  CHECK(data.identities().instance_of_request(line->request_id).empty());

  correlate::usable_events usable(data, data.inputs());
  const auto incidents = usable.correlate({});
  REQUIRE(incidents.size() == 1);
  const auto& evs = incidents[0].events;
  CHECK(std::any_of(evs.begin(), evs.end(), [](const event& ev) {
    return ev.message.starts_with("Unable to delete allocation") && ev.instance == kMigrating;
  }));
}
