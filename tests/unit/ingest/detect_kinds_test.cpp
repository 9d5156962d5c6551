// Detection of the input kinds beyond nova-compute text and QEMU domain logs:
// path pattern AND content probe; a name that lies gives `unrecognized`.
#include <catch2/catch.hpp>

#include "detect.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;

namespace {

// FMT-14 field set, one record per line.
constexpr std::string_view kOsloJson =
    R"({"message": "Live Migration failure: x", "asctime": "2024-05-21 14:02:12", "name": "nova.virt.libvirt.driver", "levelname": "ERROR", "created": 1716300132.463})"
    "\n";
constexpr std::string_view kOsloJsonPretty =
    "{\n  \"message\": \"x\",\n  \"asctime\": \"2024-05-21 14:02:12\",\n  \"name\": \"nova\",\n"
    "  \"levelname\": \"INFO\"\n}\n";
// FMT-19.
constexpr std::string_view kLibvirtd =
    "2016-01-26 10:30:51.197+0000: 8591: debug : qemuMonitorJSONCommandWithFd:264 : Send "
    "command '{\"execute\":\"query-migrate\",\"id\":\"libvirt-144\"}' for write with FD -1\n";
constexpr std::string_view kServerShow =
    "{\n  \"OS-EXT-SRV-ATTR:host\": \"cmp-a\",\n  \"id\": \"bd8a3212-8687-4525-a8f2-f40322c72d5f\"\n}\n";
constexpr std::string_view kMigrations =
    "[\n  {\n    \"Id\": 7,\n    \"Source Compute\": \"cmp-a\",\n    \"Dest Compute\": \"cmp-b\"\n  }\n]\n";
constexpr std::string_view kHypervisor = "{\"cpu_info\": {\"model\": \"Nehalem\"}, \"service_host\": \"cmp-b\"}\n";
constexpr std::string_view kPort = "{\"binding_vnic_type\": \"direct\", \"id\": \"p\"}\n";
constexpr std::string_view kVirshList =
    " Id   Name                State\n------------------------------------\n 3    instance-000001b4   running\n";

}  // namespace

TEST_CASE("detect: oslo.log JSON is nova-compute, one line per record or pretty-printed",
          "[parsers][detect]") {
  const auto d = detect_kind("cmp-a/var/log/nova/nova-compute.log", kOsloJson);
  CHECK(d.kind == input_kind::nova_compute);
  CHECK_THAT(d.reason, Catch::Contains("oslo.log JSON records"));
  CHECK(detect_kind("x/whatever.json", kOsloJsonPretty).kind == input_kind::nova_compute);
}

TEST_CASE("detect: libvirtd logs, plain and journald-wrapped", "[parsers][detect]") {
  CHECK(detect_kind("cmp-a/var/log/libvirt/libvirtd.log", kLibvirtd).kind == input_kind::libvirtd);
  CHECK(detect_kind("cmp-a/notes.txt", kLibvirtd).kind == input_kind::libvirtd);
  // FMT-19 journal form in a shared syslog file.
  CHECK(detect_kind("cmp-a/var/log/messages",
                    "Jan 11 18:28:18 base-pvg.redhat.ren libvirtd[25283]: 2021-01-11 "
                    "10:28:18.110+0000: 25288: error : virCPUx86Compare:1785 : the CPU is "
                    "incompatible with host CPU\nJan 11 18:28:19 base-pvg systemd[1]: Started "
                    "x.\n")
            .kind == input_kind::libvirtd);
  // A QEMU domain log is not a daemon log.
  CHECK(detect_kind("x/var/log/libvirt/qemu/instance-1.log",
                    "2022-02-10 16:18:04.843+0000: starting up libvirt version: 6.0.0\n")
            .kind == input_kind::qemu_domain);
}

TEST_CASE("detect: virsh captures", "[parsers][detect]") {
  CHECK(detect_kind("cmp-a/virsh-list.txt", kVirshList).kind == input_kind::virsh_list);
  CHECK(detect_kind("cmp-a/out.txt", "$ virsh domjobinfo instance-1\nerror: Requested operation "
                                     "is not valid: domain is not running\n")
            .kind == input_kind::domjobinfo);
  CHECK(detect_kind("cmp-a/domjobinfo-instance-1.txt",
                    "error: failed to get domain 'instance-1'\n")
            .kind == input_kind::domjobinfo);
  const auto d = detect_kind("cmp-a/domjobinfo-instance-1.txt", "hello\nworld\n");
  CHECK(d.kind == input_kind::unrecognized);
  CHECK_THAT(d.reason, Catch::Contains("name says domjobinfo"));
}

TEST_CASE("detect: openstack -f json outputs by their keys", "[parsers][detect]") {
  CHECK(detect_kind("controller/server-show.json", kServerShow).kind == input_kind::server_show);
  CHECK(detect_kind("controller/x.json", kMigrations).kind == input_kind::migration_list);
  CHECK(detect_kind("controller/hypervisor-show-cmp-b.json", kHypervisor).kind ==
        input_kind::cpu_info);
  CHECK(detect_kind("controller/port.json", kPort).kind == input_kind::port_show);
}

TEST_CASE("detect: a capture whose name and content disagree is unrecognized, with why",
          "[parsers][detect]") {
  const auto err = detect_kind("controller/server-show.json",
                               "{\"error\": {\"message\": \"Instance x could not be found.\", "
                               "\"code\": 404}}\n");
  CHECK(err.kind == input_kind::unrecognized);
  CHECK_THAT(err.reason, Catch::Contains("name says server-show"));
  CHECK_THAT(err.reason, Catch::Contains("could not be found"));

  const auto http = detect_kind("controller/migration-list.json",
                                "Unknown Error (HTTP 503)\n");
  CHECK(http.kind == input_kind::unrecognized);
  CHECK_THAT(http.reason, Catch::Contains("HTTP 503"));

  const auto other = detect_kind("controller/port-show.json", kServerShow);
  CHECK(other.kind == input_kind::unrecognized);
  CHECK_THAT(other.reason, Catch::Contains("name says port-show"));
}
