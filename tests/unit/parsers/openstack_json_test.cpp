// `openstack ... -f json` outputs. Keys: evidence FMT-25 (server show column
// map; values as in its observed `nova show` rows), FMT-24 (migration list
// display headers; values from its observed tempest record), FMT-23
// (hypervisor show cpu_info, nova API sample), FMT-26 (port show OSC names).
#include <catch2/catch.hpp>

#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

parse_result parse(input_kind kind, std::string_view text) {
  line_context ctx;
  ctx.host = "controller";
  ctx.input = 3;
  diags errors;
  return parse_text(kind, text, shape_set::load({}, errors), ctx);
}

constexpr std::string_view kServerShow = R"({
  "OS-EXT-SRV-ATTR:host": "compute02",
  "OS-EXT-SRV-ATTR:hypervisor_hostname": "compute02",
  "OS-EXT-SRV-ATTR:instance_name": "instance-0000055e",
  "OS-EXT-STS:power_state": "Running",
  "OS-EXT-STS:task_state": null,
  "OS-EXT-STS:vm_state": "active",
  "fault": {"code": 500, "created": "2023-12-16T11:07:46Z", "message": "End of file while reading data: : Input/output error"},
  "id": "88084FDD-51dc-4967-8493-c1169e4533ec",
  "name": "vm1",
  "status": "ACTIVE",
  "updated": "2023-12-16T11:07:48Z"
}
)";

constexpr std::string_view kMigrationList = R"([
  {
    "Id": 4,
    "UUID": "0c1f3e4a-6b2d-4b8e-9a51-7d2c9e0f1a23",
    "Source Node": "compute-0.ci-rdo.local",
    "Dest Node": "compute-1.ci-rdo.local",
    "Source Compute": "compute-0.ci-rdo.local",
    "Dest Compute": "compute-1.ci-rdo.local",
    "Dest Host": null,
    "Status": "failed",
    "Server UUID": "88084fdd-51dc-4967-8493-c1169e4533ec",
    "Old Flavor": 1,
    "New Flavor": 1,
    "Type": "live-migration",
    "Created At": "2023-12-16T11:07:37.000000",
    "Updated At": "2023-12-16T11:07:45.000000"
  },
  {
    "Id": 3,
    "Source Compute": "compute-1.ci-rdo.local",
    "Dest Compute": "compute-0.ci-rdo.local",
    "Status": "completed",
    "Server UUID": "88084fdd-51dc-4967-8493-c1169e4533ec",
    "Type": "live-migration",
    "Created At": "2023-12-16T10:01:02.000000",
    "Updated At": "2023-12-16T10:01:20.000000"
  }
]
)";

constexpr std::string_view kHypervisor = R"({
  "cpu_info": {
    "arch": "x86_64",
    "model": "Nehalem",
    "vendor": "Intel",
    "features": [
      "pge",
      "clflush"
    ],
    "topology": {
      "cores": 1,
      "threads": 1,
      "sockets": 4
    }
  },
  "hypervisor_hostname": "compute-1.ci-rdo.local",
  "id": "1bb62a04-c576-402c-8147-9e89757a09e3",
  "service_host": "compute-1",
  "state": "up",
  "status": "enabled"
}
)";

constexpr std::string_view kPort = R"({
  "binding_host_id": "compute-0.ci-rdo.local",
  "binding_profile": {"pci_slot": "0000:3b:02.1", "physical_network": "sriov1"},
  "binding_vif_type": "hw_veb",
  "binding_vnic_type": "direct",
  "device_id": "88084fdd-51dc-4967-8493-c1169e4533ec",
  "device_owner": "compute:nova",
  "id": "5f0c7f4e-1d8e-4a59-9d0c-2f4d1b7e8a61",
  "status": "ACTIVE",
  "updated_at": "2023-12-16T11:07:40Z"
}
)";

}  // namespace

