// Kubernetes container logs (ingest/src/pod_log.hpp): CRI, docker
// json-file and `kubectl logs --timestamps`, unwrapped for the nova, libvirtd
// parsers. The nova lines are those of an OpenStack-Helm compute
// (vexxhost/atmosphere issue 2553: nova-compute's pod log, Zed+ brackets);
// the CRI and json-file framing as containerd and dockerd write them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "pod_log.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

// nova logs local time (here UTC+02:00); the runtime's stamps are UTC.
constexpr std::string_view kNovaFailure =
    "2025-04-30 22:43:46.485 856115 ERROR nova.virt.libvirt.driver [None "
    "req-bf9315b3-9f20-4f57-a5fa-a6128b7495c1 577363d2d3b24002a81bcb2eddd79595 "
    "79132bb79d6d4b5dab88a933d18d2a36 - - default default] [instance: "
    "31054fa3-17f7-4b8c-870d-464d6c667665] Live Migration failure: authentication failed: "
    "Failed to verify peer's certificate: libvirt.libvirtError: authentication failed: Failed "
    "to verify peer's certificate";
constexpr std::string_view kNovaAborted =
    "2025-04-30 22:43:46.972 856115 ERROR nova.virt.libvirt.driver [None "
    "req-bf9315b3-9f20-4f57-a5fa-a6128b7495c1 577363d2d3b24002a81bcb2eddd79595 "
    "79132bb79d6d4b5dab88a933d18d2a36 - - default default] [instance: "
    "31054fa3-17f7-4b8c-870d-464d6c667665] Migration operation has aborted";

std::string cri(std::string_view stamp, std::string_view tag, std::string_view line) {
  return std::string(stamp) + " stdout " + std::string(tag) + " " + std::string(line);
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    const auto nl = text.find('\n', at);
    out.emplace_back(text.substr(at, nl - at));
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  return out;
}

parse_result parse_pod_log(input_kind kind, std::string_view text, pod_log_format f) {
  line_context ctx;
  ctx.host = "cmp-1";
  auto p = wrap_pod_log(make_parser(kind, test::shapes(), ctx), f, 1U << 20);
  std::uint32_t no = 0;
  for (const auto& l : lines_of(text)) p->feed_line(l, ++no);
  return p->finish();
}

}  // namespace

TEST_CASE("pod log: a CRI log of nova-compute is read as nova's lines, cited as the file holds "
          "them and dated by the runtime's UTC stamp",
          "[parsers][pod_log]") {
  const std::string l1 = cri("2025-04-30T20:43:46.485871234Z", "F", kNovaFailure);
  const std::string l2 = cri("2025-04-30T20:43:46.97301Z", "F", kNovaAborted);
  const std::string text = l1 + "\n" + l2 + "\n";
  REQUIRE(pod_log_format_of(text) == pod_log_format::cri);
  const std::string inner = pod_log_head_as_text(text, pod_log_format::cri);
  CHECK(inner == std::string(kNovaFailure) + "\n" + std::string(kNovaAborted) + "\n");
  const std::string path =
      "node-1/var/log/pods/openstack_nova-compute-default-x7k2p_4f1c2b9e-8d3a-4c55-9e61-"
      "2b7f0d9a6c13/nova-compute/0.log";
  const detection d = detect_pod_log_kind(path, inner, pod_log_format::cri);
  CHECK(d.kind == input_kind::nova_compute);
  CHECK_THAT(d.reason, Catch::Matchers::StartsWith("CRI container log (containerd, CRI-O) of "
                                                   "container 'nova-compute', read as its lines"));

  const auto r = parse_pod_log(input_kind::nova_compute, text, pod_log_format::cri);
  CHECK(r.lines == 2);
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].where.line == 1);
  CHECK(r.events[0].text == l1);  // path:line holds it, prefix and all
  CHECK(r.events[0].request_id == "req-bf9315b3-9f20-4f57-a5fa-a6128b7495c1");
  CHECK(r.events[0].instance == "31054fa3-17f7-4b8c-870d-464d6c667665");
  // nova's own 22:43:46.485 (local) shown as UTC by the runtime's zone: no
  // --tz, no nova/QEMU pair needed.
  CHECK(format_rfc3339(r.events[0].time) == "2025-04-30T20:43:46.485000Z");
  CHECK_FALSE(r.events[0].local_clock);
  CHECK(r.events[1].where.line == 2);
  CHECK(format_rfc3339(r.events[1].time) == "2025-04-30T20:43:46.972000Z");
}

