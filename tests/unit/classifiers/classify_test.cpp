// rule_book::classify on incidents built in code from evidence.md lines:
// the embedded packs decide the class, cite the lines, and fill read-only
// commands with the incident's own values.
#include <catch2/catch.hpp>

#include "embedded_rules.hpp"

#include <string>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"

using migsleuth::classification;
using migsleuth::diags;
using migsleuth::event;
using migsleuth::incident;
using migsleuth::input;
using migsleuth::input_kind;
using migsleuth::outcome;
using migsleuth::run_where;
using migsleuth::verdict;
using migsleuth::classifiers::is_read_only_command;
using migsleuth::classifiers::rule_book;

namespace {

constexpr const char* kInstance = "3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11";

const rule_book& book() { return migsleuth::test::rules(); }

event ev(input_kind kind, const std::string& host, std::uint32_t line, std::int64_t secs,
         const std::string& level, const std::string& text) {
  event e;
  e.source = kind;
  e.host = host;
  e.where = {kind == input_kind::qemu_domain ? 1u : 0u, line};
  e.time.micros = (1'700'000'000 + secs) * 1'000'000;
  e.level = level;
  e.instance = kInstance;
  e.text = text;
  e.message = text;
  return e;
}

incident base(outcome result) {
  incident inc;
  inc.id = "inc-1";
  inc.instance = kInstance;
  inc.source = "cmp-1";
  inc.destination = "cmp-2";
  inc.request_id = "req-6f0c0d1e-0000-4000-8000-000000000001";
  inc.result = result;
  return inc;
}

void check_commands_read_only(const verdict& v) {
  for (const auto& c : v.confirm) {
    std::string why;
    INFO(c.command);
    CHECK(is_read_only_command(c.command, why));
    CHECK(c.command.find("{") == std::string::npos);
    CHECK(!c.why.empty());
  }
}

// CPU-03 / FMT-11, logged on the destination.
const std::string kCpuPrecheck =
    "2020-04-07 13:24:20.590 8 ERROR oslo_messaging.rpc.server "
    "[req-e0754632-4c01-467c-8ca7-48ae26357c02 c928cb47fcab4408bfcc9ec23251a0c3 "
    "31cf116facb8447b891a55e222b9b4db - default default] Exception during message handling: "
    "InvalidCPUInfo: Unacceptable CPU info: CPU doesn't have compatibility.";
// FMT-16: benign QEMU warnings at start on both hosts.
const std::string kQemuWarning =
    "2022-02-10T16:18:05.033085Z qemu-system-x86_64: warning: host doesn't support requested "
    "feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]";
const std::string kSourceStart =
    "2024-03-05 10:12:40.001 2211 DEBUG nova.virt.libvirt.driver [req-6f0c0d1e-0000-4000-8000-"
    "000000000001 - - - - -] [instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] About to invoke the "
    "migrate API _live_migration_operation";

}  // namespace

TEST_CASE("classify: CPU pre-check refusal on the destination", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.domain = "instance-0000002a";
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-2", 20, 1, "ERROR", kCpuPrecheck));
  const verdict v = book().classify(inc, {});
  CHECK(v.cls == classification::cpu_incompatibility);
  CHECK(v.cause == "cpu_incompatibility.precheck-unacceptable-cpu");
  CHECK(v.confidence == Approx(0.9));
  CHECK_THAT(v.summary, Catch::Matchers::Contains("cmp-2"));
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].host == "cmp-2");
  CHECK(v.evidence[0].where.line == 20);
  CHECK(v.evidence[0].rule == v.cause);
  REQUIRE(!v.confirm.empty());
  check_commands_read_only(v);
  bool hypervisor_show = false;
  for (const auto& c : v.confirm) {
    if (c.command == "openstack hypervisor show cmp-2 -c cpu_info -f json") {
      hypervisor_show = c.where == run_where::controller;
    }
    const bool named = c.command.find("dumpxml instance-0000002a") != std::string::npos;
    CHECK((named || c.command.find("dumpxml") == std::string::npos));
  }
  CHECK(hypervisor_show);
  CHECK(!v.remediation.empty());
}

TEST_CASE("classify: libvirt feature list wins over the generic pre-check", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-2", 20, 1, "ERROR", kCpuPrecheck));
  inc.events.push_back(ev(input_kind::libvirtd, "cmp-2", 5, 1, "",
                          "2021-01-11 10:28:18.110+0000: 25288: error : virCPUx86Compare:1785 : the "
                          "CPU is incompatible with host CPU: Host CPU does not provide required "
                          "features: xsave, avx"));
  const verdict v = book().classify(inc, {});
  CHECK(v.cause == "cpu_incompatibility.host-cpu-missing-features");
  CHECK_THAT(v.summary, Catch::Matchers::Contains("xsave, avx"));
  REQUIRE(v.secondary.size() == 1);
  CHECK(v.secondary[0].rule == "cpu_incompatibility.precheck-unacceptable-cpu");
  // No domain name known: virsh commands fall back to the instance UUID.
  bool uuid_fallback = false;
  for (const auto& c : v.confirm) {
    uuid_fallback = uuid_fallback || c.command.find(std::string("dumpxml ") + kInstance) != std::string::npos;
  }
  CHECK(uuid_fallback);
}

