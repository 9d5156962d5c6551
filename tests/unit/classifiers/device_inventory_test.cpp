// Device inventory analyzer, end to end below the CLI: nova-compute lines and
// `openstack port show` / `server show` JSON go through the real parsers and
// correlate, then rule_book::classify. Port JSON uses the OSC column names of
// FMT-26; server JSON the FMT-25 keys plus the flavor object that compute API
// >= 2.47 embeds and OSC prints as a dict. Failure lines: the unknown-libvirt-eof
// sample's (no rule knows them), FMT-12 connection refused, DEV-02.
#include <catch2/catch.hpp>

#include "embedded_rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/device_inventory.hpp"
#include "embedded_shapes.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using migsleuth::classifiers::is_read_only_command;
using migsleuth::classifiers::rule_book;

namespace {

constexpr std::string_view kUuid = "a6336d8f-65be-4d74-a9fa-98df34b9f2c6";
constexpr std::string_view kReq = "req-02750c40-3c98-42ad-b683-f69ad0a283d5";
constexpr std::string_view kPortId = "0f0de1cd-7c3e-4f7b-9a41-52d8e6b1c0a9";

const rule_book& book() { return migsleuth::test::rules(); }

void add(std::vector<event>& all, input_kind kind, std::string host, input_id id,
         std::string_view text) {
  migsleuth::test::parse_into(all, kind, std::move(host), id, text);
}

std::string nova(std::string_view time, std::string_view level, std::string_view logger,
                 std::string_view msg, std::string_view req = kReq) {
  return std::string(time) + " 3140 " + std::string(level) + " " + std::string(logger) + " [" +
         std::string(req) + " fdc9763f4a09e1559fdf94cac351d720 683a148dfe18448aac6e80a860099d0c" +
         " - default default] [instance: " + std::string(kUuid) + "] " + std::string(msg) + "\n";
}

std::string source_log(std::string_view failure) {
  std::string out =
      nova("2023-12-05 19:26:14.933", "DEBUG", "nova.virt.libvirt.driver",
           "Starting monitoring of live migration _live_migration "
           "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9411");
  if (failure.empty()) {
    out += nova("2023-12-05 19:26:31.118", "INFO", "nova.compute.manager",
                "Migrating instance to compute-b4 finished successfully.");
    return out;
  }
  out += nova("2023-12-05 19:26:32.832", "ERROR", "nova.virt.libvirt.driver",
              "Live Migration failure: " + std::string(failure));
  out += nova("2023-12-05 19:26:33.129", "ERROR", "nova.virt.libvirt.driver",
              "Migration operation has aborted");
  return out;
}

constexpr std::string_view kEof =
    "End of file while reading data: : Input/output error: libvirt.libvirtError: End of file "
    "while reading data: : Input/output error";

// `openstack port show -f json` of a port with the given vnic type, last
// updated a week before the migration (at boot).
std::string port_json(std::string_view vnic, std::string_view vif_type, std::string_view profile) {
  return R"({
  "admin_state_up": true,
  "allowed_address_pairs": [],
  "binding_host_id": "compute-a1",
  "binding_profile": )" + std::string(profile) + R"(,
  "binding_vif_details": {"port_filter": false, "vlan": "1402"},
  "binding_vif_type": ")" + std::string(vif_type) + R"(",
  "binding_vnic_type": ")" + std::string(vnic) + R"(",
  "created_at": "2023-11-28T09:12:44Z",
  "device_id": ")" + std::string(kUuid) + R"(",
  "device_owner": "compute:nova",
  "fixed_ips": [{"subnet_id": "6b1f3c2e-0d4a-4c8e-9f2b-3a7d5e1c9b40", "ip_address": "10.40.2.17"}],
  "id": ")" + std::string(kPortId) + R"(",
  "mac_address": "fa:16:3e:5b:21:c4",
  "name": "vm-sriov-0",
  "network_id": "2d7c1e9a-5b3f-4a60-8e2d-1f4c6b8a0e37",
  "status": "ACTIVE",
  "updated_at": "2023-11-28T09:13:02Z"
}
)";
}

