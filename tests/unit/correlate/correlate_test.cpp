// Correlation on events parsed from realistic two-host logs.
#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

constexpr std::string_view kUuid = "88084fdd-51dc-4967-8493-c1169e4533ec";

using test::shapes;

void add(std::vector<event>& all, input_kind kind, std::string host, input_id id,
         std::string_view text, std::string file = {}) {
  parsers::line_context ctx;
  ctx.host = std::move(host);
  ctx.input = id;
  ctx.file_name = std::move(file);
  auto r = parsers::parse_text(kind, text, shapes(), ctx);
  for (auto& ev : r.events) all.push_back(std::move(ev));
}

std::string nova(std::string_view time, std::string_view level, std::string_view logger,
                 std::string_view req, std::string_view msg, bool with_instance = true) {
  std::string line = std::string(time) + " 2 " + std::string(level) + " " + std::string(logger) +
                     " [None " + std::string(req) + " - - - - - -] ";
  if (with_instance) line += "[instance: " + std::string(kUuid) + "] ";
  return line + std::string(msg) + "\n";
}

constexpr std::string_view kReq1 = "req-4e14c92b-915c-4df2-ac6f-467686624677";
constexpr std::string_view kReq2 = "req-5a25d03c-a26d-4e13-bd70-578797735788";

std::string source_failed_attempt() {
  return nova("2023-12-16 11:07:40.100", "DEBUG", "nova.virt.libvirt.driver", kReq1,
              "Starting monitoring of live migration") +
         nova("2023-12-16 11:07:45.380", "ERROR", "nova.virt.libvirt.driver", kReq1,
              "Live Migration failure: operation failed: Failed to connect to remote libvirt URI "
              "qemu+tcp://cmp-b/system: unable to connect to server at 'cmp-b:16509': "
              "Connection refused") +
         nova("2023-12-16 11:07:45.612", "ERROR", "nova.virt.libvirt.driver", kReq1,
              "Migration operation has aborted");
}

}  // namespace

TEST_CASE("correlate: one failed attempt joins both hosts by request id", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0, source_failed_attempt());
  // Destination: pre_live_migration, with a clock 2 s behind; and an
  // rpc.server line that carries only the request id.
  add(all, input_kind::nova_compute, "cmp-b", 1,
      nova("2023-12-16 11:07:37.900", "DEBUG", "nova.compute.manager", kReq1,
           "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])") +
          nova("2023-12-16 11:07:44.000", "ERROR", "oslo_messaging.rpc.server", kReq1,
               "Exception during message handling: RemoteError: boom", false));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.instance == kUuid);
  CHECK(inc.request_id == kReq1);
  CHECK(inc.source == "cmp-a");
  CHECK(inc.destination == "cmp-b");
  CHECK(inc.result == outcome::failed);
  CHECK(format_rfc3339(inc.started) == "2023-12-16T11:07:37.900000Z");
  CHECK(format_rfc3339(inc.ended) == "2023-12-16T11:07:45.612000Z");
  REQUIRE(inc.events.size() == 5);
  CHECK(inc.events[1].host == "cmp-a");  // time order across hosts
  CHECK(inc.events[2].logger == "oslo_messaging.rpc.server");
  CHECK(inc.events[2].instance == kUuid);  // joined through the request id
  CHECK(inc.id.substr(0, 4) == "mig-");
}

TEST_CASE("correlate: the destination named only by the source", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0, source_failed_attempt());
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].destination == "cmp-b");
  CHECK(incidents[0].destination_from == "named in a source line");
  REQUIRE_FALSE(incidents[0].notes.empty());
  CHECK_THAT(incidents[0].notes[0], Catch::Contains("no logs from the destination host 'cmp-b'"));
}

TEST_CASE("correlate: a failed attempt then a successful retry are two incidents",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      source_failed_attempt() +
          nova("2023-12-16 11:20:00.000", "DEBUG", "nova.virt.libvirt.driver", kReq2,
               "Starting monitoring of live migration") +
          nova("2023-12-16 11:20:09.000", "INFO", "nova.virt.libvirt.driver", kReq2,
               "Migration operation has completed") +
          nova("2023-12-16 11:20:10.000", "INFO", "nova.compute.manager", kReq2,
               "Migrating instance to cmp-c finished successfully."));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[0].result == outcome::failed);
  CHECK(incidents[1].result == outcome::succeeded);
  CHECK(incidents[1].destination == "cmp-c");
  CHECK(incidents[0].id != incidents[1].id);
}