TEST_CASE("classify: migration port refused fills dest and port", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(
      input_kind::nova_compute, "cmp-1", 11, 2, "ERROR",
      "2024-03-05 10:12:44.120 2211 ERROR nova.virt.libvirt.driver [req-6f0c0d1e-0000-4000-8000-"
      "000000000001 - - - - -] [instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Live Migration "
      "failure: operation failed: Failed to connect to remote libvirt URI qemu+tcp://cmp-2/system: "
      "unable to connect to server at 'cmp-2:16509': Connection refused"));
  inc.events.push_back(ev(input_kind::qemu_domain, "cmp-2", 3, 1, "", kQemuWarning));
  const verdict v = book().classify(inc, {});
  CHECK(v.cls == classification::network);
  CHECK(v.cause == "network.migration-port-refused");
  CHECK_THAT(v.summary, Catch::Matchers::Contains("cmp-2:16509"));
  bool ss = false;
  bool nc = false;
  for (const auto& c : v.confirm) {
    ss = ss || (c.command == "ss -ltnp 'sport = :16509'" && c.where == run_where::destination);
    nc = nc || (c.command == "nc -zv -w 5 cmp-2 16509" && c.where == run_where::source);
  }
  CHECK(ss);
  CHECK(nc);
  check_commands_read_only(v);
}

TEST_CASE("classify: evidence from one host only lowers confidence", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-2", 20, 1, "ERROR", kCpuPrecheck));
  const verdict v = book().classify(inc, {});
  CHECK(v.cause == "cpu_incompatibility.precheck-unacceptable-cpu");
  CHECK(v.confidence == Approx(0.9 * 0.8));
  CHECK_THAT(v.summary, Catch::Matchers::Contains("no line from the source host about this attempt"));
}

// CPU-09 / FMT-19: libvirtd on the destination names no domain; correlate
// joins it by host and time only.
const std::string kLibvirtCompare =
    "2025-06-03 10:05:14.291+0000: 4190: error : virCPUx86Compare:2016 : the CPU is incompatible "
    "with host CPU: Host CPU does not provide required features: hle, rtm";

// A line correlate joined by host and time: it names no instance.
event joined_by_time(event e) {
  e.instance.clear();
  e.linked_by_time = true;
  return e;
}

TEST_CASE("classify: a finding resting only on lines joined by time is trusted less",
          "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-2", 5, 0, "DEBUG",
                          "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])"));
  inc.events.push_back(
      joined_by_time(ev(input_kind::libvirtd, "cmp-2", 1, 1, "ERROR", kLibvirtCompare)));
  const verdict v = book().classify(inc, {});
  CHECK(v.cause == "cpu_incompatibility.host-cpu-missing-features");
  CHECK(v.confidence == Approx(0.95 * 0.8));
  CHECK_THAT(v.summary, Catch::Matchers::Contains("by host and time only"));
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].linked_by_time);
}

TEST_CASE("classify: a line joined by time does not count as the silent host's cross-check",
          "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(
      input_kind::nova_compute, "cmp-1", 11, 2, "ERROR",
      "2025-06-03 10:05:14.312 1962 ERROR nova.virt.libvirt.driver [req-6f0c0d1e-0000-4000-8000-"
      "000000000001 - - - - -] [instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Live Migration "
      "failure: the CPU is incompatible with host CPU: Host CPU does not provide required "
      "features: hle, rtm: libvirt.libvirtError: the CPU is incompatible with host CPU: Host CPU "
      "does not provide required features: hle, rtm"));
  inc.events.push_back(
      joined_by_time(ev(input_kind::libvirtd, "cmp-2", 1, 1, "ERROR", kLibvirtCompare)));
  const verdict v = book().classify(inc, {});
  CHECK(v.cause == "cpu_incompatibility.host-cpu-missing-features");
  // Both lines are cited: the source's names the instance, so no time-only
  // lowering; but the destination said nothing that names the attempt.
  CHECK(v.confidence == Approx(0.95 * 0.8));
  CHECK_THAT(v.summary, Catch::Matchers::Contains("no line from the destination host"));
  CHECK_THAT(v.summary, !Catch::Matchers::Contains("by host and time only"));
  CHECK(v.evidence.size() == 2);
}

