// The attempt state walk (correlate/src/attempt_state.cpp) on nova and QEMU
// lines in real formats: post-copy moves the guest to the destination, a
// completed transfer is never stuck, lifecycle events start no attempt.
#include <catch2/catch.hpp>

#include <algorithm>

#include "embedded_shapes.hpp"

#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;

namespace {

constexpr std::string_view kUuid = "d29b8652-db47-479a-9a9e-7f65abc703cc";
constexpr std::string_view kReq = "req-69248f67-154b-441e-88c9-6e053f3a2987";
constexpr std::string_view kPeriodicReq = "req-16c9e362-a73a-42fd-b410-34bc522d1255";

void add(std::vector<event>& all, input_kind kind, std::string host, input_id id,
         const std::string& text, std::string file = {}) {
  parsers::line_context ctx;
  ctx.host = std::move(host);
  ctx.input = id;
  ctx.file_name = std::move(file);
  auto r = parsers::parse_text(kind, text, test::shapes(), ctx);
  for (auto& ev : r.events) all.push_back(std::move(ev));
}

std::string nova(std::string_view time, std::string_view level, std::string_view logger,
                 std::string_view req, std::string_view msg) {
  const std::string context =
      req.empty() ? "[-]" : "[None " + std::string(req) + " - - - - - -]";
  return std::string(time) + " 1964 " + std::string(level) + " " + std::string(logger) + " " +
         context + " [instance: " + std::string(kUuid) + "] " + std::string(msg) + "\n";
}

std::string progress(std::string_view time, int secs, int pct) {
  return nova(time, "INFO", "nova.virt.libvirt.driver", kReq,
              "Migration running for " + std::to_string(secs) + " secs, memory " +
                  std::to_string(pct) +
                  "% remaining (bytes processed=1, remaining=2, total=34359738368); disk 0% "
                  "remaining (bytes processed=0, remaining=0, total=0).");
}

// The source up to the switch to post-copy, and the destination's pre_live_migration.
void switched_attempt(std::vector<event>& all, std::string_view lifecycle_req = {}) {
  add(all, input_kind::nova_compute, "cmp-05", 0,
      nova("2024-07-15 16:03:11.438", "INFO", "nova.virt.libvirt.driver", kReq,
           "Starting monitoring of live migration") +
          progress("2024-07-15 16:03:11.960", 0, 100) +
          nova("2024-07-15 16:03:36.967", "INFO", "nova.virt.libvirt.migration", kReq,
               "Switching to post-copy migration mode") +
          nova("2024-07-15 16:03:37.355", "INFO", "nova.compute.manager", lifecycle_req,
               "VM Postcopy started (Lifecycle Event)") +
          progress("2024-07-15 16:03:41.959", 30, 9) + progress("2024-07-15 16:13:41.959", 630, 9));
  add(all, input_kind::nova_compute, "cmp-09", 1,
      nova("2024-07-15 16:03:09.686", "INFO", "nova.compute.manager", kReq,
           "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])"));
}

bool has_note(const incident& inc, std::string_view part) {
  return std::any_of(inc.notes.begin(), inc.notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("attempt state: a stall after the switch to post-copy is stuck with the guest on the "
          "destination", "[correlate][attempt-state]") {
  std::vector<event> all;
  switched_attempt(all);
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.result == outcome::stuck);
  CHECK(inc.phase == attempt_phase::stuck_post_copy);
  CHECK(inc.post_copy);
  CHECK(format_rfc3339(inc.post_copy_at) == "2024-07-15T16:03:36.967000Z");
  CHECK(inc.guest_host == "cmp-09");
  CHECK(has_note(inc, "stuck in post-copy"));
}

TEST_CASE("attempt state: a failure after the switch says the guest ran on the destination and "
          "that nova's rollback stopped it", "[correlate][attempt-state]") {
  std::vector<event> all;
  switched_attempt(all);
  const std::string err =
      "operation failed: migration out job: Unable to write to socket: Connection reset by peer";
  add(all, input_kind::nova_compute, "cmp-05", 2,
      nova("2024-07-15 16:13:57.804", "ERROR", "nova.virt.libvirt.driver", kReq,
           "Live Migration failure: " + err + ": libvirt.libvirtError: " + err));
  add(all, input_kind::nova_compute, "cmp-09", 3,
      nova("2024-07-15 16:14:01.530", "INFO", "nova.virt.libvirt.driver", kReq,
           "Instance destroyed successfully."));
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  const incident& inc = incidents[0];
  CHECK(inc.result == outcome::failed);
  CHECK(inc.phase == attempt_phase::failed);
  CHECK(inc.guest_host == "cmp-09");
  CHECK(has_note(inc, "failed after the job switched to post-copy"));
  CHECK(has_note(inc, "nova then rolled the destination back"));
}

TEST_CASE("attempt state: a pre-copy failure leaves the guest on the source, rolled back",
          "[correlate][attempt-state]") {
  std::vector<event> all;
  add(all, input_kind::nova_compute, "cmp-05", 0,
      nova("2024-07-15 16:03:11.438", "INFO", "nova.virt.libvirt.driver", kReq,
           "Starting monitoring of live migration") +
          nova("2024-07-15 16:03:57.804", "ERROR", "nova.virt.libvirt.driver", kReq,
               "Live Migration failure: operation failed: migration out job: Unable to write to "
               "socket: Connection reset by peer"));
  add(all, input_kind::nova_compute, "cmp-09", 1,
      nova("2024-07-15 16:03:09.686", "INFO", "nova.compute.manager", kReq,
           "pre_live_migration data is LibvirtLiveMigrateData(bdms=[])") +
          nova("2024-07-15 16:04:01.530", "INFO", "nova.virt.libvirt.driver", kReq,
               "Instance destroyed successfully."));
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::failed);
  CHECK(incidents[0].phase == attempt_phase::rolled_back);
  CHECK_FALSE(incidents[0].post_copy);
  CHECK(incidents[0].guest_host == "cmp-05");
}

TEST_CASE("attempt state: the source QEMU shut down with reason=migrated is a completed "
          "transfer, never stuck", "[correlate][attempt-state]") {
  std::vector<event> all;
  const std::string src =
      "2024-07-02 09:18:44.076+0000: starting up libvirt version: 8.0.0, package: 1ubuntu7.10, "
      "qemu version: 6.2.0Debian 1:6.2+dfsg-2ubuntu6.21, kernel: 5.15.0-112-generic, hostname: "
      "cmp-05\n"
      "/usr/bin/qemu-system-x86_64 \\\n"
      "-name guest=instance-00002b66,debug-threads=on \\\n"
      "-uuid d29b8652-db47-479a-9a9e-7f65abc703cc \\\n"
      "-msg timestamp=on\n"
      "2024-07-15 16:03:12.197+0000: initiating migration\n"
      "2024-07-15 16:03:49.901+0000: shutting down, reason=migrated\n";
  add(all, input_kind::qemu_domain, "cmp-05", 0, src, "instance-00002b66.log");
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].result == outcome::succeeded);
  CHECK(incidents[0].phase == attempt_phase::completing);
  CHECK(has_note(incidents[0], "the transfer completed"));
}

