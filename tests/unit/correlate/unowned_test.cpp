// Lines that name no instance (libvirtd errors without a domain, nova's
// periodic-task errors) joined to an attempt by host and time only.
// Formats: FMT-19 / CPU-09 (libvirtd), NET-03 (resolver error), FMT-04 /
// FMT-07 (nova), FMT-02 (periodic bracket).
#include <catch2/catch.hpp>

#include "embedded_shapes.hpp"

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

constexpr std::string_view kUuid = "5e791309-2d13-466b-aac6-74c34caa6aff";
constexpr std::string_view kOther = "71c5e9a3-0d2b-4f68-8a1e-3b7d9f5c2e40";
constexpr std::string_view kReq = "req-f983200a-d7b9-49d9-b243-bc64eefd5c37";
constexpr std::string_view kOtherReq = "req-4d0a8e62-b1c3-47f9-9e25-a6c8d0f2b417";

void add(std::vector<event>& all, input_kind kind, std::string host, input_id id,
         std::string_view text) {
  migsleuth::test::parse_into(all, kind, std::move(host), id, text);
}

std::string nova(std::string_view time, std::string_view level, std::string_view logger,
                 std::string_view req, std::string_view uuid, std::string_view msg) {
  return std::string(time) + " 1962 " + std::string(level) + " " + std::string(logger) + " [None " +
         std::string(req) + " 3de117d20e5b45c1ba86c8136c841ef3 " +
         "eab438b17a2a4575a3abff1f78afc4ff - default default] [instance: " + std::string(uuid) +
         "] " + std::string(msg) + "\n";
}

// kvm-a07 -> kvm-b02, failed at 10:05:14.312 (the source's copy of the
// destination libvirt's refusal), rolled back on the destination.
std::string source_log(std::string_view uuid = kUuid, std::string_view req = kReq,
                       std::string_view day = "2025-06-03 10:05") {
  const std::string d(day);
  return nova(d + ":11.893", "DEBUG", "nova.virt.libvirt.driver", req, uuid,
              "Starting monitoring of live migration _live_migration") +
         nova(d + ":14.312", "ERROR", "nova.virt.libvirt.driver", req, uuid,
              "Live Migration failure: the CPU is incompatible with host CPU: Host CPU does not "
              "provide required features: hle, rtm: libvirt.libvirtError: the CPU is "
              "incompatible with host CPU: Host CPU does not provide required features: hle, rtm") +
         nova(d + ":14.530", "ERROR", "nova.virt.libvirt.driver", req, uuid,
              "Migration operation has aborted");
}

std::string dest_log(std::string_view uuid = kUuid, std::string_view req = kReq,
                     std::string_view day = "2025-06-03 10:05") {
  const std::string d(day);
  return nova(d + ":09.020", "DEBUG", "nova.compute.manager", req, uuid,
              "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])");
}

std::string compare_error(std::string_view stamp = "2025-06-03 10:05:14.291") {
  return std::string(stamp) +
         "+0000: 4190: error : virCPUx86Compare:2016 : the CPU is incompatible with host CPU: "
         "Host CPU does not provide required features: hle, rtm\n";
}

std::vector<event> one_attempt() {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "kvm-a07", 0, source_log());
  add(all, input_kind::nova_compute, "kvm-b02", 1, dest_log());
  return all;
}

const event* find_line(const incident& inc, input_id input, std::uint32_t line) {
  for (const auto& ev : inc.events) {
    if (ev.where.input == input && ev.where.line == line) return &ev;
  }
  return nullptr;
}

bool has_note(const incident& inc, std::string_view part) {
  for (const auto& n : inc.notes) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("unowned: a destination libvirtd compare error joins its attempt by time",
          "[correlate]") {
  auto all = one_attempt();
  add(all, input_kind::libvirtd, "kvm-b02", 2, compare_error());
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.destination == "kvm-b02");
  CHECK(inc.result == outcome::failed);
  const event* joined = find_line(inc, 2, 1);
  REQUIRE(joined != nullptr);
  CHECK(joined->linked_by_time);
  CHECK(joined->instance.empty());  // not rewritten: the line still names nothing
  // The attempt's own lines keep their identity link.
  const event* own = find_line(inc, 0, 2);
  REQUIRE(own != nullptr);
  CHECK_FALSE(own->linked_by_time);
  CHECK(has_note(inc, "joined to this attempt by host and time only"));
  CHECK(has_note(inc, "kvm-b02 libvirtd line 1"));
}

TEST_CASE(
    "unowned: a source resolver error without a domain joins, and so does a "
    "periodic-task error on the destination",
    "[correlate]") {
  auto all = one_attempt();
  add(all, input_kind::libvirtd, "kvm-a07", 2,
      "2025-06-03 10:05:14.300+0000: 2874: error : virNetSocketNewConnectTCP:593 : Unable to "
      "resolve address 'kvm-b02.lm.example.net' service '16509': Name or service not known\n");
  add(all, input_kind::nova_compute, "kvm-b02", 3,
      "2025-06-03 10:05:16.860 2419 ERROR nova.compute.manager "
      "[req-0609767c-dbb5-4157-8400-faf98abf4451 - - - - -] Error updating resources for node "
      "kvm-b02.: libvirt.libvirtError: internal error: client socket is closed\n");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const event* resolver = find_line(incidents[0], 2, 1);
  REQUIRE(resolver != nullptr);
  CHECK(resolver->linked_by_time);
  const event* periodic = find_line(incidents[0], 3, 1);
  REQUIRE(periodic != nullptr);  // 2.3 s after the end: inside the margin
  CHECK(periodic->linked_by_time);
}