TEST_CASE("classify: an unknown verdict names a line of the attempt before one joined by time",
          "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  // FMT-07 wording of an EOF from the peer: no rule names a cause for it.
  inc.events.push_back(ev(
      input_kind::nova_compute, "cmp-1", 11, 2, "ERROR",
      "2024-08-27 08:14:30.590 2266 ERROR nova.virt.libvirt.driver [req-6f0c0d1e-0000-4000-8000-"
      "000000000001 - - - - -] [instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Migration "
      "operation has aborted"));
  inc.events.push_back(joined_by_time(
      ev(input_kind::nova_compute, "cmp-2", 32, 4, "ERROR",
         "2024-08-27 08:14:32.860 2419 ERROR nova.compute.manager "
         "[req-0609767c-dbb5-4157-8400-faf98abf4451 - - - - -] Error updating "
         "resources for node cmp-2.: libvirt.libvirtError: internal error: client "
         "socket is closed")));
  const verdict v = book().classify(inc, {});
  REQUIRE(v.cls == classification::unknown);
  CHECK_THAT(v.summary, Catch::Matchers::Contains("Migration operation has aborted"));
  REQUIRE(v.evidence.size() == 2);  // both are listed, the joined one flagged
  CHECK(v.evidence[1].linked_by_time);
}

TEST_CASE("classify: a successful migration with benign QEMU noise is not classified",
          "[classifiers][classify]") {
  incident inc = base(outcome::succeeded);
  inc.events.push_back(ev(input_kind::qemu_domain, "cmp-2", 1, 0, "", kQemuWarning));
  inc.events.push_back(ev(input_kind::qemu_domain, "cmp-1", 2, 1, "",
                          "2022-02-10 16:18:31.313+0000: initiating migration"));
  inc.events.push_back(ev(input_kind::qemu_domain, "cmp-1", 3, 2, "",
                          "2022-02-10 16:18:33.029+0000: shutting down, reason=migrated"));
  const verdict v = book().classify(inc, {});
  CHECK(v.cls == classification::unknown);
  CHECK(v.cause.empty());
  CHECK(v.evidence.empty());
  CHECK(v.confirm.empty());
  // Even if the outcome were not known, benign warnings must not fire any rule.
  inc.result = outcome::unknown;
  const verdict u = book().classify(inc, {});
  CHECK(u.cause.empty());
  CHECK(u.secondary.empty());
}

TEST_CASE("classify: nothing matches -> unknown, said plainly", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  const std::string err =
      "Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR "
      "nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 - - - - - -] "
      "[instance: 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11] Live Migration failure: operation failed: "
      "domain is not running";
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 11, 1, "ERROR", err));
  const verdict v = book().classify(inc, {});
  CHECK(v.cls == classification::unknown);
  CHECK(v.cause.empty());
  CHECK(v.confidence > 0.15);
  CHECK(v.confidence < 0.35);
  CHECK_THAT(v.summary, Catch::Matchers::Contains("No cause rule matched"));
  CHECK_THAT(v.summary, Catch::Matchers::Contains("domain is not running"));
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].where.line == 11);
  REQUIRE(!v.confirm.empty());
  check_commands_read_only(v);
  CHECK(v.confirm[0].command == std::string("openstack server migration list --server ") + kInstance);
}

TEST_CASE("classify: an unknown verdict quotes its error line whole, however long",
          "[classifiers][classify]") {
  // A summary is pasted into tickets and searched for: a message of 400+
  // bytes used to be cut at 300 with "...", losing its end (the errno).
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  std::string err = "Live Migration failure: internal error: qemu unexpectedly closed the monitor: ";
  for (int i = 0; i < 12; ++i) err += "device vhost-user-blk-pci,chardev=char" + std::to_string(i) + " ";
  err += "END-OF-MESSAGE: Broken pipe";
  REQUIRE(err.size() > 400);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 11, 1, "ERROR", err));
  const verdict v = book().classify(inc, {});
  REQUIRE(v.cls == classification::unknown);
  CHECK_THAT(v.summary, Catch::Matchers::Contains(err));
  CHECK_THAT(v.summary, !Catch::Matchers::Contains("..."));
}

TEST_CASE("classify: a stuck migration with no cause says to check both hosts first",
          "[classifiers][classify]") {
  incident inc = base(outcome::stuck);
  inc.destination.clear();  // unknown: commands must show the gap, not an empty string
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  const verdict v = book().classify(inc, {});
  CHECK(v.cls == classification::unknown);
  CHECK_THAT(v.summary, Catch::Matchers::Contains("stuck"));
  REQUIRE(!v.remediation.empty());
  CHECK_THAT(v.remediation[0], Catch::Matchers::Contains("virsh -r list --all"));
  CHECK_THAT(v.remediation[0], Catch::Matchers::Contains("nova reset-state"));
  bool list_both = false;
  for (const auto& c : v.confirm) list_both = list_both || (c.command == "virsh -r list --all" && c.where == run_where::both);
  CHECK(list_both);
}

TEST_CASE("classify: the verdict is deterministic", "[classifiers][classify]") {
  incident inc = base(outcome::failed);
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-1", 10, 0, "DEBUG", kSourceStart));
  inc.events.push_back(ev(input_kind::nova_compute, "cmp-2", 20, 1, "ERROR", kCpuPrecheck));
  const verdict a = book().classify(inc, {});
  const verdict b = book().classify(inc, {});
  CHECK(a.cause == b.cause);
  CHECK(a.summary == b.summary);
  CHECK(a.confirm.size() == b.confirm.size());
}
