// The walk lists a folder at a time and enters subfolders where they sort:
// inputs must come in the order of one sort of every path (component by
// component: "cmp-a/z.log" before "cmp-a.b/a.log", though '.' < '/'), with
// the attribution each file had when every path was held and sorted, and a
// folder's files sharing one host_from text instead of a copy each.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "embedded_shapes.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLine =
    "2024-03-05 10:00:00.000 2000 DEBUG nova.compute.resource_tracker [req-6f0c0d1e-0000-4000-"
    "8000-000000000001 - - - - -] Auditing locally available compute resources\n";

std::vector<std::string> relative_paths(const analysis_input& a, const fs::path& root) {
  std::vector<std::string> out;
  const std::string prefix = root.generic_string() + "/";
  for (const auto& in : a.inputs) {
    const std::string path = in.path.str();
    out.push_back(path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path);
  }
  return out;
}

const input& named(const analysis_input& a, std::string_view tail) {
  for (const auto& in : a.inputs) {
    if (in.path.size() >= tail.size() && in.path.str().ends_with(tail)) return in;
  }
  FAIL("no input ends with " << tail);
  return a.inputs.front();
}

}  // namespace

TEST_CASE("walk: inputs come in path order, folder by folder", "[parsers][ingest][walk]") {
  const test::temp_dir t("walk");
  for (const char* rel :
       {"cmp-a.b/var/log/nova/nova-compute.log", "cmp-a/var/log/nova/nova-compute.log.2",
        "cmp-a/var/log/nova/nova-compute.log", "cmp-a/var/log/nova/nova-compute.log.10",
        "cmp-a/z.log", "cmp-a-1/var/log/nova/nova-compute.log", "cmp-a/var/log/a.log",
        "notes.txt", "captures/virsh-list.txt"}) {
    t.write(rel, kLine);
  }
  REQUIRE(::mkfifo((t.path / "cmp-a/var/log/nova/nova-compute.log.1").c_str(), 0600) == 0);
  fs::create_symlink("nova-compute.log", t.path / "cmp-a/var/log/nova/nova-compute.log.3");

  ingest_options opt;
  opt.paths = {t.path.string()};
  opt.jobs = 2;
  const analysis_input a = ingest::ingest(opt, test::shapes());
  CHECK(relative_paths(a, t.path) ==
        std::vector<std::string>{"captures/virsh-list.txt",
                                 "cmp-a/var/log/a.log",
                                 "cmp-a/var/log/nova/nova-compute.log",
                                 "cmp-a/var/log/nova/nova-compute.log.1",
                                 "cmp-a/var/log/nova/nova-compute.log.10",
                                 "cmp-a/var/log/nova/nova-compute.log.2",
                                 "cmp-a/var/log/nova/nova-compute.log.3",
                                 "cmp-a/z.log",
                                 "cmp-a-1/var/log/nova/nova-compute.log",
                                 "cmp-a.b/var/log/nova/nova-compute.log",
                                 "notes.txt"});

  // The folder given holds host folders: it is the bundle, so the files
  // directly in it, or under a layout folder only, have no host.
  CHECK(named(a, "/notes.txt").host.empty());
  CHECK_THAT(named(a, "/notes.txt").host_from.str(), Catch::Contains("it is the bundle"));
  CHECK(named(a, "captures/virsh-list.txt").host.empty());

  const input& log = named(a, "cmp-a/var/log/nova/nova-compute.log");
  CHECK(log.host == "cmp-a");
  CHECK(log.host_from == "folder name 'cmp-a'");
  CHECK(log.kind == input_kind::nova_compute);
  CHECK(log.lines == 1);
  const input& fifo = named(a, "nova-compute.log.1");
  CHECK(fifo.host == "cmp-a");
  REQUIRE(!fifo.warnings.empty());
  CHECK_THAT(fifo.warnings.front(), Catch::Contains("FIFO"));
  const input& link = named(a, "nova-compute.log.3");
  CHECK(link.host == "cmp-a");
  CHECK(link.lines == 1);  // a link to a file inside the bundle is read
  CHECK(named(a, "cmp-a-1/var/log/nova/nova-compute.log").host == "cmp-a-1");
  CHECK(named(a, "cmp-a.b/var/log/nova/nova-compute.log").host == "cmp-a.b");

  // One text for the files of a folder, not a copy per file.
  CHECK(log.host_from.shares(named(a, "nova-compute.log.10").host_from));
  CHECK(named(a, "cmp-a/z.log").host_from == log.host_from);  // another folder, same words
  CHECK(log.kind_reason.shares(named(a, "nova-compute.log.2").kind_reason));
}

TEST_CASE("walk: the same inputs for any --jobs", "[parsers][ingest][walk]") {
  const test::temp_dir t("walk-jobs");
  for (int h = 0; h < 3; ++h) {
    for (int k = 0; k < 40; ++k) {
      t.write("cmp-" + std::to_string(h) + "/var/log/nova/nova-compute.log." + std::to_string(k),
              std::string(kLine).append(static_cast<std::size_t>(k % 7), '\n'));
    }
  }
  std::vector<std::string> seen[2];
  for (const unsigned jobs : {1U, 2U}) {
    ingest_options opt;
    opt.paths = {t.path.string()};
    opt.jobs = jobs;
    const analysis_input a = ingest::ingest(opt, test::shapes());
    for (const auto& in : a.inputs) {
      seen[jobs - 1].push_back(in.path + "|" + in.host + "|" + in.host_from.str() + "|" +
                               in.kind_reason.str() + "|" + in.clock.str() + "|" +
                               std::to_string(in.lines));
    }
  }
  CHECK(seen[0].size() == 120);
  CHECK(seen[0] == seen[1]);
}
