// Ingest end to end on real files in a temporary folder: one log in every
// supported compression (like ripgrep's sherlock.*), and the bad inputs that
// must become warnings without stopping the rest.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include "embedded_shapes.hpp"
#include "packed.hpp"
#include <filesystem>
#include <fstream>
#include <sstream>

#include "migsleuth/ingest/ingest.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLog =
    "2023-12-16 11:07:44.001 2 DEBUG nova.virt.libvirt.driver [None "
    "req-4e14c92b-915c-4df2-ac6f-467686624677 - - - - - -] [instance: "
    "88084fdd-51dc-4967-8493-c1169e4533ec] Starting monitoring of live migration _live_migration "
    "/usr/lib/python3.9/site-packages/nova/virt/libvirt/driver.py:10000\n"
    "2023-12-16 11:07:45.380 2 ERROR nova.virt.libvirt.driver [None "
    "req-4e14c92b-915c-4df2-ac6f-467686624677 c975637b06c046b3b17ec0b2db35f3e8 "
    "2faa4b99766143de9c8527f163dc0a72 - - default default] [instance: "
    "88084fdd-51dc-4967-8493-c1169e4533ec] Live Migration failure: End of file while reading "
    "data: : Input/output error: libvirt.libvirtError: End of file while reading data: : "
    "Input/output error\n";


void write_plain(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
}

void write_compressed(const fs::path& p, std::string_view text, compression c) {
  write_plain(p, test::packed(text, c));
}

using test::shapes;

