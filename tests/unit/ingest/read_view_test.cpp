// byte_source::read_view: the bytes a decoded stream or a tar member already
// holds, lent instead of copied (a sosreport's logs go from the decoder's
// unit through libarchive's tar reader to the line parser without a copy).
// A pure speed-up: whatever is lent, the bytes, where a used-up budget cuts
// them and what ingest makes of them must be what read(n) gave.
#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "archive_reader.hpp"
#include "byte_source.hpp"
#include "decoders.hpp"
#include "embedded_shapes.hpp"
#include "memory_source.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "packed.hpp"
#include "read_stream.hpp"
#include "temp_dir.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};

// About 2.5 MiB of oslo lines: ten decoded units, forty tar feed blocks.
const std::string& big_text() {
  static const std::string text = [] {
    std::string s;
    for (int i = 0; i < 30000; ++i) {
      s += "2024-05-21 14:00:0" + std::to_string(i % 10) +
           ".000 7 INFO nova.compute.manager [-] step " + std::to_string(i * 7919 % 100003) +
           " of instance " + std::to_string(i) + "\n";
    }
    return s;
  }();
  return text;
}

bool lies_in(std::string_view view, const std::string& buffer) {
  return view.data() >= buffer.data() && view.data() < buffer.data() + buffer.size();
}

struct drained {
  std::string text;
  std::size_t lent = 0;  // views that were not copies into the caller's scratch
};

drained drain_views(byte_source& s, std::size_t n) {
  drained d;
  std::string scratch;
  for (std::string_view v; !(v = s.read_view(n, scratch)).empty();) {
    REQUIRE(v.size() <= n);
    if (!lies_in(v, scratch)) ++d.lent;
    d.text.append(v);
  }
  return d;
}

std::string drain_reads(byte_source& s, std::size_t n) {
  std::string text;
  std::string buf(n, '\0');
  for (std::size_t got; (got = s.read(buf.data(), n)) != 0;) text.append(buf, 0, got);
  return text;
}

// A tar (pax) of `members` (name, bytes), packed by `c` (none: plain tar).
std::string tar_of(const std::vector<std::pair<std::string, std::string>>& members,
                   compression c) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (c == compression::gzip) archive_write_add_filter_gzip(a);
  if (c == compression::xz) {
    archive_write_add_filter_xz(a);
    archive_write_set_filter_option(a, "xz", "compression-level", "1");
  }
  std::string out;
  const auto write = [](archive*, void* client, const void* buf, std::size_t n) -> la_ssize_t {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  REQUIRE(archive_write_open(a, &out, nullptr, write, nullptr) == ARCHIVE_OK);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.first.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(m.second.size()));
    REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
    REQUIRE(archive_write_data(a, m.second.data(), m.second.size()) ==
            static_cast<la_ssize_t>(m.second.size()));
    archive_entry_free(e);
  }
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  archive_write_free(a);
  return out;
}

}  // namespace

TEST_CASE("read_view: a decoded stream lends its units, with read(n)'s bytes and budget cut",
          "[parsers][read_ahead]") {
  const test::temp_dir t("read-view");
  // A limit that is no multiple of any request: the cut falls after the
  // last whole request under it, lent or copied.
  for (const std::uint64_t limit : {kUnlimited, std::uint64_t{1'000'017}}) {
    for (const compression c : {compression::gzip, compression::xz, compression::zstd}) {
      const fs::path p = t.path / ("log." + std::string(to_string(c)));
      test::write_file(p, test::packed_once(big_text(), c));
      for (const bool own_thread : {true, false}) {
        // 64 KiB: the tar feed's request, lent whole from 256 KiB units;
        // 1 MiB: the log reader's, larger than a unit, so copied.
        for (const std::size_t n : {std::size_t{65536}, std::size_t{100003}, std::size_t{1} << 20}) {
          CAPTURE(limit, to_string(c), own_thread, n);
          const auto open = [&](work_budget& budget, test::memory_source& up) {
            std::string error;
            auto s = own_thread ? open_source(p.string(), budget, error)
                                : decode(nullptr, up, c, budget, "file", false, error);
            REQUIRE(s);
            return s;
          };
          work_budget by_read(limit);
          work_budget by_view(limit);
          test::memory_source up_read(test::packed_once(big_text(), c), 4096);
          test::memory_source up_view(test::packed_once(big_text(), c), 4096);
          auto a = open(by_read, up_read);
          auto b = open(by_view, up_view);
          const std::string expected = drain_reads(*a, n);
          const drained got = drain_views(*b, n);
          CHECK(got.text == expected);
          CHECK(by_view.used().bytes == by_read.used().bytes);
          CHECK(b->error() == a->error());
          if (n == 65536) CHECK(got.lent > 0);
          if (n == (std::size_t{1} << 20)) CHECK(got.lent == 0);
        }
      }
    }
  }
}