TEST_CASE("correlate: started and never ended is stuck", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      nova("2024-05-02 03:00:00.000", "DEBUG", "nova.virt.libvirt.driver", kReq1,
           "Starting monitoring of live migration") +
          nova("2024-05-02 03:00:30.000", "INFO", "nova.virt.libvirt.migration", kReq1,
               "Migration running for 30 secs, memory 45% remaining (bytes processed=1, "
               "remaining=2, total=3); disk 0% remaining (bytes processed=0, remaining=0, "
               "total=0).") +
          nova("2024-05-02 03:20:11.904", "INFO", "nova.compute.manager",
               "req-0b9c2d2e-1f3a-4b5c-9d6e-7f8a9b0c1d2e",
               "During sync_power_state the instance has a pending task (migrating). Skip."));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::stuck);
  CHECK_FALSE(incidents[0].ended.known());
  CHECK(incidents[0].events.size() == 3);  // the periodic line joins by time
  bool noted = false;
  for (const auto& n : incidents[0].notes) noted = noted || n.find("never completed") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("correlate: QEMU lines join by domain name; a boot long before is left out",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0, source_failed_attempt());
  add(all, input_kind::qemu_domain, "cmp-a", 1,
      "2023-12-01 08:00:00.000+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, "
      "hostname: cmp-a\n"
      "LC_ALL=C \\\n-name guest=instance-0000002a,debug-threads=on \\\n"
      "-uuid 88084fdd-51dc-4967-8493-c1169e4533ec \\\n-msg timestamp=on\n"
      "2023-12-16T11:07:45.100000Z qemu-system-x86_64: warning: something during the attempt\n",
      "instance-0000002a.log");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].domain == "instance-0000002a");
  std::size_t qemu = 0;
  for (const auto& ev : incidents[0].events) qemu += ev.source == input_kind::qemu_domain;
  CHECK(qemu == 1);  // the warning, not the boot two weeks earlier
}

TEST_CASE("correlate: ids are stable and depend on instance, source and start", "[correlate]") {
  timestamp t{1'700'000'000'000'000};
  CHECK(correlate::incident_id("a", "h", t) == correlate::incident_id("a", "h", t));
  CHECK(correlate::incident_id("a", "h", t) != correlate::incident_id("a", "g", t));
  CHECK(correlate::incident_id("a", "h", t).size() == 20);
}

TEST_CASE("correlate: no migration markers means no incident", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      nova("2023-12-16 11:07:40.100", "WARNING", "nova.compute.manager", kReq1,
           "Received unexpected event network-vif-plugged-x for instance"));
  CHECK(correlate::correlate(std::move(all), {}, {}).empty());
}

TEST_CASE("correlate: the migration record gives the id, fills roles, and is a last-resort outcome",
          "[correlate]") {
  std::vector<event> all;
  // Only the source's QEMU log and the controller's record: no nova lines.
  add(all, input_kind::qemu_domain, "cmp-a", 0,
      "2023-12-16 11:07:41.000+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, "
      "hostname: cmp-a\nLC_ALL=C \\\n-name guest=instance-0000002a,debug-threads=on \\\n"
      "-uuid 88084fdd-51dc-4967-8493-c1169e4533ec \\\n-msg timestamp=on\n"
      "2023-12-16 11:07:44.000+0000: initiating migration\n",
      "instance-0000002a.log");
  // FMT-24 shape (OSC display headers), Created At in naive UTC.
  add(all, input_kind::migration_list, "controller", 1,
      R"([{"Id": 4, "UUID": "e2b3a3c4-5d6e-4f70-8192-a3b4c5d6e7f8", "Source Node": "cmp-a",
      "Dest Node": "cmp-b.example.net", "Source Compute": "cmp-a", "Dest Compute": "cmp-b.example.net",
      "Dest Host": null, "Status": "failed", "Server UUID": "88084fdd-51dc-4967-8493-c1169e4533ec",
      "Old Flavor": 1, "New Flavor": 1, "Type": "live-migration",
      "Created At": "2023-12-16T11:07:37.000000", "Updated At": "2023-12-16T11:07:45.000000"}])");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.migration_id == "4");
  CHECK(inc.source == "cmp-a");
  CHECK(inc.destination == "cmp-b.example.net");
  CHECK(inc.destination_from == "the migration record (server migration list)");
  // "initiating migration" alone says it started; the record says it failed.
  CHECK(inc.result == outcome::failed);
  CHECK(format_rfc3339(inc.started) == "2023-12-16T11:07:44.000000Z");  // logs first
}

