// What the pipeline keeps in memory of the lines ingest may set aside whole
// (ingest_options::needed_anyway): a QEMU line of an instance that never
// migrated, which a rule recognises, is still a finding of its own (loose:
// no attempt holds it), as when every QEMU line stayed in memory.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kIdle = "d892d127-6381-4f17-a019-7581c3bf10ad";
constexpr std::string_view kLoadFailed =
    "2024-05-21T14:05:00.000000Z qemu-kvm: Unknown savevm section or instance 'kvm-tpr-opt' 0. "
    "Make sure that your current VM setup matches your saved VM setup, including any "
    "hotplugged devices";

}  // namespace

TEST_CASE("set aside whole: a recognised QEMU line of a never-migrating instance stays a "
          "finding (the pipeline keeps it in memory)",
          "[ingest][deferred][findings]") {
  test::temp_dir dir("set-aside-findings");
  const fs::path bundle = dir.path / "bundle";
  fs::copy(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples/network-port-refused/bundle", bundle,
           fs::copy_options::recursive);
  dir.write("bundle/cmp-a/var/log/libvirt/qemu/instance-00000b0b.log",
            "2024-05-21 14:00:00.000+0000: starting up libvirt version: 9.0.0, qemu version: "
            "7.2.0, hostname: cmp\nLC_ALL=C \\\n-name guest=instance-00000b0b,debug-threads=on "
            "\\\n-uuid " +
                std::string(kIdle) + " \\\n-msg timestamp=on\n" + std::string(kLoadFailed) + "\n");

  diags errors;
  const pipeline::rule_packs rules = pipeline::load_rules({}, errors);
  REQUIRE(errors.empty());
  ingest::ingest_options opt;
  opt.paths = {bundle.string()};
  const pipeline::analysis a = pipeline::run(opt, {}, rules);
  REQUIRE(a.incidents.size() == 1);
  CHECK(a.incidents[0].instance != kIdle);
  const auto found = std::find_if(a.findings.begin(), a.findings.end(), [](const auto& lf) {
    return std::any_of(lf.f.evidence.begin(), lf.f.evidence.end(), [](const evidence_line& e) {
      return e.text.find("Unknown savevm section") != std::string::npos;
    });
  });
  REQUIRE(found != a.findings.end());
  CHECK(found->instance == kIdle);
}