TEST_CASE("pod log: CRI partial records (P) are joined with the next before nova reads them",
          "[parsers][pod_log]") {
  // containerd cuts a line longer than its max_container_log_line_size into
  // P records; the last part is F.
  const std::string_view whole = kNovaFailure;
  const std::size_t cut = whole.find("Live Migration");
  const std::string l1 = cri("2025-04-30T20:43:46.485871234Z", "P", whole.substr(0, cut));
  const std::string l2 = cri("2025-04-30T20:43:46.485871234Z", "F", whole.substr(cut));
  const auto r = parse_pod_log(input_kind::nova_compute, l1 + "\n" + l2 + "\n",
                               pod_log_format::cri);
  CHECK(r.lines == 2);  // the file's lines, both read
  CHECK(r.skipped_lines == 0);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].message.find("Failed to verify peer's certificate") != std::string::npos);
  CHECK(r.events[0].where.line == 1);
  // No one record holds the line: it is shown whole, as nova wrote it, so the
  // rules and the catalog read all of it.
  CHECK(r.events[0].text == whole);
}

TEST_CASE("pod log: a docker json-file log is read as its \"log\" lines", "[parsers][pod_log]") {
  std::string escaped(kNovaFailure);
  escaped.replace(escaped.find("peer's"), 6, "peer\\u0027s");  // as Go's encoder escapes '
  const std::string l1 = "{\"log\":\"" + escaped +
                         "\\n\",\"stream\":\"stdout\",\"time\":\"2025-04-30T20:43:46.485871234Z\"}";
  REQUIRE(pod_log_format_of(l1 + "\n") == pod_log_format::docker_json);
  CHECK(pod_log_head_as_text(l1 + "\n", pod_log_format::docker_json) ==
        std::string(kNovaFailure) + "\n");
  const auto r = parse_pod_log(input_kind::nova_compute, l1 + "\nnot a record\n",
                               pod_log_format::docker_json);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].kind == event_kind::migration_failed);
  CHECK(r.events[0].text == l1);
  CHECK(format_rfc3339(r.events[0].time) == "2025-04-30T20:43:46.485000Z");
  CHECK(r.skipped_lines == 1);
}

