// The embedded catalog decodes the layered lines operators meet (issue 17's
// missed families) nova -> libvirt -> QEMU and decides by the innermost
// entry that names a cause. Lines are real (evidence.md ids, bug reports)
// unless marked composed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

using migsleuth::rulepack::catalog_match;
using migsleuth::rulepack::message_catalog;

namespace {

const message_catalog& embedded() {
  static const message_catalog catalog = [] {
    migsleuth::diags errors;
    return message_catalog::load(migsleuth::rulepack::builtin_sources("catalog/"), errors);
  }();
  return catalog;
}

std::vector<std::string> ids(const std::vector<catalog_match>& chain) {
  std::vector<std::string> out;
  for (const auto& m : chain) out.push_back(m.entry->id);
  return out;
}

std::string decided_cause(const std::string& line) {
  const auto chain = embedded().decode(line);
  for (const auto& id : ids(chain)) UNSCOPED_INFO(id);
  const auto* d = message_catalog::decision(chain);
  return d == nullptr ? std::string("(none)") : d->cause;
}

}  // namespace

TEST_CASE("catalog decode: nova > libvirt job > QEMU > errno keeps the QEMU cause", "[rules][catalog]") {
  // Composed: a refused QEMU migration port as nova reports it (evidence gap 6).
  const std::string line =
      "2024-05-14 09:12:31.412 2211 ERROR nova.virt.libvirt.driver [req-1 - - - - -] [instance: "
      "d8db3f2a-cd8f-48e1-9951-012d762664b2] Live Migration failure: operation failed: job 'migration "
      "out' failed: Failed to connect to 'cmp-2:49152': Connection refused: libvirt.libvirtError: "
      "operation failed: job 'migration out' failed: Failed to connect to 'cmp-2:49152': Connection refused";
  const auto chain = embedded().decode(line);
  CHECK(ids(chain) == std::vector<std::string>{"nova.driver.live-migration-failure",
                                               "libvirt.virerror.operation-failed",
                                               "libvirt.migration.job-failed",
                                               "qemu.sockets.connect-refused"});
  REQUIRE(message_catalog::decision(chain) != nullptr);
  CHECK(message_catalog::decision(chain)->cause == "network.migration-port-refused");
}

TEST_CASE("catalog decode: guest RAM preallocation reaching the source as a closed monitor is capacity", "[rules][catalog]") {
  // CAP-03 (autotest/tp-libvirt#3086) inside nova's wrapper (composition).
  CHECK(decided_cause("ERROR nova.virt.libvirt.driver [-] Live Migration failure: internal error: process "
                      "exited while connecting to monitor: 2020-09-22T07:50:21.840304Z qemu-kvm: unable to "
                      "map backing store for guest RAM: Cannot allocate memory") ==
        "capacity.guest-ram-allocation-failed");
  // qemu-devel (hugetlb restore without enough pages), under libvirt's monitor error (composition).
  CHECK(decided_cause("internal error: qemu unexpectedly closed the monitor: 2024-05-14T09:12:31.412345Z "
                      "qemu-kvm: qemu_prealloc_mem: preallocating memory failed: Bad address") ==
        "capacity.guest-ram-allocation-failed");
  // os-migrate notes: QEMU could not allocate plain (non huge page) guest RAM.
  CHECK(decided_cause("qemu-kvm: cannot set up guest memory 'pc.ram': Cannot allocate memory") ==
        "capacity.guest-ram-allocation-failed");
}