constexpr std::string_view kVfProfile =
    R"({"pci_slot": "0000:81:11.1", "pci_vendor_info": "8086:154c", "physical_network": "physnet-sriov"})";

// `openstack server show -f json`, compute API >= 2.47 (flavor embedded).
std::string server_json(std::string_view extra_specs) {
  return R"({
  "OS-EXT-SRV-ATTR:host": "compute-a1",
  "OS-EXT-SRV-ATTR:hypervisor_hostname": "compute-a1",
  "OS-EXT-SRV-ATTR:instance_name": "instance-0000069d",
  "OS-EXT-STS:power_state": "Running",
  "OS-EXT-STS:task_state": null,
  "OS-EXT-STS:vm_state": "active",
  "flavor": {"vcpus": 4, "ram": 8192, "disk": 40, "ephemeral": 0, "swap": 0, "original_name": "g1.pci", "extra_specs": )" +
         std::string(extra_specs) + R"(},
  "id": ")" + std::string(kUuid) + R"(",
  "name": "vm-pci",
  "status": "ACTIVE",
  "updated": "2023-12-05T19:26:34Z"
}
)";
}

struct outcome_of {
  incident inc;
  verdict v;
};

outcome_of run(const std::string& source, const std::vector<std::string>& ports,
               const std::string& server = {}) {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "compute-a1", 0, source);
  input_id id = 1;
  for (const auto& p : ports) add(all, input_kind::port_show, "controller", id++, p);
  if (!server.empty()) add(all, input_kind::server_show, "controller", id++, server);
  auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  verdict v = book().classify(incidents[0], {});
  return {std::move(incidents[0]), std::move(v)};
}

// A port record is cited by its "id" line (the record's anchor).
bool cites_port(const verdict& v) {
  for (const auto& e : v.evidence) {
    if (e.text.find("\"binding_vnic_type\"") != std::string::npos) {  // the port's vnic line
      return e.host == "controller" && e.where.line == 8 &&
             e.rule == "device_passthrough.device-inventory";
    }
  }
  return false;
}

void check_read_only(const verdict& v) {
  for (const auto& c : v.confirm) {
    std::string why;
    INFO(c.command);
    CHECK(is_read_only_command(c.command, why));
  }
}

}  // namespace

TEST_CASE("device inventory: an unexplained failure with an SR-IOV direct port is inferred",
          "[classifiers][device_inventory]") {
  const auto r = run(source_log(kEof), {port_json("direct", "hw_veb", kVfProfile)});
  CHECK(r.inc.result == outcome::failed);
  CHECK(r.v.cls == classification::device_passthrough);
  CHECK(r.v.cause == "device_passthrough.device-inventory");
  CHECK(r.v.confidence == Approx(0.3));  // well below any rule
  CHECK_THAT(r.v.summary, Catch::Contains("Inferred from the device inventory, not from an error line"));
  CHECK_THAT(r.v.summary, Catch::Contains("vnic_type direct (SR-IOV VF, PCI 0000:81:11.1) bound to compute-a1"));
  CHECK_THAT(r.v.summary, Catch::Contains("End of file while reading data"));
  CHECK(cites_port(r.v));
  REQUIRE(!r.v.evidence.empty());
  CHECK(r.v.evidence.back().host == "compute-a1");  // the failure line, after the port (older)
  REQUIRE(r.v.notes.size() == 1);
  CHECK_THAT(r.v.notes[0], Catch::StartsWith("device inventory: port " + std::string(kPortId) +
                                             " vnic_type direct (SR-IOV VF"));
  bool port_show = false;
  for (const auto& c : r.v.confirm) {
    port_show = port_show || (c.where == run_where::controller &&
                              c.command.find("openstack port show " + std::string(kPortId)) == 0);
  }
  CHECK(port_show);
  check_read_only(r.v);
}