TEST_CASE("unowned: a line on a third host is not joined", "[correlate]") {
  auto all = one_attempt();
  add(all, input_kind::libvirtd, "kvm-c11", 2, compare_error());
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(find_line(incidents[0], 2, 1) == nullptr);
  CHECK_FALSE(has_note(incidents[0], "host and time only"));
}

TEST_CASE("unowned: a line outside the attempt's span and margin is not joined", "[correlate]") {
  auto all = one_attempt();
  // 12 s after the last failure line, and 30 s before the first line.
  add(all, input_kind::libvirtd, "kvm-b02", 2,
      compare_error("2025-06-03 10:05:26.600") + compare_error("2025-06-03 10:04:39.020"));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(find_line(incidents[0], 2, 1) == nullptr);
  CHECK(find_line(incidents[0], 2, 2) == nullptr);
}

TEST_CASE("unowned: DEBUG lines and lines naming another domain are not joined", "[correlate]") {
  auto all = one_attempt();
  add(all, input_kind::libvirtd, "kvm-b02", 2,
      "2025-06-03 10:05:14.100+0000: 4190: debug : virCPUx86Compare:1990 : compare guest CPU\n"
      "2025-06-03 10:05:14.200+0000: 4190: error : qemuProcessReportLogError:2120 : "
      "vm=0x7f2c3c01a2b0 name=instance-00000099 internal error: process exited while "
      "connecting to monitor\n");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  for (const auto& ev : incidents[0].events) CHECK_FALSE(ev.linked_by_time);
}

TEST_CASE("unowned: two attempts overlapping on a host get none of its lines", "[correlate]") {
  auto all = one_attempt();
  // A second instance moves kvm-b02 -> kvm-a07 at the same time.
  add(all, input_kind::nova_compute, "kvm-b02", 4, source_log(kOther, kOtherReq));
  add(all, input_kind::nova_compute, "kvm-a07", 5, dest_log(kOther, kOtherReq));
  add(all, input_kind::libvirtd, "kvm-b02", 2, compare_error());
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 2);
  for (const auto& inc : incidents) {
    CHECK(find_line(inc, 2, 1) == nullptr);
    CHECK(has_note(inc,
                   "1 line(s) on kvm-b02 naming no instance fell within this attempt and "
                   "another one"));
  }
}

TEST_CASE("unowned: with the other attempt filtered out, the line is still ambiguous",
          "[correlate]") {
  auto all = one_attempt();
  add(all, input_kind::nova_compute, "kvm-b02", 4, source_log(kOther, kOtherReq));
  add(all, input_kind::nova_compute, "kvm-a07", 5, dest_log(kOther, kOtherReq));
  add(all, input_kind::libvirtd, "kvm-b02", 2, compare_error());
  correlate::options opt;
  opt.instance = std::string(kUuid);
  auto incidents = correlate::correlate(std::move(all), {}, opt);
  REQUIRE(incidents.size() == 1);
  CHECK(find_line(incidents[0], 2, 1) == nullptr);
}

TEST_CASE("unowned: a stuck attempt's span ends at its own last line", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "kvm-a07", 0,
      nova("2025-06-03 10:05:11.893", "DEBUG", "nova.virt.libvirt.driver", kReq, kUuid,
           "Starting monitoring of live migration _live_migration") +
          nova("2025-06-03 10:05:41.900", "INFO", "nova.virt.libvirt.migration", kReq, kUuid,
               "Migration running for 30 secs, memory 45% remaining (bytes processed=1, "
               "remaining=2, total=3); disk 0% remaining (bytes processed=0, remaining=0, "
               "total=0)."));
  add(all, input_kind::nova_compute, "kvm-b02", 1, dest_log());
  add(all, input_kind::libvirtd, "kvm-a07", 2,
      "2025-06-03 10:05:44.000+0000: 2874: warning : qemuDomainObjBeginJobInternal:8232 : "
      "Cannot start job (query, none, none) for domain; current job is (async nested, none, "
      "migration out) owned by (2874 remoteDispatchDomainMigratePerform3Params, 0 <null>, 2874 "
      "remoteDispatchDomainMigratePerform3Params (flags=0x9b)) for (32s, 0s, 32s)\n"
      "2025-06-03 11:40:00.000+0000: 2874: error : virNetSocketReadWire:1806 : End of file "
      "while reading data: Input/output error\n");
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::stuck);
  const event* near = find_line(incidents[0], 2, 1);
  REQUIRE(near != nullptr);
  CHECK(near->linked_by_time);
  CHECK(find_line(incidents[0], 2, 2) == nullptr);  // 95 minutes later: not this attempt's
}

TEST_CASE("unowned: a joined line never changes the outcome", "[correlate]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "kvm-a07", 0,
      nova("2025-06-03 10:05:11.893", "DEBUG", "nova.virt.libvirt.driver", kReq, kUuid,
           "Starting monitoring of live migration _live_migration") +
          nova("2025-06-03 10:05:20.000", "INFO", "nova.virt.libvirt.driver", kReq, kUuid,
               "Migration operation has completed") +
          nova("2025-06-03 10:05:21.000", "INFO", "nova.compute.manager", kReq, kUuid,
               "Migrating instance to kvm-b02 finished successfully."));
  add(all, input_kind::nova_compute, "kvm-b02", 1, dest_log());
  add(all, input_kind::libvirtd, "kvm-b02", 2, compare_error("2025-06-03 10:05:15.000"));
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::succeeded);
  REQUIRE(find_line(incidents[0], 2, 1) != nullptr);
}
