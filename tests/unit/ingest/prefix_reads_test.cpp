// The files at the head of the walk are read while the walk goes on, as
// long as each is a small plain file (prefix_reads.hpp): the first one that
// is not ends it, and it and every file after it are read after the walk.
// An archive ends it too. Whichever way a file was read, the inputs must be those of a walk that
// lists everything first: same order, ids, hosts and reasons, for any
// --jobs, with FIFOs, dangling links, nested folders, compressed and large
// files at any place in the walk.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "byte_source.hpp"
#include "embedded_shapes.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "packed.hpp"
#include "prefix_reads.hpp"
#include "temp_dir.hpp"
#include "walk.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kLine =
    "2024-03-05 10:00:00.000 2000 DEBUG nova.compute.resource_tracker [req-6f0c0d1e-0000-4000-"
    "8000-000000000001 - - - - -] Auditing locally available compute resources\n";

std::string nova_lines(std::size_t n) {
  std::string s;
  for (std::size_t k = 0; k < n; ++k) s += kLine;
  return s;
}

// Everything a report says of an input, on one line.
std::vector<std::string> described(const analysis_input& a) {
  std::vector<std::string> out;
  for (const auto& in : a.inputs) {
    std::string w;
    for (const auto& x : in.warnings.items()) w += x + ";";
    out.push_back(in.path + "|" + in.host + "|" + in.host_from.str() + "|" +
                  std::string(to_string(in.kind)) + "|" + in.kind_reason.str() + "|" +
                  std::to_string(in.lines) + "|" + std::to_string(static_cast<int>(in.packing)) +
                  "|" + (in.unreadable ? "unreadable" : "") + "|" + w);
  }
  return out;
}

}  // namespace

TEST_CASE("prefix reads: the same inputs as reading after the walk, for any --jobs",
          "[ingest][walk]") {
  const test::temp_dir t("prefix-reads");
  // Small plain files first, then in walk order: a FIFO and a dangling link
  // (listed, never opened), nested folders, a compressed file (which ends
  // the prefix), small files after it, a large file, more small files.
  for (int k = 0; k < 30; ++k) {
    t.write("cmp-a/var/log/nova/nova-compute.log.part" + std::to_string(100 + k), kLine);
  }
  REQUIRE(::mkfifo((t.path / "cmp-a/var/log/nova/nova-compute.log.part115x").c_str(), 0600) == 0);
  fs::create_symlink("nowhere.log", t.path / "cmp-a/var/log/nova/nova-compute.log.part116x");
  t.write("cmp-a/var/log/nova/deeper/still/nova-compute.log", nova_lines(3));
  t.write("cmp-b/var/log/nova/nova-compute.log.1.gz", test::packed(nova_lines(4), compression::gzip));
  t.write("cmp-b/var/log/nova/nova-compute.log.2", nova_lines(2));
  t.write("cmp-b0/cmp-b0.tar", test::tar_of("var/log/nova/nova-compute.log", nova_lines(5)));
  t.write("cmp-c/var/log/nova/nova-compute.log", nova_lines(700));  // > 64 KiB
  for (int k = 0; k < 30; ++k) {
    t.write("cmp-d/var/log/nova/nova-compute.log.part" + std::to_string(100 + k), nova_lines(2));
  }

  // The order a walk that lists everything first gives.
  const walk_list listed = walk_paths({t.path.string()});
  std::vector<std::string> walk_order;
  for (std::size_t i = 0; i < listed.size(); ++i) walk_order.push_back(listed.at(i).path);

  std::vector<std::vector<std::string>> seen;
  for (const unsigned jobs : {1U, 2U, 3U}) {
    ingest_options opt;
    opt.paths = {t.path.string()};
    opt.jobs = jobs;
    const analysis_input a = ingest::ingest(opt, test::shapes());
    std::vector<std::string> files_read;  // the tar's member follows the tar
    for (const auto& in : a.inputs) {
      if (in.path.str().find('!') == std::string::npos) files_read.push_back(in.path.str());
    }
    CHECK(files_read == walk_order);
    seen.push_back(described(a));

    const auto named = [&](std::string_view tail) -> const input& {
      for (const auto& in : a.inputs) {
        if (in.path.str().ends_with(tail)) return in;
      }
      FAIL("no input ends with " << tail);
      return a.inputs.front();
    };
    CHECK_THAT(named("part115x").warnings.items().at(0), Catch::Contains("FIFO"));
    CHECK_THAT(named("part116x").warnings.items().at(0), Catch::Contains("dangling"));
    CHECK(named("deeper/still/nova-compute.log").lines == 3);
    CHECK(named("nova-compute.log.1.gz").packing == compression::gzip);
    CHECK(named("nova-compute.log.1.gz").lines == 4);
    CHECK(named("cmp-b0.tar!var/log/nova/nova-compute.log").lines == 5);
    CHECK(named("cmp-c/var/log/nova/nova-compute.log").lines == 700);
    CHECK(named("cmp-d/var/log/nova/nova-compute.log.part129").lines == 2);
    CHECK(named("cmp-d/var/log/nova/nova-compute.log.part129").host == "cmp-d");
    // Every event names the input it came from, by the merged id.
    for (const auto& ev : a.events) {
      REQUIRE(ev.where.input < a.inputs.size());
      CHECK(ev.host == a.inputs[ev.where.input].host);
    }
  }
  CHECK(seen[0] == seen[1]);
  CHECK(seen[0] == seen[2]);
}