TEST_CASE("device inventory: normal and macvtap ports migrate like memory, unknown stays unknown",
          "[classifiers][device_inventory]") {
  const auto normal = run(source_log(kEof), {port_json("normal", "ovs", "{}")});
  CHECK(normal.v.cls == classification::unknown);
  CHECK(normal.v.cause.empty());
  CHECK(normal.v.secondary.empty());
  REQUIRE(normal.v.notes.size() == 1);  // still reported as a fact
  CHECK_THAT(normal.v.notes[0], Catch::Contains("vnic_type normal"));

  const auto macvtap = run(source_log(kEof), {port_json("macvtap", "hw_veb", kVfProfile)});
  CHECK(macvtap.v.cls == classification::unknown);
  CHECK_THAT(macvtap.v.notes.at(0), Catch::Contains("migrates transparently"));
}

TEST_CASE("device inventory: a succeeded migration stays a success",
          "[classifiers][device_inventory]") {
  const auto r = run(source_log({}), {port_json("direct", "hw_veb", kVfProfile)},
                     server_json(R"({"pci_passthrough:alias": "a1:1"})"));
  CHECK(r.inc.result == outcome::succeeded);
  CHECK(r.v.cause.empty());
  CHECK(r.v.secondary.empty());
  CHECK(r.v.evidence.empty());
  CHECK(r.v.notes.size() == 2);  // the port and the flavor alias, as facts only
}

TEST_CASE("device inventory: a rule of another class keeps the verdict; the devices are a secondary",
          "[classifiers][device_inventory]") {
  const auto r = run(source_log("operation failed: Failed to connect to remote libvirt URI "
                                "qemu+tcp://compute-b4/system: unable to connect to server at "
                                "'compute-b4:16509': Connection refused"),
                     {port_json("direct", "hw_veb", kVfProfile)});
  CHECK(r.v.cls == classification::network);
  CHECK(r.v.cause == "network.migration-port-refused");
  REQUIRE(r.v.secondary.size() == 1);
  CHECK(r.v.secondary[0].rule == "device_passthrough.device-inventory");
  CHECK(r.v.secondary[0].confidence == Approx(0.3));
  CHECK_FALSE(cites_port(r.v));  // the primary's evidence is the rule's
}

TEST_CASE("device inventory: supports a device_passthrough rule instead of competing with it",
          "[classifiers][device_inventory]") {
  const auto r = run(source_log("Operation not supported: cannot migrate a domain with "
                                "<hostdev mode='subsystem' type='pci'>"),
                     {port_json("direct-physical", "hostdev_physical", kVfProfile)});
  CHECK(r.v.cls == classification::device_passthrough);
  CHECK(r.v.cause == "device_passthrough.hostdev-not-migratable");
  CHECK(r.v.confidence > 0.5);
  CHECK(r.v.secondary.empty());
  CHECK_THAT(r.v.summary, Catch::Contains("Device inventory: port " + std::string(kPortId) +
                                          " vnic_type direct-physical (SR-IOV PF"));
  CHECK(cites_port(r.v));
  int dumpxml = 0;
  for (const auto& c : r.v.confirm) dumpxml += c.command.find("virsh -r dumpxml") == 0 ? 1 : 0;
  CHECK(dumpxml == 1);  // the rule's own check is not repeated
  check_read_only(r.v);
}

TEST_CASE("device inventory: a flavor PCI alias is refused by nova: inferred with more confidence",
          "[classifiers][device_inventory]") {
  const auto r = run(source_log(kEof), {},
                     server_json(R"({"hw:mem_page_size": "large", "pci_passthrough:alias": "a1:1"})"));
  CHECK(r.v.cause == "device_passthrough.device-inventory");
  CHECK(r.v.confidence == Approx(0.4));
  CHECK_THAT(r.v.summary, Catch::Contains("flavor g1.pci pci_passthrough:alias=a1:1"));
  bool flavor_show = false;
  for (const auto& c : r.v.confirm) {
    flavor_show = flavor_show || c.command == "openstack server show " + std::string(kUuid) +
                                                  " -c flavor -f json";
  }
  CHECK(flavor_show);
  check_read_only(r.v);
}