TEST_CASE("attempt state: lifecycle events under another request id start no attempt",
          "[correlate][attempt-state]") {
  std::vector<event> all;
  switched_attempt(all, kPeriodicReq);
  add(all, input_kind::nova_compute, "cmp-05", 2,
      nova("2024-07-15 16:14:49.770", "INFO", "nova.compute.manager", kPeriodicReq,
           "VM Migration completed (Lifecycle Event)") +
          nova("2024-07-15 16:14:49.959", "INFO", "nova.virt.libvirt.driver", kReq,
               "Migration operation has completed"));
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].request_id == kReq);
  CHECK(incidents[0].result == outcome::succeeded);
  for (const auto& ev : incidents[0].events) {
    if (ev.shape.starts_with("nova.lifecycle.")) CHECK(ev.request_id.empty());
  }
}

TEST_CASE("attempt state: a one-line QEMU command line (older libvirt) still names the instance",
          "[correlate][attempt-state][qemu-domain]") {
  // libvirt before the one-option-per-line command line wrote it on one line
  // after the environment (EL7-era logs); the -uuid sits in the middle.
  std::vector<event> all;
  const std::string src =
      "2019-03-04 10:11:12.345+0000: starting up libvirt version: 4.5.0, package: "
      "10.el7_6.4 (CentOS BuildSystem <http://bugs.centos.org>, 2019-01-29-17:31:22, "
      "x86-01.bsys.centos.org), qemu version: 2.12.0qemu-kvm-ev-2.12.0-18.el7_6.3.1, kernel: "
      "3.10.0-957.5.1.el7.x86_64, hostname: cmp-05\n"
      "LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin QEMU_AUDIO_DRV=none "
      "/usr/libexec/qemu-kvm -name guest=instance-00002b66,debug-threads=on -S -machine "
      "pc-i440fx-rhel7.6.0,accel=kvm,usb=off,dump-guest-core=off -cpu host -m 4096 -uuid "
      "d29b8652-db47-479a-9a9e-7f65abc703cc -no-user-config -nodefaults\n"
      "2019-03-04 10:20:00.000+0000: initiating migration\n"
      "2019-03-04 10:20:31.500+0000: shutting down, reason=migrated\n";
  add(all, input_kind::qemu_domain, "cmp-05", 0, src, "instance-00002b66.log");
  const auto incidents = correlate::correlate(std::move(all), {}, {});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].instance == kUuid);
  CHECK(incidents[0].domain == "instance-00002b66");
  CHECK(incidents[0].result == outcome::succeeded);
}
