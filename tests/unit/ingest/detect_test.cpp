#include <catch2/catch.hpp>

#include "detect.hpp"
#include "walk.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;

namespace {
constexpr std::string_view kNova =
    "2022-02-10 16:18:28.409 284971 DEBUG nova.virt.libvirt.driver [-] hello\n"
    "2022-02-10 16:18:28.410 284971 INFO nova.compute.manager [-] world\n";
constexpr std::string_view kQemu =
    "2022-02-10 16:18:04.843+0000: starting up libvirt version: 6.0.0, qemu version: 4.2.1\n"
    "LC_ALL=C \\\n";
}  // namespace

TEST_CASE("detect: content decides, the name only helps", "[parsers][detect]") {
  CHECK(detect_kind("x/var/log/nova/nova-compute.log", kNova).kind == input_kind::nova_compute);
  CHECK(detect_kind("x/whatever.txt", kNova).kind == input_kind::nova_compute);
  CHECK(detect_kind("x/var/log/libvirt/qemu/instance-1.log", kQemu).kind ==
        input_kind::qemu_domain);
  CHECK(detect_kind("x/notes/instance-1.txt", kQemu).kind == input_kind::qemu_domain);
  CHECK(detect_kind("x/domjobinfo.txt", "Job type:         Failed\nOperation:        Outgoing "
                                        "migration\n")
            .kind == input_kind::domjobinfo);
}

TEST_CASE("detect: a file whose name lies is unrecognized, with the reason", "[parsers][detect]") {
  const auto d = detect_kind("x/var/log/nova/nova-compute.log", "just some text\nmore\n");
  CHECK(d.kind == input_kind::unrecognized);
  CHECK_THAT(d.reason, Catch::Contains("name says nova-compute"));
}

TEST_CASE("detect: empty and binary files", "[parsers][detect]") {
  CHECK(detect_kind("a.log", "").reason == "empty file");
  const auto d = detect_kind("a.log", std::string_view("\x7f" "ELF\0\0\0\n\0\0\0\n", 12));
  CHECK(d.kind == input_kind::unrecognized);
  CHECK_THAT(d.reason, Catch::Contains("binary"));
}

TEST_CASE("walk: the host is the nearest folder that is not a log layout folder",
          "[parsers][walk]") {
  CHECK(host_from_path("/b/cmp-a/var/log/nova/nova-compute.log") == "cmp-a");
  CHECK(host_from_path("/b/cmp-b/var/log/libvirt/qemu/instance-1.log") == "cmp-b");
  CHECK(host_from_path("/b/cmp-a/nova-compute.log") == "cmp-a");
  CHECK(host_from_path("/var/log/nova/nova-compute.log").empty());
}