TEST_CASE("openstack_json: server show", "[parsers][openstack_json]") {
  const auto r = parse(input_kind::server_show, kServerShow);
  CHECK(r.lines == 13);
  CHECK(r.skipped_lines == 0);
  CHECK(r.warnings.empty());
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::server_record);
  CHECK(ev.source == input_kind::server_show);
  CHECK(ev.host == "controller");  // where the file came from, not the server's host
  CHECK(ev.instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
  CHECK(ev.domain == "instance-0000055e");
  CHECK(ev.value("host") == "compute02");
  CHECK(ev.value("status") == "ACTIVE");
  CHECK(ev.value("vm_state") == "active");
  CHECK(ev.value("task_state").empty());
  CHECK(ev.value("fault") == "End of file while reading data: : Input/output error");
  CHECK(ev.value("fault_code") == "500");
  CHECK(format_rfc3339(ev.time) == "2023-12-16T11:07:48.000000Z");
  // Cited by its fault, not the "id" line: pasted alone, "id": ... says nothing.
  CHECK(ev.where.line == 8);
  CHECK(ev.text.rfind(R"(  "fault": {"code": 500,)", 0) == 0);
  CHECK(ev.value(kCitedKeyPath) == "fault");
  CHECK(ev.value(kCitedValue) == "End of file while reading data: : Input/output error");
  CHECK(ev.value(kCitedRecord) == "server 88084FDD-51dc-4967-8493-c1169e4533ec");
}

TEST_CASE("openstack_json: a server is cited by what makes it evidence, never by ACTIVE",
          "[parsers][openstack_json]") {
  // A healthy server: nothing tells, so the id line identifies it.
  const auto plain = parse(input_kind::server_show,
                           "{\n  \"id\": \"88084fdd-51dc-4967-8493-c1169e4533ec\",\n"
                           "  \"status\": \"ACTIVE\"\n}\n");
  REQUIRE(plain.events.size() == 1);
  CHECK(plain.events[0].where.line == 2);
  CHECK(plain.events[0].value(kCitedKeyPath) == "id");
  // A flavor that puts a PCI device in the guest: the device inventory cites the
  // server for it, so that line is the one shown.
  const auto flavor = parse(
      input_kind::server_show,
      "{\n  \"id\": \"88084fdd-51dc-4967-8493-c1169e4533ec\",\n  \"status\": \"ACTIVE\",\n"
      "  \"flavor\": {\"original_name\": \"gpu.large\", \"extra_specs\": "
      "{\"pci_passthrough:alias\": \"a100:1\"}}\n}\n");
  REQUIRE(flavor.events.size() == 1);
  CHECK(flavor.events[0].where.line == 4);
  CHECK(flavor.events[0].value(kCitedKeyPath) == "flavor");
  CHECK(flavor.events[0].value(kCitedValue).empty());  // an object: read on the line itself
  CHECK(flavor.events[0].value(kCitedRecord) == "server 88084fdd-51dc-4967-8493-c1169e4533ec");
}

TEST_CASE("openstack_json: server migration list, one event per migration",
          "[parsers][openstack_json]") {
  const auto r = parse(input_kind::migration_list, kMigrationList);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::migration_record);
  CHECK(ev.instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
  CHECK(ev.value("migration_id") == "4");
  CHECK(ev.value("migration_uuid") == "0c1f3e4a-6b2d-4b8e-9a51-7d2c9e0f1a23");
  CHECK(ev.value("source_compute") == "compute-0.ci-rdo.local");
  CHECK(ev.value("dest_compute") == "compute-1.ci-rdo.local");
  CHECK(ev.value("dest_host").empty());
  CHECK(ev.value("status") == "failed");
  CHECK(ev.value("type") == "live-migration");
  CHECK(ev.value("created_at") == "2023-12-16T11:07:37.000000");
  CHECK(format_rfc3339(ev.time) == "2023-12-16T11:07:37.000000Z");  // naive = UTC
  CHECK(ev.level == "ERROR");
  CHECK(ev.where.line == 10);  // "Status": "failed", the line that says why it is evidence
  CHECK(ev.value(kCitedKeyPath) == "[0].Status");
  CHECK(ev.value(kCitedValue) == "failed");
  CHECK(ev.value(kCitedRecord) == "migration 4");
  CHECK(r.events[1].where.line == 22);
  CHECK(r.events[1].value(kCitedKeyPath) == "[1].Status");
  CHECK(r.events[1].value("status") == "completed");
  CHECK(r.events[1].level.empty());
}

