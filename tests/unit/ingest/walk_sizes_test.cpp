// The walk lists files by name and type only (getdents' d_type); their sizes
// are taken after it, on the pool, relative to their open folder
// (stat_listed_sizes). What was true at the listing may not be at the size
// pass: a file gone by then, or no longer a regular file, must be listed with
// the reason and never opened. And a reader told the size need not ask the
// kernel for "end" once its first read holds it all.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "byte_source.hpp"
#include "temp_dir.hpp"
#include "walk.hpp"
#include "walk_list.hpp"
#include "walked.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;
using migsleuth::test::index_of;
namespace fs = std::filesystem;

namespace {

std::string read_all(byte_source& src) {
  std::string out(1 << 16, '\0');
  std::string all;
  for (std::size_t got = 0; (got = src.read(out.data(), out.size())) > 0;) all.append(out, 0, got);
  return all;
}

}  // namespace

TEST_CASE("walk: sizes are taken after the listing, for any --jobs", "[ingest][walk]") {
  const test::temp_dir t("walk-sizes");
  t.write("cmp-a/var/log/nova/empty.log", "");
  t.write("cmp-a/var/log/nova/small.log", std::string(10, 'x'));
  t.write("cmp-b/big.log", std::string(70000, 'y'));
  for (int k = 0; k < 3000; ++k) {
    t.write("cmp-c/f" + std::to_string(k), std::string(static_cast<std::size_t>(k % 97), 'z'));
  }
  for (const unsigned jobs : {1U, 2U}) {
    const walk_list files = walk_paths({t.path.string()}, {}, jobs);
    REQUIRE(files.size() == 3003);
    CHECK(files.bytes(index_of(files, "/empty.log")) == 0);
    CHECK(files.bytes(index_of(files, "/small.log")) == 10);
    CHECK(files.bytes(index_of(files, "/big.log")) == 70000);
    for (int k = 0; k < 3000; k += 499) {
      const std::size_t i = index_of(files, "/f" + std::to_string(k));
      CHECK(files.bytes(i) == static_cast<std::uint64_t>(k % 97));
      CHECK(files.at(i).skip_reason.empty());
    }
  }
}

TEST_CASE("walk: a file gone or changed between listing and size is listed, not opened",
          "[ingest][walk]") {
  const test::temp_dir t("walk-vanish");
  t.write("cmp-a/kept.log", "abc");
  t.write("cmp-a/pipe.log", "was a file");
  t.write("cmp-a/sub.log", "was a file");
  // As the walk lists them, with no size yet.
  walk_list files;
  {
    found_file folder;
    folder.path = (t.path / "cmp-a").generic_string() + "/";
    folder.host = "cmp-a";
    folder.host_from = "folder name 'cmp-a'";
    const std::uint32_t k = files.add_folder(folder);
    for (const char* name : {"gone.log", "kept.log", "pipe.log", "sub.log"}) {
      files.add_in_folder(k, name, walk_list::kUnknownBytes);
    }
  }
  // Then, before the size pass: one removed, one replaced by a FIFO, one by
  // a folder.
  fs::remove(t.path / "cmp-a/pipe.log");
  REQUIRE(::mkfifo((t.path / "cmp-a/pipe.log").c_str(), 0600) == 0);
  fs::remove(t.path / "cmp-a/sub.log");
  fs::create_directory(t.path / "cmp-a/sub.log");

  stat_listed_sizes(files, 2);

  const found_file kept = files.at(1);
  CHECK(kept.skip_reason.empty());
  CHECK(kept.bytes == 3);
  const found_file gone = files.at(0);
  CHECK_THAT(gone.skip_reason, Catch::Contains("is gone"));
  CHECK(gone.unreadable);
  CHECK(gone.path == (t.path / "cmp-a/gone.log").generic_string());
  CHECK(gone.host == "cmp-a");
  const found_file pipe = files.at(2);
  CHECK_THAT(pipe.skip_reason, Catch::Contains("now a FIFO"));
  CHECK_FALSE(pipe.unreadable);
  CHECK_THAT(files.at(3).skip_reason, Catch::Contains("now a folder"));
  CHECK(files.at(3).host_from == "folder name 'cmp-a'");
}

TEST_CASE("read: a first read of the size the walk took is the whole file", "[ingest][walk]") {
  const test::temp_dir t("read-size");
  const fs::path p = t.write("a.log", "line one\nline two\n");
  work_budget budget(UINT64_MAX);
  std::string error;
  // Told its size: the file is read as it was at that first read; bytes
  // appended afterwards are not asked for (no read to hear "end").
  auto told = open_source(p.string(), budget, error, 18);
  REQUIRE(told);
  std::ofstream(p, std::ios::app) << "line three\n";
  CHECK(read_all(*told) == "line one\nline two\n");
  // Not told, or told a size it no longer has: read to the end it meets.
  auto untold = open_source(p.string(), budget, error);
  REQUIRE(untold);
  std::ofstream(p, std::ios::app) << "line four\n";
  CHECK(read_all(*untold) == "line one\nline two\nline three\nline four\n");
  auto stale = open_source(p.string(), budget, error, 18);
  REQUIRE(stale);
  CHECK(read_all(*stale) == "line one\nline two\nline three\nline four\n");
}