TEST_CASE("correlate: a destination rollback under the request id fails an attempt the source never started",
          "[correlate]") {
  // NET-08: the source waits for network-vif-plugged, times out (a WARNING, no
  // failure line), and nova rolls the destination back.
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      nova("2024-11-04 14:21:13.351", "INFO", "nova.compute.manager", kReq1,
           "Took 2.29 seconds for pre_live_migration on destination host cmp-b.") +
          nova("2024-11-04 14:26:11.058", "WARNING", "nova.compute.manager", kReq1,
               "Timed out waiting for events: [('network-vif-plugged', "
               "'4b8b30bc-a418-4a05-84c1-0a410dd203c0')]: eventlet.timeout.Timeout: 300 seconds"));
  add(all, input_kind::nova_compute, "cmp-b", 1,
      nova("2024-11-04 14:21:11.398", "DEBUG", "nova.compute.manager", kReq1,
           "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])") +
          nova("2024-11-04 14:26:11.875", "INFO", "nova.virt.libvirt.driver", kReq1,
               "Instance destroyed successfully."));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].destination == "cmp-b");
  CHECK(incidents[0].result == outcome::failed);
  CHECK(format_rfc3339(incidents[0].ended) == "2024-11-04T14:26:11.875000Z");
}

TEST_CASE("correlate: a rollback line of another request does not end the attempt", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-b", 1,
      nova("2024-11-04 14:21:11.398", "DEBUG", "nova.compute.manager", kReq1,
           "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])") +
          nova("2024-11-04 14:22:11.875", "INFO", "nova.virt.libvirt.driver", kReq2,
               "Instance destroyed successfully."));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::stuck);
}

TEST_CASE("correlate: a pre-check refused by the conductor does not make the controller the destination",
          "[correlate]") {
  // NET-11: the conductor logs the refusal through nova.scheduler.utils.
  std::vector<event> all;
  add(all, input_kind::nova_compute, "controller", 0,
      nova("2025-02-11 09:47:35.640", "WARNING", "nova.scheduler.utils", kReq1,
           "Failed to compute_task_migrate_server: Migration pre-check error: Binding failed for "
           "port daf62437-272f-468c-be63-f393033a666b, please check neutron logs for more "
           "information."));
  add(all, input_kind::nova_compute, "cmp-a", 1,
      "2025-02-11 09:40:07.882 5391 DEBUG nova.compute.manager [req-9ff1e94a-24a3-462d-9bca-"
      "4e255bfa96e7 - - - - -] Triggering sync for uuid 88084fdd-51dc-4967-8493-c1169e4533ec "
      "_sync_power_states /usr/lib/python3.6/site-packages/nova/compute/manager.py:9610\n");
  add(all, input_kind::migration_list, "controller", 2,
      R"([{"Id": 212, "Source Compute": "cmp-a", "Dest Compute": "cmp-b", "Status": "error",
      "Server UUID": "88084fdd-51dc-4967-8493-c1169e4533ec", "Type": "live-migration",
      "Created At": "2025-02-11T09:47:33.000000", "Updated At": "2025-02-11T09:47:35.000000"}])");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.result == outcome::failed);
  CHECK(inc.source == "cmp-a");
  CHECK(inc.destination == "cmp-b");
  CHECK(inc.destination_from == "the migration record (server migration list)");
  for (const auto& n : inc.notes) CHECK(n.find("not identified") == std::string::npos);
}