TEST_CASE("openstack_json: the API's own names read the same", "[parsers][openstack_json]") {
  // FMT-24 observed record, as JSON.
  const auto r = parse(input_kind::migration_list,
                       R"({"id": 4, "source_compute": "compute-0.ci-rdo.local", "dest_compute": "compute-1.ci-rdo.local", "instance_uuid": "88084fdd-51dc-4967-8493-c1169e4533ec", "status": "failed", "migration_type": "live-migration", "created_at": "2023-12-16T11:07:37.000000"})");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].value("migration_id") == "4");
  CHECK(r.events[0].value("type") == "live-migration");
  CHECK(r.events[0].instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
}

TEST_CASE("openstack_json: hypervisor show cpu_info, object or string",
          "[parsers][openstack_json]") {
  const auto r = parse(input_kind::cpu_info, kHypervisor);
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::hypervisor_record);
  CHECK(ev.value("cpu_model") == "Nehalem");
  CHECK(ev.value("cpu_vendor") == "Intel");
  CHECK(ev.value("cpu_arch") == "x86_64");
  CHECK(ev.value("cpu_features") == "clflush,pge");
  CHECK(ev.value("cpu_topology") == "cores=1,threads=1,sockets=4");
  CHECK(ev.value("host") == "compute-1");
  CHECK(ev.value("hypervisor_hostname") == "compute-1.ci-rdo.local");
  CHECK(ev.where.line == 2);

  const auto s = parse(input_kind::cpu_info,
                       R"({"cpu_info": "{\"arch\": \"x86_64\", \"model\": \"Nehalem\", \"vendor\": \"Intel\", \"features\": [\"pge\"]}", "hypervisor_hostname": "cmp-b"})");
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].value("cpu_model") == "Nehalem");
  CHECK(s.events[0].value("host") == "cmp-b");
}

TEST_CASE("openstack_json: port show", "[parsers][openstack_json]") {
  const auto r = parse(input_kind::port_show, kPort);
  REQUIRE(r.events.size() == 1);
  const event& ev = r.events[0];
  CHECK(ev.kind == event_kind::port_record);
  CHECK(ev.value("vnic_type") == "direct");
  CHECK(ev.value("binding_host") == "compute-0.ci-rdo.local");
  CHECK(ev.value("vif_type") == "hw_veb");
  CHECK(ev.value("device_id") == "88084fdd-51dc-4967-8493-c1169e4533ec");
  CHECK(ev.value("binding_profile") ==
        R"({"pci_slot": "0000:3b:02.1", "physical_network": "sriov1"})");
  CHECK(ev.instance == "88084fdd-51dc-4967-8493-c1169e4533ec");
  CHECK(ev.value("port_id") == "5f0c7f4e-1d8e-4a59-9d0c-2f4d1b7e8a61");
}

TEST_CASE("openstack_json: CLI and HTTP errors are warnings", "[parsers][openstack_json]") {
  const auto e = parse(input_kind::server_show,
                       R"({"error": {"message": "Instance 88084fdd could not be found.", "code": 404}})");
  CHECK(e.events.empty());
  REQUIRE(e.warnings.size() == 1);
  CHECK_THAT(e.warnings[0], Catch::Contains("could not be found"));

  const auto h = parse(input_kind::server_show,
                       "No server with a name or ID of 'vm9' exists.\n");
  CHECK(h.events.empty());
  CHECK(h.skipped_lines == 1);
  REQUIRE(h.warnings.size() == 1);
  CHECK_THAT(h.warnings[0], Catch::Contains("No server with a name or ID"));
}

TEST_CASE("openstack_json: empty input", "[parsers][openstack_json]") {
  const auto r = parse(input_kind::migration_list, "");
  CHECK(r.events.empty());
  CHECK(r.warnings.empty());
  CHECK(parse(input_kind::migration_list, "[]\n").events.empty());
}

TEST_CASE("openstack_json: a cut document is a warning and all its lines are skipped",
          "[parsers][openstack_json]") {
  const auto r = parse(input_kind::migration_list, kMigrationList.substr(0, 300));
  CHECK(r.events.empty());
  CHECK(r.skipped_lines == r.lines);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains("cut"));
}
