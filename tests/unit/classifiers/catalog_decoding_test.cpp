// Classification through the message catalog: a rule's `catalog: decides`
// selection takes wordings its own regexes never saw, the innermost layer
// that names a cause decides, a benign outer layer decides nothing, the
// mechanism fallbacks fire only inside another layer's error and say they
// inferred, and a finding resting on time-joined lines never outranks one
// resting on the attempt's own lines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "embedded_rules.hpp"
#include "migsleuth/classifiers/classify.hpp"

using namespace migsleuth;

namespace {

constexpr const char* kInstance = "d8db3f2a-cd8f-48e1-9951-012d762664b2";
constexpr const char* kHeader =
    "2024-05-14 09:12:31.412 2211 ERROR nova.virt.libvirt.driver "
    "[req-3e7b8a52-1f0c-4d2a-9a7e-5b8c2d1e0f44 - - - - -] "
    "[instance: d8db3f2a-cd8f-48e1-9951-012d762664b2] ";

event line(const std::string& message, std::uint32_t no, bool by_time = false) {
  event e;
  e.source = input_kind::nova_compute;
  e.host = "cmp-1";
  e.where = {0, no};
  e.time.micros = (1'715'677'951LL + no) * 1'000'000;
  e.level = "ERROR";
  e.instance = by_time ? "" : kInstance;
  e.linked_by_time = by_time;
  e.text = std::string(kHeader) + message;
  e.message = message;
  return e;
}

incident attempt(outcome result, std::vector<event> events) {
  incident inc;
  inc.id = "inc-1";
  inc.instance = kInstance;
  inc.source = "cmp-1";
  inc.destination = "cmp-2";
  inc.result = result;
  inc.events = std::move(events);
  return inc;
}

verdict classify(outcome result, std::vector<event> events) {
  return test::rules().classify(attempt(result, std::move(events)), {});
}

}  // namespace

TEST_CASE("catalog: a layered wording no rule regex knows is decided by its innermost layer",
          "[classifiers][catalog]") {
  // QEMU's migrate-start-postcopy refusal (migration/migration.c) inside
  // libvirt's monitor error inside nova's "Live Migration failure".
  const auto v = classify(outcome::failed,
                          {line("Live Migration failure: internal error: unable to execute QEMU "
                                "command 'migrate-start-postcopy': Enable postcopy with "
                                "migrate_set_capability before the start of migration",
                                10)});
  CHECK(v.cls == classification::non_convergence);
  CHECK(v.cause == "non_convergence.postcopy-switch-failed");
  CHECK_FALSE(v.inferred);
  REQUIRE(v.decoded.size() >= 3);
  CHECK(v.decoded.front().layer == "nova");
  CHECK(v.decoded.front().verdict == "wrapper");
  CHECK(v.decoded.back().layer == "qemu");
  CHECK(v.decoded.back().entry == "qemu.postcopy-start.capability-not-enabled");
  CHECK(v.decoded.back().text ==
        "Enable postcopy with migrate_set_capability before the start of migration");
}

TEST_CASE("catalog: a benign outer layer decides nothing, whatever it carries",
          "[classifiers][catalog]") {
  // FMT-04: nova's own connection to libvirtd, not a migration stream.
  auto e = line("Connection event '0' reason 'Failed to connect to libvirt: unable to connect to "
                "server at '42.51.26.5:16509': Connection refused'",
                10);
  e.level = "INFO";
  const auto v = classify(outcome::failed, {e});
  CHECK(v.cls == classification::unknown);
  CHECK(v.cause.empty());
}

TEST_CASE("catalog: a succeeded attempt is never classified, even on a line the catalog decides",
          "[classifiers][catalog]") {
  const auto v = classify(outcome::succeeded,
                          {line("Live Migration failure: operation failed: guest CPU doesn't "
                                "match specification: missing features: vmx-rdrand-exit",
                                10)});
  CHECK(v.cls == classification::unknown);
  CHECK(v.cause.empty());
  CHECK(v.decoded.empty());
}

TEST_CASE("catalog: a rule's placeholders are bound from the deciding layer",
          "[classifiers][catalog]") {
  // libvirt's pre-5.x wording of the CPU comparison, which the rule's regex
  // (written for "the CPU is incompatible with host CPU") does not match.
  const auto v = classify(outcome::failed,
                          {line("Live Migration failure: unsupported configuration: guest and host "
                                "CPU are not compatible: Host CPU does not provide required "
                                "features: pdpe1gb, aes",
                                10)});
  CHECK(v.cause == "cpu_incompatibility.host-cpu-missing-features");
  CHECK(v.summary.find("<detail>") == std::string::npos);
  CHECK(v.summary.find("pdpe1gb") != std::string::npos);
}

TEST_CASE("catalog: the mechanism fallback fires only on a wrapped errno, and says it inferred",
          "[classifiers][catalog]") {
  const auto timed_out = classify(
      outcome::failed, {line("Live Migration failure: operation failed: job 'migration out' "
                             "failed: Unable to write to socket: Connection timed out",
                             10)});
  CHECK(timed_out.cls == classification::network);
  CHECK(timed_out.cause == "network.connection-failure-inferred");
  CHECK(timed_out.inferred);
  CHECK(timed_out.confidence <= 0.5);
  CHECK(timed_out.summary.find("Connection timed out") != std::string::npos);

  // A reset says the other QEMU went away, not that the network failed.
  const auto reset = classify(
      outcome::failed, {line("Live Migration failure: operation failed: job 'migration out' "
                             "failed: Unable to write to socket: Connection reset by peer",
                             10)});
  CHECK(reset.cls == classification::unknown);
  CHECK_FALSE(reset.inferred);
  // ... and the unknown verdict says what the catalog read.
  CHECK(reset.summary.find("ECONNRESET") != std::string::npos);

  // Permission denied on libvirt's socket is no disk: no storage inferred.
  const auto socket = classify(
      outcome::failed, {line("Live Migration failure: Failed to connect socket to "
                             "'/var/run/libvirt/libvirt-sock': Permission denied",
                             10)});
  CHECK(socket.cls == classification::unknown);
  const auto disk = classify(
      outcome::failed, {line("Live Migration failure: unable to open "
                             "/var/lib/nova/instances/d8db3f2a-cd8f-48e1-9951-012d762664b2/disk: "
                             "Permission denied",
                             10)});
  CHECK(disk.cause == "storage.access-denied-inferred");
  CHECK(disk.inferred);
}

TEST_CASE("catalog: a finding on time-joined lines only never outranks one on the attempt's own",
          "[classifiers][catalog]") {
  event oom;
  oom.source = input_kind::nova_compute;
  oom.host = "cmp-1";
  oom.where = {0, 9};
  oom.time.micros = 1'715'677'950LL * 1'000'000;
  oom.level = "ERROR";
  oom.linked_by_time = true;
  oom.text = "May 14 09:12:30 cmp-1 kernel: Out of memory: Killed process 48213 (qemu-kvm) "
             "total-vm:17112344kB, anon-rss:16502236kB";
  oom.message = oom.text;
  const auto refused = line("Live Migration failure: operation failed: Failed to connect to remote "
                            "libvirt URI qemu+tcp://cmp-2/system: unable to connect to server at "
                            "'cmp-2:16509': Connection refused",
                            10);
  const auto both = classify(outcome::failed, {oom, refused});
  CHECK(both.cause == "network.migration-port-refused");
  const auto alone = classify(outcome::failed, {oom});
  CHECK(alone.cause == "capacity.host-oom-killed");
  CHECK(alone.confidence < 0.7);  // lowered: joined by host and time only
}

TEST_CASE("catalog: rules decode answers what the report shows", "[classifiers][catalog]") {
  const auto d = test::rules().decode_text(
      "error: operation failed: guest CPU doesn't match specification: missing features: xsave");
  CHECK(d.decided_by == "libvirt.cpu.guest-cpu-mismatch");
  CHECK(d.cause == "cpu_incompatibility.guest-cpu-mismatch");
  CHECK(test::rules().decode_text("all good here").layers.empty());
}