TEST_CASE("prefix reads: only a small plain regular file is read early", "[ingest][walk]") {
  const test::temp_dir t("small-plain");
  const fs::path small = t.write("d/small.log", nova_lines(2));
  t.write("d/large.log", nova_lines(700));
  t.write("d/packed.log", test::packed(nova_lines(2), compression::gzip));
  REQUIRE(::mkfifo((t.path / "d/pipe.log").c_str(), 0600) == 0);
  fs::create_directory(t.path / "d/folder.log");
  fs::create_symlink("small.log", t.path / "d/link.log");
  const auto try_open = [&](const std::string& name, bool follow_link) {
    const std::string path = (t.path / "d" / name).string();
    std::uint64_t size = 0;
    auto src = open_small_plain({path, -1, follow_link, 64U << 10}, size);
    return src ? static_cast<std::int64_t>(size) : -1;
  };
  CHECK(try_open("small.log", false) == static_cast<std::int64_t>(fs::file_size(small)));
  CHECK(try_open("large.log", false) == -1);   // read after the walk, largest first
  CHECK(try_open("packed.log", false) == -1);  // decompressed, charged to the budget
  CHECK(try_open("pipe.log", false) == -1);    // changed since it was listed
  CHECK(try_open("folder.log", false) == -1);
  CHECK(try_open("gone.log", false) == -1);
  // Listed as a regular file, it is now a link: not followed. A link the
  // walk let through is.
  CHECK(try_open("link.log", false) == -1);
  CHECK(try_open("link.log", true) == static_cast<std::int64_t>(fs::file_size(small)));
}

TEST_CASE("prefix reads: taken in walk order until a file is left", "[ingest][walk]") {
  walk_list files;
  listing_progress progress;
  files.share(&progress);
  prefix_reads head(files, progress, nullptr);
  std::mutex mu;
  std::vector<std::size_t> read_order;
  constexpr std::size_t kLeft = 600;
  const auto read = [&](const listed_file& f, std::uint64_t& bytes) {
    CHECK(f.file.path == "bundle/cmp-a/f" + std::to_string(f.index));
    if (f.index == kLeft) return false;
    bytes = f.index + 1;
    const std::lock_guard lock(mu);
    read_order.push_back(f.index);
    return true;
  };
  std::thread walk([&] {
    const prefix_reads::walk_end end(head);
    found_file folder;
    folder.path = "bundle/cmp-a/";
    folder.host = "cmp-a";
    const std::uint32_t k = files.add_folder(folder);
    for (std::size_t i = 0; i < 1000; ++i) {
      files.add_in_folder(k, "f" + std::to_string(i), walk_list::kUnknownBytes);
    }
  });
  std::thread other([&] { head.read(read); });
  head.read(read);
  walk.join();
  other.join();
  files.share(nullptr);

  for (std::size_t i = 0; i < kLeft; ++i) {
    CHECK(head.was_read(i));
    CHECK(files.bytes(i) == i + 1);
  }
  CHECK_FALSE(head.was_read(kLeft));
  CHECK(files.bytes(kLeft) == walk_list::kUnknownBytes);
  // Past the file left, at most what the other thread took before it was
  // told; never the rest of the list.
  std::size_t after = 0;
  for (std::size_t i = kLeft + 1; i < files.size(); ++i) after += head.was_read(i) ? 1 : 0;
  CHECK(after < 50);
}

TEST_CASE("prefix reads: readers stop waiting when the walk fails", "[ingest][walk]") {
  walk_list files;
  listing_progress progress;
  files.share(&progress);
  prefix_reads head(files, progress, nullptr);
  std::atomic<std::size_t> reads{0};
  std::thread reader([&] {
    head.read([&](const listed_file&, std::uint64_t&) {
      ++reads;
      return true;
    });
  });
  try {
    const prefix_reads::walk_end end(head);
    found_file folder;
    folder.path = "bundle/";
    const std::uint32_t k = files.add_folder(folder);
    files.add_in_folder(k, "a.log", walk_list::kUnknownBytes);
    throw std::runtime_error("the walk failed");
  } catch (const std::runtime_error&) {
  }
  reader.join();  // would wait for ever if the walk's end were not told
  files.share(nullptr);
  CHECK(reads == 1);
}