namespace {

// What the instance did after its migration: a warning of another request,
// hours later, and the power-state sync of a later operation.
std::string later_life() {
  return nova("2023-12-16 14:30:10.399", "WARNING", "nova.compute.manager",
              "req-741aaea4-badd-4f90-9507-9c5071724485",
              "Received unexpected event network-vif-plugged for instance with vm_state "
              "active and task_state None.") +
         nova("2023-12-16 15:02:21.200", "INFO", "nova.compute.manager",
              "req-0b9c2d2e-1f3a-4b5c-9d6e-7f8a9b0c1d2e",
              "During sync_power_state the instance has a pending task (rebooting). Skip.");
}

std::size_t lines_after(const incident& inc, std::string_view utc) {
  std::size_t n = 0;
  for (const auto& ev : inc.events) n += format_rfc3339(ev.time) > utc;
  return n;
}

}  // namespace

TEST_CASE("correlate: what the instance did hours after an ended attempt is not part of it",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      source_failed_attempt() +
          nova("2023-12-16 11:09:02.000", "WARNING", "nova.compute.manager",
               "req-9d7c0a55-4b7e-4f0a-9a51-2f1f3f0c6a11",
               "Received unexpected event network-vif-plugged for instance with vm_state "
               "active and task_state None.") +
          later_life());
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::failed);
  // The warning a minute after the failure stays; nothing from the afternoon.
  CHECK(lines_after(incidents[0], "2023-12-16T11:08:00Z") == 1);
  CHECK(lines_after(incidents[0], "2023-12-16T12:00:00Z") == 0);
}

TEST_CASE("correlate: a stuck attempt keeps the later power-state syncs that show it pending",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      nova("2024-05-02 03:00:00.000", "DEBUG", "nova.virt.libvirt.driver", kReq1,
           "Starting monitoring of live migration") +
          nova("2024-05-02 05:20:11.904", "INFO", "nova.compute.manager",
               "req-0b9c2d2e-1f3a-4b5c-9d6e-7f8a9b0c1d2e",
               "During sync_power_state the instance has a pending task (migrating). Skip.") +
          nova("2024-05-02 05:25:00.000", "WARNING", "nova.compute.manager",
               "req-741aaea4-badd-4f90-9507-9c5071724485",
               "Received unexpected event network-vif-plugged for instance with vm_state "
               "active and task_state migrating."));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::stuck);
  REQUIRE(incidents[0].events.size() == 2);
  CHECK(incidents[0].events[1].kind == event_kind::task_pending);
  bool noted = false;
  for (const auto& n : incidents[0].notes) noted = noted || n.find("last line 2024-05-02T05:20:11") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("correlate: a line between two attempts days apart joins neither once past the tail",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      source_failed_attempt() +
          nova("2023-12-16 11:30:00.000", "WARNING", "nova.compute.manager",
               "req-9d7c0a55-4b7e-4f0a-9a51-2f1f3f0c6a11", "Instance shutdown by itself.") +
          nova("2023-12-17 09:00:00.000", "WARNING", "nova.compute.manager",
               "req-9d7c0a55-4b7e-4f0a-9a51-2f1f3f0c6a11", "Instance shutdown by itself.") +
          nova("2023-12-18 10:00:00.000", "DEBUG", "nova.virt.libvirt.driver", kReq2,
               "Starting monitoring of live migration") +
          nova("2023-12-18 10:00:09.000", "INFO", "nova.virt.libvirt.driver", kReq2,
               "Migration operation has completed"));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[0].events.size() == 4);  // its three lines and the warning 15 minutes later
  CHECK(lines_after(incidents[0], "2023-12-17T00:00:00Z") == 0);
  CHECK(incidents[1].events.size() == 2);
}

TEST_CASE("line filter: leaves out what correlate leaves out past an attempt's tail",
          "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0, source_failed_attempt());
  std::vector<event> later;
  add(later, input_kind::nova_compute, "cmp-a", 0,
      later_life() +
          nova("2023-12-16 11:20:00.000", "WARNING", "nova.compute.manager",
               "req-9d7c0a55-4b7e-4f0a-9a51-2f1f3f0c6a11", "Instance shutdown by itself.") +
          nova("2023-12-16 16:00:00.000", "INFO", "nova.compute.manager",
               "req-0b9c2d2e-1f3a-4b5c-9d6e-7f8a9b0c1d2e",
               "During sync_power_state the instance has a pending task (migrating). Skip.") +
          nova("2023-12-16 16:00:00.000", "ERROR", "nova.compute.manager", kReq1,
               "late line of the attempt's own request"));
  const correlate::line_filter usable(all);
  REQUIRE(later.size() == 5);
  CHECK_FALSE(usable.may_use(later[0]));  // 3 hours after the failure
  CHECK_FALSE(usable.may_use(later[1]));  // a pending reboot, not a migration
  CHECK(usable.may_use(later[2]));        // within the tail
  CHECK(usable.may_use(later[3]));        // still pending a migration
  CHECK(usable.may_use(later[4]));        // of the attempt's request
}