TEST_CASE("read_view: a tar member is handed out in libarchive's own blocks", "[parsers][archive]") {
  const std::string tar = tar_of({{"a/nova-compute.log", big_text()}, {"a/tail.log", "end\n"}},
                                 compression::gzip);
  const test::temp_dir t("read-view");
  test::write_file(t.path / "a.tar.gz", tar);
  for (const bool views : {false, true}) {
    CAPTURE(views);
    work_budget budget(kUnlimited);
    std::string error;
    auto src = open_source((t.path / "a.tar.gz").string(), budget, error);
    REQUIRE(src);
    replay_source stream(read_head(*src), *src);
    tar_reader tr(stream, &budget);
    REQUIRE(tr.next() == tar_reader::step::member);
    if (views) {
      const drained d = drain_views(tr.data(), std::size_t{1} << 20);
      CHECK(d.text == big_text());
      CHECK(d.lent > 30);  // every block lent, none copied into the caller's buffer
    } else {
      CHECK(drain_reads(tr.data(), std::size_t{1} << 20) == big_text());
    }
    REQUIRE(tr.next() == tar_reader::step::member);
    CHECK(drain_reads(tr.data(), 16) == "end\n");
    CHECK(tr.next() == tar_reader::step::end);
  }
}

TEST_CASE("read_view: sosreport tarballs with multi-unit logs give the folder's lines and events "
          "for any --jobs",
          "[parsers][archive]") {
  // A real migration's lines in the middle of 2.5 MiB of chatter: its events
  // come from blocks and units far from the member's start; the rotated log
  // ends inside a line.
  std::ifstream sample(fs::path(MIGSLEUTH_SOURCE_DIR) /
                           "samples/network-port-refused/bundle/cmp-a/var/log/nova/nova-compute.log",
                       std::ios::binary);
  const std::string migration{std::istreambuf_iterator<char>(sample), {}};
  REQUIRE_FALSE(migration.empty());
  const std::size_t middle = big_text().find('\n', big_text().size() / 2) + 1;
  const std::string nova = big_text().substr(0, middle) + migration + big_text().substr(middle);
  const std::string rotated = big_text().substr(0, 700001);
  const std::string root = "sosreport-cmp-a-01234567-2024-05-21-abcdef";
  const std::vector<std::pair<std::string, std::string>> members = {
      {root + "/sos_commands/host/hostname", "cmp-a\n"},
      {root + "/var/log/nova/nova-compute.log", nova},
      {root + "/var/log/nova/nova-compute.log.1", rotated},
  };
  const auto lines_in = [](const std::string& text) {
    return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')) +
           (text.back() == '\n' ? 0 : 1);
  };
  const test::temp_dir t("read-view");
  for (const auto& m : members) test::write_file(t.path / "dir" / m.first, m.second);
  test::write_file(t.path / "gz" / (root + ".tar.gz"), tar_of(members, compression::gzip));
  test::write_file(t.path / "xz" / (root + ".tar.xz"), tar_of(members, compression::xz));
  using key = std::tuple<std::string, std::string, std::int64_t, std::uint32_t>;
  const auto run = [&](const char* dir, unsigned jobs) {
    ingest_options opt;
    opt.paths = {(t.path / dir).string()};
    opt.jobs = jobs;
    const analysis_input a = ingest::ingest(opt, test::shapes());
    std::vector<std::uint64_t> lines;
    for (const auto& in : a.inputs) {
      if (in.path.str().find("nova-compute.log") != std::string::npos) lines.push_back(in.lines);
    }
    std::vector<key> events;
    for (const auto& e : a.events) events.emplace_back(e.host, e.text, e.time.micros, e.where.line);
    return std::make_pair(lines, events);
  };
  const auto folder = run("dir", 1);
  REQUIRE(folder.first == std::vector<std::uint64_t>{lines_in(nova), lines_in(rotated)});
  REQUIRE(folder.second.size() > 5);
  for (const char* dir : {"gz", "xz"}) {
    for (const unsigned jobs : {1U, 2U, 3U}) {
      CAPTURE(dir, jobs);
      CHECK(run(dir, jobs) == folder);
    }
  }
}