TEST_CASE("pod log: kubectl logs --timestamps is unwrapped; a QEMU log (also zoned stamps) is not "
          "taken for it, nor an oslo.log file under TripleO's var/log/containers/",
          "[parsers][pod_log]") {
  const std::string ts = "2025-04-30T20:43:46.485871234Z " + std::string(kNovaFailure) + "\n";
  CHECK(pod_log_format_of(ts) == pod_log_format::kubectl_timestamps);
  const auto r = parse_pod_log(input_kind::nova_compute, ts, pod_log_format::kubectl_timestamps);
  REQUIRE(r.events.size() == 1);
  CHECK(format_rfc3339(r.events[0].time) == "2025-04-30T20:43:46.485000Z");
  // FMT-15 QEMU lines and a plain oslo.log (TripleO's var/log/containers/nova/).
  CHECK(pod_log_format_of("2023-11-22T13:32:08.111189Z qemu-kvm: Cannot read from TLS channel: "
                          "Input/output error\n") == pod_log_format::none);
  CHECK(pod_log_format_of(std::string(kNovaFailure) + "\n") == pod_log_format::none);
  CHECK(pod_log_container("var/log/containers/nova/nova-compute.log").empty());
  CHECK(pod_log_container("var/log/containers/libvirt-libvirt-default-pnhq9_openstack_libvirt-"
                          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log") ==
        "libvirt");
}

TEST_CASE("pod log: the libvirt pod's log (start script trace, then libvirtd) is libvirtd by its "
          "container's name and its lines",
          "[parsers][pod_log]") {
  // OpenStack-Helm's libvirt.sh runs under `set -ex`; libvirtd logs to stderr
  // here (conf.libvirt.log_outputs "3:stderr") in its FMT-19 format.
  const std::string text =
      "2025-04-30T18:02:11.402113Z stderr F + rm -f /var/run/libvirtd.pid\n"
      "2025-04-30T18:02:11.405871Z stderr F + [[ -c /dev/kvm ]]\n"
      "2025-04-30T18:02:11.406010Z stderr F + chmod 660 /dev/kvm\n"
      "2025-04-30T18:02:11.410288Z stderr F + systemd-run --scope --slice=system libvirtd "
      "--listen\n"
      "2025-04-30T20:43:46.480021Z stderr F 2025-04-30 20:43:46.479+0000: 3021: error : "
      "virNetTLSContextCheckCertificate:1093 : authentication failed: Failed to verify peer's "
      "certificate\n";
  const auto f = pod_log_format_of(text);
  REQUIRE(f == pod_log_format::cri);
  const std::string path =
      "var/log/pods/openstack_libvirt-libvirt-default-pnhq9_9c0e4a1d-2b77-4f3e-8a5c-"
      "1d2e3f4a5b6c/libvirt/0.log";
  const detection d = detect_pod_log_kind(path, pod_log_head_as_text(text, f), f);
  CHECK(d.kind == input_kind::libvirtd);
  // The same lines in a file whose container is not named libvirt: the trace
  // outnumbers libvirtd's lines, so nothing says libvirtd.
  CHECK(detect_pod_log_kind("var/log/pods/ns_other-x_uid/sidecar/0.log",
                            pod_log_head_as_text(text, f), f)
            .kind == input_kind::unrecognized);
  const auto r = parse_pod_log(input_kind::libvirtd, text, f);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].where.line == 5);
  CHECK(r.events[0].level == "ERROR");
  CHECK(format_rfc3339(r.events[0].time) == "2025-04-30T20:43:46.479000Z");
}

TEST_CASE("pod log: ingest reads a node's pod logs, says so and why, and their nova clock is exact",
          "[parsers][pod_log][ingest]") {
  const test::temp_dir t("podlog");
  const fs::path file = t.path / "node-1" / "var" / "log" / "pods" /
                        "openstack_nova-compute-default-x7k2p_4f1c2b9e-8d3a-4c55-9e61-"
                        "2b7f0d9a6c13" / "nova-compute" / "0.log";
  fs::create_directories(file.parent_path());
  std::ofstream(file) << cri("2025-04-30T20:43:46.485871234Z", "F", kNovaFailure) << "\n"
                      << cri("2025-04-30T20:43:46.97301Z", "F", kNovaAborted) << "\n";
  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, test::shapes());
  REQUIRE(a.inputs.size() == 1);
  CHECK(a.inputs[0].kind == input_kind::nova_compute);
  CHECK(a.inputs[0].host == "node-1");
  CHECK(a.inputs[0].skipped_lines == 0);
  CHECK_THAT(a.inputs[0].kind_reason, Catch::Matchers::StartsWith("CRI container log"));
  CHECK_THAT(a.inputs[0].clock, Catch::Matchers::StartsWith("exact"));
  REQUIRE(a.events.size() == 2);
  CHECK(format_rfc3339(a.events[0].time) == "2025-04-30T20:43:46.485000Z");
}