TEST_CASE("catalog decode: pre-check wrappers, truncated journald line, RPC wrapper", "[rules][catalog]") {
  // CPU-02: journalctl truncated the line with '>'.
  CHECK(decided_cause("Jul 31 15:17:34 edpm-compute-0 nova_compute[354378]: 2025-07-31 15:17:34.056 2 ERROR "
                      "oslo_messaging.rpc.server nova.exception.MigrationPreCheckError: Migration pre-check "
                      "error: Unacceptable CPU info: CPU doesn't >") ==
        "cpu_incompatibility.precheck-unacceptable-cpu");
  // STO-04 (hotsos lp1761062).
  CHECK(decided_cause("2023-03-22 10:05:40.657 20779 ERROR oslo_messaging.rpc.server [req-e20743e3 - - - - -] "
                      "Exception during message handling: DestinationDiskExists: The supplied disk path "
                      "(/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2) already exists, it is "
                      "expected not to exist.") == "storage.destination-disk-exists");
  // CAP-02 (nova functional test assertion): a NUMA page-size claim.
  CHECK(decided_cause("Migration pre-check error: Insufficient compute resources: Requested page size is "
                      "different from current page size.") == "capacity.insufficient-compute-resources");
}

TEST_CASE("catalog decode: the issue's missed families each reach a cause", "[rules][catalog]") {
  // Older libvirt punctuation of the CPU error (CPU-05).
  CHECK(decided_cause("Error: unsupported configuration: guest and host CPU are not compatible: Host CPU does "
                      "not provide required features: pdpe1gb, aes, pcid, smx, pclmul") ==
        "cpu_incompatibility.host-cpu-missing-features");
  // VFIO with post-copy (qemu-devel 2023-08).
  CHECK(decided_cause("internal error: unable to execute QEMU command 'migrate': 0000:b1:00.2: VFIO migration "
                      "is not supported with postcopy migration") == "device_passthrough.vfio-postcopy");
  // QEMU refusing post-copy (composed from the qemu-devel desc).
  CHECK(decided_cause("internal error: unable to execute QEMU command 'migrate-set-capabilities': Postcopy is "
                      "not supported: Userfaultfd not available: Function not implemented") ==
        "non_convergence.migration-capability-refused");
  // Destination libvirt cannot open a disk as the QEMU user (composed path, real format).
  CHECK(decided_cause("Live Migration failure: Cannot access storage file "
                      "'/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2/disk' (as uid:107, "
                      "gid:107): Permission denied") == "storage.disk-access-denied");
  // TLS certificate check in libvirtd's log (composed).
  CHECK(decided_cause("2024-05-14 09:12:31.412+0000: 3121: warning : virNetTLSContextCheckCertificate:1102 : "
                      "Certificate check failed Certificate failed validation: The certificate is not trusted.") ==
        "network.migration-tls-failure");
  // mdev type check on the destination (nova master format, composed values).
  CHECK(decided_cause("nova.exception.MigrationPreCheckError: Migration pre-check error: Unable to migrate "
                      "d8db3f2a-cd8f-48e1-9951-012d762664b2: Source mdev types ['nvidia-35'] are not supported "
                      "by this compute : ['nvidia-36'] ") == "device_passthrough.mdev-type-mismatch");
}

TEST_CASE("catalog decode: success and state lines decide nothing", "[rules][catalog]") {
  CHECK(decided_cause("2022-02-10T16:18:33.031019Z qemu-system-x86_64: terminating on signal 15 from pid 1074 "
                      "(/usr/sbin/libvirtd)") == "(none)");
  CHECK(decided_cause("INFO nova.virt.libvirt.driver [-] [instance: x] Migration operation has completed") ==
        "(none)");
  CHECK(decided_cause("2022-02-10T16:18:05.033085Z qemu-system-x86_64: warning: host doesn't support requested "
                      "feature: MSR(48FH).vmx-exit-load-perf-global-ctrl [bit 12]") == "(none)");
  // A failed job without a reason (older libvirt wording, GEN-02) names no cause either.
  const auto chain = embedded().decode("Live Migration failure: operation failed: migration job: unexpectedly failed");
  CHECK(ids(chain).back() == "libvirt.migration.job-unexpectedly-failed");
  CHECK(message_catalog::decision(chain) == nullptr);
  CHECK(embedded().decode("a line no upstream project writes").empty());
}