TEST_CASE("listings: only each host's run ends are kept, and which host held the instance "
          "before any moment is unchanged",
          "[correlate]") {
  // Held by cmp-a, moved to cmp-b, moved back: first/last pairs of 7 files.
  const std::vector<std::pair<std::string, std::string>> seen = {
      {"cmp-a", "2024-03-01T00:00:00Z"}, {"cmp-a", "2024-03-01T06:00:00Z"},
      {"cmp-a", "2024-03-01T12:00:00Z"}, {"cmp-b", "2024-03-01T13:00:00Z"},
      {"cmp-b", "2024-03-01T20:00:00Z"}, {"cmp-a", "2024-03-02T01:00:00Z"},
      {"cmp-a", "2024-03-02T09:00:00Z"}};
  std::vector<correlate::listing> listings;
  for (const auto& [host, time] : seen) {
    listings.push_back({parse_iso_datetime(time)->time, host, {}});
  }
  const auto holder = [](const std::vector<correlate::listing>& l, std::string_view at) {
    const timestamp t = parse_iso_datetime(at)->time;
    std::string found;
    for (const auto& ev : l) {
      if (!(t < ev.time)) found = ev.host;
    }
    return found;
  };
  const std::vector<correlate::listing> all = listings;
  correlate::keep_run_ends(listings);
  REQUIRE(listings.size() == 6);  // only cmp-a's 06:00 was inside a run
  for (std::string_view at : {"2024-03-01T03:00:00Z", "2024-03-01T09:00:00Z",
                              "2024-03-01T12:30:00Z", "2024-03-01T16:00:00Z",
                              "2024-03-01T23:00:00Z", "2024-03-02T05:00:00Z"}) {
    CHECK(holder(listings, at) == holder(all, at));
  }
}

namespace {

// The source started the job and its log ends there (rotated away); the
// controller's migration list was captured later.
std::vector<event> started_then_recorded(std::string_view status) {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-a", 0,
      nova("2024-05-02 03:00:00.000", "DEBUG", "nova.virt.libvirt.driver", kReq1,
           "Starting monitoring of live migration"));
  add(all, input_kind::migration_list, "controller", 1,
      std::string(R"([{"Id": 7, "Source Compute": "cmp-a", "Dest Compute": "cmp-b", "Status": ")") +
          std::string(status) +
          R"(", "Server UUID": "88084fdd-51dc-4967-8493-c1169e4533ec", "Type": "live-migration",
      "Created At": "2024-05-02T02:59:58.000000", "Updated At": "2024-05-02T03:00:41.000000"}])");
  return all;
}

bool has_note(const incident& inc, std::string_view part) {
  return std::any_of(inc.notes.begin(), inc.notes.end(),
                     [part](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("correlate: a record that says how an attempt ended leaves no note the logs contradict",
          "[correlate]") {
  auto done = correlate::correlate(started_then_recorded("completed"), {}, {});
  REQUIRE(done.size() == 1);
  CHECK(done[0].result == outcome::succeeded);
  CHECK(has_note(done[0], "outcome taken from nova's migration record (status 'completed')"));
  CHECK_FALSE(has_note(done[0], "never completed"));
  CHECK(format_rfc3339(done[0].ended) == "2024-05-02T03:00:41.000000Z");
  // A record that still says running agrees with the logs: the note stays.
  auto running = correlate::correlate(started_then_recorded("running"), {}, {});
  REQUIRE(running.size() == 1);
  CHECK(running[0].result == outcome::stuck);
  CHECK(has_note(running[0], "never completed"));
  CHECK_FALSE(has_note(running[0], "outcome taken"));
}