const input* find_input(const analysis_input& a, std::string_view suffix) {
  for (const auto& in : a.inputs) {
    if (in.path.size() >= suffix.size() &&
        in.path.str().substr(in.path.size() - suffix.size()) == suffix) {
      return &in;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("ingest: the same log in every compression gives the same events", "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  const fs::path logs = t.path / "cmp-a" / "var" / "log" / "nova";
  write_plain(logs / "nova-compute.log", kLog);
  // Names hide the codec on purpose: the magic bytes decide.
  write_compressed(logs / "nova-compute.log.1", kLog, compression::gzip);
  write_compressed(logs / "nova-compute.log.2", kLog, compression::bzip2);
  write_compressed(logs / "nova-compute.log.3", kLog, compression::xz);
  write_compressed(logs / "nova-compute.log.4", kLog, compression::zstd);

  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  REQUIRE(a.inputs.size() == 5);
  CHECK_FALSE(a.any_unreadable);
  const compression expected[] = {compression::none, compression::gzip, compression::bzip2,
                                  compression::xz, compression::zstd};
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(a.inputs[i].path);
    CHECK(a.inputs[i].packing == expected[i]);
    CHECK(a.inputs[i].kind == input_kind::nova_compute);
    CHECK(a.inputs[i].host == "cmp-a");
    CHECK(a.inputs[i].lines == 2);
    CHECK(a.inputs[i].skipped_lines == 0);
    CHECK(a.inputs[i].warnings.empty());
  }
  REQUIRE(a.events.size() == 10);
  for (std::size_t i = 0; i < 10; i += 2) {
    CHECK(a.events[i].kind == event_kind::migration_started);
    CHECK(a.events[i + 1].kind == event_kind::migration_failed);
    CHECK(a.events[i + 1].text == a.events[1].text);
    CHECK(a.events[i + 1].where.line == 2);
  }
}

TEST_CASE("ingest: a truncated gzip keeps the lines read and warns", "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  std::string big;
  for (int i = 0; i < 2000; ++i) big += kLog;
  const std::string whole = test::packed(big, compression::gzip);
  write_plain(t.path / "cmp-a" / "nova-compute.log.gz", whole.substr(0, whole.size() / 2));
  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  REQUIRE(a.inputs.size() == 1);
  const input& in = a.inputs[0];
  CHECK(in.packing == compression::gzip);
  CHECK(in.lines > 0);
  CHECK(in.lines < 4000);
  REQUIRE_FALSE(in.warnings.empty());
  CHECK_THAT(in.warnings[0], Catch::Contains("truncated or corrupt"));
}

TEST_CASE("ingest: a truncated zstd frame keeps the lines read and warns", "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  std::string varied;
  for (int i = 0; i < 100000; ++i) varied += "2024-05-21 14:00:00.000 1 INFO x [-] line " + std::to_string(i) + "\n";
  const std::string whole = test::packed(varied, compression::zstd);
  write_plain(t.path / "cmp-a" / "nova-compute.log.zst", whole.substr(0, whole.size() / 2));
  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  REQUIRE(a.inputs.size() == 1);
  CHECK(a.inputs[0].packing == compression::zstd);
  CHECK(a.inputs[0].lines > 1000);
  CHECK(a.inputs[0].lines < 100000);
  REQUIRE_FALSE(a.inputs[0].warnings.empty());
  CHECK_THAT(a.inputs[0].warnings[0], Catch::Contains("ends inside a frame"));
}

TEST_CASE("ingest: a decompression bomb is bounded by the limit", "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  const std::string zeros(8U << 20, 'A');
  write_compressed(t.path / "cmp-a" / "bomb.log", zeros, compression::gzip);
  ingest_options opt;
  opt.paths = {t.path.string()};
  opt.max_decompressed_bytes = 1U << 20;
  const analysis_input a = ingest::ingest(opt, shapes());
  REQUIRE(a.inputs.size() == 1);
  REQUIRE_FALSE(a.inputs[0].warnings.empty());
  CHECK_THAT(a.inputs[0].warnings[0], Catch::Contains("exceeds the limit"));
}

TEST_CASE("ingest: FIFOs, dangling links and unreadable files are listed, not fatal",
          "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  const fs::path host = t.path / "cmp-a";
  write_plain(host / "nova-compute.log", kLog);
  REQUIRE(::mkfifo((host / "pipe.log").c_str(), 0600) == 0);
  fs::create_symlink(host / "missing.log", host / "dangling.log");
  fs::create_directory_symlink(t.path, host / "loop");  // a directory loop
  write_plain(host / "secret.log", kLog);
  fs::permissions(host / "secret.log", fs::perms::none);
  const bool root = ::geteuid() == 0;  // root reads mode-000 files anyway

  ingest_options opt;
  opt.paths = {t.path.string(), (t.path / "does-not-exist").string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  const input* fifo = find_input(a, "pipe.log");
  REQUIRE(fifo != nullptr);
  CHECK_THAT(fifo->warnings.items().at(0), Catch::Contains("FIFO"));
  const input* dangling = find_input(a, "dangling.log");
  REQUIRE(dangling != nullptr);
  CHECK_THAT(dangling->warnings.items().at(0), Catch::Contains("dangling"));
  const input* missing = find_input(a, "does-not-exist");
  REQUIRE(missing != nullptr);
  CHECK(missing->unreadable);
  CHECK(a.any_unreadable);
  const input* secret = find_input(a, "secret.log");
  REQUIRE(secret != nullptr);
  if (!root) CHECK(secret->unreadable);
  const input* good = find_input(a, "cmp-a/nova-compute.log");
  REQUIRE(good != nullptr);
  CHECK(good->kind == input_kind::nova_compute);
  CHECK(good->lines == 2);
}

TEST_CASE("ingest: an over-long line is cut with a warning", "[parsers][ingest]") {
  const test::temp_dir t("ingest");
  std::string text(kLog);
  text += std::string(3U << 20, 'x') + "\n";
  text += kLog;
  write_plain(t.path / "cmp-a" / "nova-compute.log", text);
  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  REQUIRE(a.inputs.size() == 1);
  CHECK(a.inputs[0].lines == 5);
  REQUIRE_FALSE(a.inputs[0].warnings.empty());
  CHECK_THAT(a.inputs[0].warnings[0], Catch::Contains("were cut"));
  // The cut line continues the ERROR record before it, so it is kept as evidence too.
  CHECK(a.events.size() == 5);
}

TEST_CASE("ingest: migsleuth collect's own log gives its gaps as warnings, never events",
          "[parsers][ingest]") {
  // What collect's script writes when virsh cannot reach libvirtd on the host
  // and a log is not there: the collection's story. Read as a pasted
  // fragment, the refusal became a finding about the migration.
  const test::temp_dir t("ingest");
  write_plain(t.path / "cmp-a" / "collect.log",
              "migsleuth collect on cmp-a, deployment plain\n"
              "ran: virsh -r dumpxml instance-0000002a\n"
              "error: failed to connect to the hypervisor\n"
              "error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection "
              "refused\n"
              "  failed (exit 1): captures/virsh-dumpxml-instance-0000002a.xml holds what it "
              "printed\n"
              "missing: /var/log/nova/nova-compute.log (no such file)\n");
  // The same words in a file collect did not write stay a pasted fragment.
  write_plain(t.path / "cmp-a" / "notes" / "collect.log",
              "error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection "
              "refused\n");
  ingest_options opt;
  opt.paths = {t.path.string()};
  const analysis_input a = ingest::ingest(opt, shapes());
  const input* log = find_input(a, "cmp-a/collect.log");
  REQUIRE(log != nullptr);
  CHECK(log->kind == input_kind::unrecognized);
  CHECK_THAT(log->kind_reason, Catch::Contains("migsleuth collect's own log"));
  CHECK(log->skipped_lines == 0);
  REQUIRE(log->warnings.size() == 2);
  CHECK_THAT(log->warnings[0],
             Catch::Contains("collection step failed: virsh -r dumpxml instance-0000002a"));
  CHECK_THAT(log->warnings[1], Catch::Contains("missing: /var/log/nova/nova-compute.log"));
  const input* notes = find_input(a, "notes/collect.log");
  REQUIRE(notes != nullptr);
  CHECK_THAT(notes->kind_reason, !Catch::Contains("migsleuth collect's own log"));
  std::size_t from_log = 0;
  const auto log_id = static_cast<input_id>(log - a.inputs.data());
  for (const auto& ev : a.events) from_log += ev.where.input == log_id ? 1U : 0U;
  CHECK(from_log == 0);
}