TEST_CASE("device inventory: server show flavor forms", "[classifiers][device_inventory]") {
  std::vector<event> evs;
  add(evs, input_kind::server_show, "controller", 0,
      server_json(R"({"resources:VGPU": "1", "accel:device_profile": "fpga-1"})"));
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].value("flavor") == "g1.pci");
  CHECK(evs[0].value("vgpu") == "1");
  CHECK(evs[0].value("accel_device_profile") == "fpga-1");
  CHECK(evs[0].value("pci_alias").empty());

  // Compute API < 2.47: OSC prints "name (id)"; no extra specs to read.
  evs.clear();
  add(evs, input_kind::server_show, "controller", 0,
      R"j({"flavor": "m1.small (2)", "id": "a6336d8f-65be-4d74-a9fa-98df34b9f2c6", "status": "ACTIVE"})j");
  REQUIRE(evs.size() == 1);
  CHECK(evs[0].value("flavor") == "m1.small (2)");
  CHECK(evs[0].value("pci_alias").empty());
}

TEST_CASE("device inventory: a stuck attempt is not judged; an old port record still belongs",
          "[classifiers][device_inventory]") {
  // No end: the attempt is stuck. The port was last updated a week before.
  const std::string stuck = nova("2023-12-05 19:26:14.933", "DEBUG", "nova.virt.libvirt.driver",
                                 "Starting monitoring of live migration _live_migration "
                                 "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9411");
  const auto r = run(stuck, {port_json("direct", "hw_veb", kVfProfile)});
  CHECK(r.inc.result == outcome::stuck);
  CHECK(r.v.cls == classification::unknown);
  CHECK(r.v.notes.size() == 1);
}

TEST_CASE("device inventory: every attempt of the instance gets its ports",
          "[classifiers][device_inventory]") {
  constexpr std::string_view kReq2 = "req-5a25d03c-a26d-4e13-bd70-578797735788";
  std::vector<event> all;
  add(all, input_kind::nova_compute, "compute-a1", 0,
      source_log(kEof) +
          nova("2023-12-05 20:01:02.000", "DEBUG", "nova.virt.libvirt.driver",
               "Starting monitoring of live migration _live_migration", kReq2) +
          nova("2023-12-05 20:01:20.000", "INFO", "nova.compute.manager",
               "Migrating instance to compute-b4 finished successfully.", kReq2));
  add(all, input_kind::port_show, "controller", 1, port_json("direct", "hw_veb", kVfProfile));
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 2);
  for (const auto& inc : incidents) {
    const auto inv = classifiers::collect_devices(inc);
    REQUIRE(inv);
    CHECK(inv->devices.size() == 1);
  }
  CHECK(book().classify(incidents[0], {}).cause == "device_passthrough.device-inventory");
  CHECK(book().classify(incidents[1], {}).cause.empty());  // the retry succeeded
}

TEST_CASE("device inventory: --explain traces the analyzer", "[classifiers][device_inventory]") {
  const auto direct = run(source_log(kEof), {port_json("direct", "hw_veb", kVfProfile)});
  const auto normal = run(source_log(kEof), {port_json("normal", "ovs", "{}")});
  auto trace_of = [](const incident& inc) {
    for (auto& t : book().explain(inc, {})) {
      if (t.rule == "device_passthrough.device-inventory") return t;
    }
    FAIL("no device inventory trace");
    return classifiers::rule_trace{};
  };
  // The rule decides from facts (rules/causes/device_passthrough/device-inventory.yaml):
  // its lines are those of the facts it cites, the port record and the failure line.
  const auto fired = trace_of(direct.inc);
  CHECK(fired.fired);
  CHECK(fired.lines.size() == 2);
  CHECK(std::count(fired.lines.begin(), fired.lines.end(), source_ref{1, 8}) == 1);
  const auto seen = trace_of(normal.inc);
  CHECK_FALSE(seen.fired);
  CHECK_THAT(seen.why, Catch::Contains("a required fact does not hold: devices.passthrough (it is no)"));
}
