// Archives and sosreports end to end: real tar files written at test time
// with libarchive's write API (never `tar` through a shell), then ingested.
// The same sosreport as a folder and as .tar.xz/.tar.gz/.tar.zst must give
// the same events and hosts; bad members must become warnings.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include "embedded_shapes.hpp"
#include "packed.hpp"
#include <filesystem>
#include <set>
#include <tuple>

#include "migsleuth/ingest/ingest.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {


std::string sample_log(const char* host, const char* rel) {
  return test::read_file(fs::path(MIGSLEUTH_SOURCE_DIR) / "samples/network-port-refused/bundle" /
                        host / rel);
}

struct member {
  std::string name;
  std::string data;
  unsigned type = AE_IFREG;  // AE_IFREG, AE_IFLNK; `hardlink` below
  std::string target;        // link target
  bool hardlink = false;
};

enum class codec { none, gzip, xz, zstd };

// A tar (pax) stream in memory, compressed by `c`.
std::string make_tar(const std::vector<member>& members, codec c = codec::none) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  switch (c) {
    case codec::none: break;
    case codec::gzip: archive_write_add_filter_gzip(a); break;
    case codec::xz: archive_write_add_filter_xz(a); break;
    case codec::zstd: archive_write_add_filter_zstd(a); break;
  }
  std::size_t room = 1 << 16;
  for (const auto& m : members) room += m.data.size() + 4096;
  std::string out(room, '\0');
  std::size_t used = 0;
  REQUIRE(archive_write_open_memory(a, out.data(), out.size(), &used) == ARCHIVE_OK);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_perm(e, 0644);
    if (m.hardlink) {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_hardlink(e, m.target.c_str());
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_filetype(e, m.type);
      if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.target.c_str());
      archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    }
    REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
    if (!m.data.empty()) {
      REQUIRE(archive_write_data(a, m.data.data(), m.data.size()) ==
              static_cast<la_ssize_t>(m.data.size()));
    }
    archive_entry_free(e);
  }
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  archive_write_free(a);
  out.resize(used);
  return out;
}

// A plain .gz stream (libarchive's "raw" format), e.g. a rotated log.
std::string gzip_raw(std::string_view data) {
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  std::string out(data.size() / 2 + (1U << 16), '\0');
  std::size_t used = 0;
  REQUIRE(archive_write_open_memory(a, out.data(), out.size(), &used) == ARCHIVE_OK);
  archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  REQUIRE(archive_write_header(a, e) == ARCHIVE_OK);
  archive_write_data(a, data.data(), data.size());
  archive_entry_free(e);
  REQUIRE(archive_write_close(a) == ARCHIVE_OK);
  archive_write_free(a);
  out.resize(used);
  return out;
}

using test::shapes;

analysis_input run(const fs::path& p, std::uint64_t max_decompressed = 16ULL << 30) {
  ingest_options opt;
  opt.paths = {p.string()};
  opt.max_decompressed_bytes = max_decompressed;
  return ingest::ingest(opt, shapes());
}

const input* find_input(const analysis_input& a, std::string_view suffix) {
  for (const auto& in : a.inputs) {
    if (in.path.size() >= suffix.size() &&
        in.path.str().compare(in.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &in;
    }
  }
  return nullptr;
}

bool has_warning(const input& in, std::string_view what) {
  for (const auto& w : in.warnings) {
    if (w.find(what) != std::string::npos) return true;
  }
  return false;
}

// What must not depend on how the logs were packed.
using event_key = std::tuple<std::string, std::string, std::int64_t, std::uint32_t>;
std::multiset<event_key> event_keys(const analysis_input& a) {
  std::multiset<event_key> out;
  for (const auto& e : a.events) {
    out.emplace(e.host, e.text, e.time.micros, e.where.line);
  }
  return out;
}

const char* const kRootA = "sosreport-cmp-a-01234567-2024-05-21-abcdef";
const char* const kRootB = "sosreport-cmp-b-01234567-2024-05-21-ghijkl";

// Two sosreport-shaped trees: cmp-a classic layout, cmp-b containerized.
std::vector<member> sos_a(bool hostname_last = false) {
  const std::string r = kRootA;
  std::vector<member> m{
      {r + "/var/log/nova/nova-compute.log",
       sample_log("cmp-a", "var/log/nova/nova-compute.log")},
      {r + "/var/log/libvirt/qemu/instance-000001b4.log",
       sample_log("cmp-a", "var/log/libvirt/qemu/instance-000001b4.log")},
      {r + "/etc/motd", "not a log we read\n"},
      {r + "/sos_commands/date/date", "Tue May 21 14:05:00 UTC 2024\n"},
  };
  const member host{r + "/sos_commands/host/hostname", "cmp-a\n"};
  if (hostname_last) {
    m.push_back(host);
  } else {
    m.insert(m.begin(), host);
  }
  return m;
}

std::vector<member> sos_b() {
  const std::string r = kRootB;
  return {{r + "/var/log/containers/nova/nova-compute.log",
           sample_log("cmp-b", "var/log/nova/nova-compute.log")},
          {r + "/etc/hostname", "cmp-b\n"},
          {r + "/sos_reports/manifest.json", "{}\n"}};
}

void write_tree(const fs::path& dir, const std::vector<member>& members) {
  for (const auto& m : members) test::write_file(dir / m.name, m.data);
}

}  // namespace

TEST_CASE("archive: a sosreport as folder, .tar.xz, .tar.gz and .tar.zst gives the same events",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  write_tree(t.path / "dir", sos_a());
  write_tree(t.path / "dir", sos_b());
  const auto from_dir = run(t.path / "dir");
  REQUIRE_FALSE(from_dir.events.empty());
  std::set<std::string> hosts;
  for (const auto& e : from_dir.events) hosts.insert(e.host);
  CHECK(hosts == std::set<std::string>{"cmp-a", "cmp-b"});
  // Only the files that matter are listed: no motd, no sos_reports/.
  CHECK(find_input(from_dir, "etc/motd") == nullptr);
  CHECK(find_input(from_dir, "manifest.json") == nullptr);
  const input* host_file = find_input(from_dir, "sos_commands/host/hostname");
  REQUIRE(host_file != nullptr);
  CHECK(host_file->host == "cmp-a");
  CHECK(host_file->host_from.find("sos_commands/host/hostname") != std::string::npos);
  const input* b_log = find_input(from_dir, "var/log/containers/nova/nova-compute.log");
  REQUIRE(b_log != nullptr);
  CHECK(b_log->host == "cmp-b");
  CHECK(b_log->host_from.find("etc/hostname") != std::string::npos);

  const std::pair<codec, const char*> forms[] = {
      {codec::xz, ".tar.xz"}, {codec::gzip, ".tar.gz"}, {codec::zstd, ".tar.zst"}};
  for (const auto& [c, ext] : forms) {
    CAPTURE(ext);
    const fs::path bundle = t.path / (std::string("b") + ext);
    test::write_file(bundle / (std::string(kRootA) + ext), make_tar(sos_a(), c));
    test::write_file(bundle / (std::string(kRootB) + ext), make_tar(sos_b(), c));
    const auto a = run(bundle);
    CHECK_FALSE(a.any_unreadable);
    CHECK(event_keys(a) == event_keys(from_dir));
    const input* log = find_input(a, std::string(kRootA) + "/var/log/nova/nova-compute.log");
    REQUIRE(log != nullptr);
    CHECK(log->path.str().find(std::string(ext) + "!" + kRootA + "/var/log/nova/") != std::string::npos);
    CHECK(log->kind == input_kind::nova_compute);
    CHECK(log->host == "cmp-a");
    CHECK(find_input(a, "etc/motd") == nullptr);
    const input* archive = find_input(a, std::string(kRootA) + ext);
    REQUIRE(archive != nullptr);
    CHECK(archive->kind_reason.find("tar archive: 5 member(s), 4 looked at") == 0);
  }
}

TEST_CASE("archive: the hostname member after the logs still names their host",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  // The name says one host, the content another: content wins.
  auto members = sos_a(/*hostname_last=*/true);
  for (auto& m : members) m.name.replace(0, std::string(kRootA).size(), "sosreport-oldname-2024-05-21-abcdef");
  test::write_file(t.path / "one.tar.gz", make_tar(members, codec::gzip));
  const auto a = run(t.path);
  REQUIRE_FALSE(a.events.empty());
  for (const auto& e : a.events) CHECK(e.host == "cmp-a");
  const input* log = find_input(a, "var/log/nova/nova-compute.log");
  REQUIRE(log != nullptr);
  CHECK(log->host == "cmp-a");
  CHECK(log->host_from.find("sos_commands/host/hostname") != std::string::npos);
}

TEST_CASE("archive: a tarball of sosreport tarballs is read nested, without extracting",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  const std::string inner_a = make_tar(sos_a(), codec::xz);
  const std::string inner_b = make_tar(sos_b(), codec::gzip);
  test::write_file(t.path / "case-01234567.tar",
             make_tar({{std::string(kRootA) + ".tar.xz", inner_a},
                       {std::string(kRootB) + ".tar.gz", inner_b}}));
  const auto before = std::distance(fs::directory_iterator(t.path), fs::directory_iterator());
  const auto a = run(t.path);
  CHECK(std::distance(fs::directory_iterator(t.path), fs::directory_iterator()) == before);
  const input* log = find_input(a, std::string(kRootB) + "/var/log/containers/nova/nova-compute.log");
  REQUIRE(log != nullptr);
  CHECK(log->path.str().find("case-01234567.tar!" + std::string(kRootB) + ".tar.gz!" + kRootB) !=
        std::string::npos);
  CHECK(log->host == "cmp-b");
  std::set<std::string> hosts;
  for (const auto& e : a.events) hosts.insert(e.host);
  CHECK(hosts == std::set<std::string>{"cmp-a", "cmp-b"});
}

TEST_CASE("archive: must-gather sos-reports/_all_nodes/sosreport-<node>/ layout",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  const std::string root =
      "must-gather.local.123/quay-io-openstack-must-gather/sos-reports/_all_nodes/"
      "sosreport-worker-0/";
  test::write_file(t.path / "must-gather.tar.gz",
             make_tar({{root + "var/log/containers/nova/nova-compute.log",
                        sample_log("cmp-b", "var/log/nova/nova-compute.log")},
                       {root + "proc/cpuinfo", "processor: 0\n"}},
                      codec::gzip));
  const auto a = run(t.path);
  const input* log = find_input(a, "sosreport-worker-0/var/log/containers/nova/nova-compute.log");
  REQUIRE(log != nullptr);
  CHECK(log->host == "worker-0");
  CHECK(log->host_from.find("sosreport name 'sosreport-worker-0'") != std::string::npos);
  CHECK(find_input(a, "proc/cpuinfo") == nullptr);
}

TEST_CASE("archive: '../' and absolute member names are sanitized and warned about",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  const std::string log = sample_log("cmp-b", "var/log/nova/nova-compute.log");
  test::write_file(t.path / "in" / "evil.tar",
             make_tar({{"../../escaped/nova-compute.log", log}, {"/abs/nova-compute.log", log}}));
  const auto a = run(t.path / "in");
  const input* up = find_input(a, "evil.tar!escaped/nova-compute.log");
  REQUIRE(up != nullptr);
  CHECK(has_warning(*up, "climbs out with '..'"));
  CHECK(up->kind == input_kind::nova_compute);
  const input* abs = find_input(a, "evil.tar!abs/nova-compute.log");
  REQUIRE(abs != nullptr);
  CHECK(has_warning(*abs, "'/abs/nova-compute.log'"));
  CHECK_FALSE(fs::exists(t.path / "escaped"));
  CHECK_FALSE(fs::exists("/abs/nova-compute.log"));
}

TEST_CASE("archive: symlink and hard link members are listed, not followed",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  member sym{"logs/nova-compute.log", "", AE_IFLNK, "/etc/shadow"};
  member hard{"logs/nova-compute.log.1", "", AE_IFREG, "logs/real.log", true};
  test::write_file(t.path / "links.tar", make_tar({{"logs/real.log", "x\n"}, sym, hard}));
  const auto a = run(t.path);
  const input* s = find_input(a, "links.tar!logs/nova-compute.log");
  REQUIRE(s != nullptr);
  CHECK(has_warning(*s, "symbolic link member (-> '/etc/shadow'): not followed"));
  CHECK(s->lines == 0);
  const input* h = find_input(a, "links.tar!logs/nova-compute.log.1");
  REQUIRE(h != nullptr);
  CHECK(has_warning(*h, "hard link member"));
  CHECK_FALSE(a.any_unreadable);
}

TEST_CASE("archive: a truncated .tar.gz keeps what was read and warns", "[parsers][archive]") {
  const test::temp_dir t("archive");
  std::string big;
  const std::string log = sample_log("cmp-b", "var/log/nova/nova-compute.log");
  while (big.size() < (4U << 20)) big += log;
  std::string tgz = make_tar({{"cmp-b/var/log/nova/nova-compute.log", big},
                              {"cmp-b/var/log/nova/nova-compute.log.1", log}},
                             codec::gzip);
  tgz.resize(tgz.size() / 2);
  test::write_file(t.path / "cut.tar.gz", tgz);
  const auto a = run(t.path);
  const input* archive = find_input(a, "cut.tar.gz");
  REQUIRE(archive != nullptr);
  CHECK(has_warning(*archive, "ends early"));
  const input* first = find_input(a, "cut.tar.gz!cmp-b/var/log/nova/nova-compute.log");
  REQUIRE(first != nullptr);
  CHECK(first->host == "cmp-b");
  CHECK(first->lines > 100);
  CHECK_FALSE(first->warnings.empty());
  CHECK_FALSE(a.events.empty());
}

TEST_CASE("archive: garbage with a tar name is read by content; an empty tar is listed",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  test::write_file(t.path / "cmp-b" / "not-really.tar.gz",
             sample_log("cmp-b", "var/log/nova/nova-compute.log"));
  test::write_file(t.path / "cmp-b" / "empty.tar", make_tar({}));
  const auto a = run(t.path);
  const input* fake = find_input(a, "not-really.tar.gz");
  REQUIRE(fake != nullptr);
  CHECK(fake->kind == input_kind::nova_compute);
  // An empty tar has no ustar header: it is an unrecognized file, not an error.
  const input* empty = find_input(a, "empty.tar");
  REQUIRE(empty != nullptr);
  CHECK(empty->kind == input_kind::unrecognized);
}

TEST_CASE("archive: sos .tailed logs warn that their head is missing", "[parsers][archive]") {
  const test::temp_dir t("archive");
  const std::string log = sample_log("cmp-b", "var/log/nova/nova-compute.log");
  const std::string name = std::string(kRootB) + "/var/log/nova/nova-compute.log.tailed";
  test::write_file(t.path / "dir" / name, log);
  test::write_file(t.path / "tar" / (std::string(kRootB) + ".tar.xz"),
             make_tar({{name, log}}, codec::xz));
  for (const char* where : {"dir", "tar"}) {
    CAPTURE(where);
    const auto a = run(t.path / where);
    const input* in = find_input(a, "nova-compute.log.tailed");
    REQUIRE(in != nullptr);
    CHECK(in->kind == input_kind::nova_compute);
    CHECK(in->host == "cmp-b");
    CHECK(has_warning(*in, "its head is missing"));
  }
}

TEST_CASE("archive: sos clean's host0 in two sosreports stays two hosts", "[parsers][archive]") {
  const test::temp_dir t("archive");
  const std::string r1 = "sosreport-host0-2024-05-21-aaaaaa";
  const std::string r2 = "sosreport-host0-2024-05-21-bbbbbb";
  test::write_file(t.path / (r1 + ".tar.xz"),
             make_tar({{r1 + "/var/log/nova/nova-compute.log",
                        sample_log("cmp-a", "var/log/nova/nova-compute.log")},
                       {r1 + "/sos_commands/host/hostname", "host0\n"}},
                      codec::xz));
  test::write_file(t.path / (r2 + ".tar.xz"),
             make_tar({{r2 + "/var/log/nova/nova-compute.log",
                        sample_log("cmp-b", "var/log/nova/nova-compute.log")},
                       {r2 + "/sos_commands/host/hostname", "host0\n"}},
                      codec::xz));
  const auto a = run(t.path);
  std::set<std::string> hosts;
  for (const auto& e : a.events) hosts.insert(e.host);
  CHECK(hosts == std::set<std::string>{"host0@" + r1, "host0@" + r2});
  const input* log = find_input(a, r1 + "/var/log/nova/nova-compute.log");
  REQUIRE(log != nullptr);
  CHECK(log->host_from.find("obfuscated by sos clean") != std::string::npos);
}

TEST_CASE("archive: nesting is bounded and decompression bombs are cut", "[parsers][archive]") {
  const test::temp_dir t("archive");
  std::string tar = make_tar({{"cmp-a/var/log/nova/nova-compute.log",
                               sample_log("cmp-a", "var/log/nova/nova-compute.log")}});
  for (int level = 0; level < 3; ++level) tar = make_tar({{"level.tar", tar}});
  test::write_file(t.path / "deep" / "deep.tar", tar);
  const auto deep = run(t.path / "deep");
  const input* cut = find_input(deep, "level.tar!level.tar!level.tar");
  REQUIRE(cut != nullptr);
  CHECK(has_warning(*cut, "nested more than 3 levels deep"));
  CHECK(deep.events.empty());

  // A member that inflates past --max-decompressed stops there, with the reason.
  const std::string zeros(8U << 20, '\n');
  test::write_file(t.path / "bomb" / "bomb.tar",
             make_tar({{"cmp-a/var/log/nova/nova-compute.log.1.gz", gzip_raw(zeros)}}));
  const auto bomb = run(t.path / "bomb", 1U << 20);
  const input* member = find_input(bomb, "nova-compute.log.1.gz");
  REQUIRE(member != nullptr);
  CHECK(member->packing == compression::gzip);
  CHECK(has_warning(*member, "exceeds the limit"));
}

TEST_CASE("archive: nested streams count against their file's --max-decompressed",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  // Three gzip members of 3 MiB each inside a gzip tar: every stream alone is
  // under the 8 MiB limit, their sum with the outer layer is not.
  const std::string lines(3U << 20, '\n');
  const std::string inner =
      gzip_raw(make_tar({{"cmp-a/a.log.gz", gzip_raw(lines)},
                         {"cmp-a/b.log.gz", gzip_raw(lines)},
                         {"cmp-a/c.log.gz", gzip_raw(lines)}}));
  test::write_file(t.path / "nest" / "outer.tar.gz", gzip_raw(make_tar({{"inner.tar.gz", inner}})));
  const auto a = run(t.path / "nest", 8U << 20);
  const input* c = find_input(a, "inner.tar.gz!cmp-a/c.log.gz");
  REQUIRE(c != nullptr);
  CHECK(has_warning(*c, "counted over the file and everything nested in it"));
  const input* b = find_input(a, "inner.tar.gz!cmp-a/b.log.gz");
  REQUIRE(b != nullptr);
  CHECK(b->warnings.empty());
  CHECK(c->lines > 0);  // read up to the limit, then cut
}

TEST_CASE("archive: archive members are bounded per file and per analysis",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  std::vector<member> many;
  for (int i = 0; i < 30; ++i) many.push_back({"cmp-a/f" + std::to_string(100 + i) + ".log", "x\n"});
  const std::string tar = make_tar(many);
  test::write_file(t.path / "one" / "a.tar", tar);
  ingest_options opt;
  opt.paths = {(t.path / "one").string()};
  opt.max_archive_members = 20;
  auto a = ingest::ingest(opt, shapes());
  const input* self = find_input(a, "a.tar");
  REQUIRE(self != nullptr);
  CHECK(has_warning(*self, "stopped after 20 member(s), the rest was not read: more than 20"));
  CHECK(find_input(a, "a.tar!cmp-a/f119.log") != nullptr);
  CHECK(find_input(a, "a.tar!cmp-a/f120.log") == nullptr);
  CHECK(a.any_unreadable);

  // Three such files under an analysis total of 70: the third stops at 10,
  // whatever the number of threads.
  test::write_file(t.path / "one" / "b.tar", tar);
  test::write_file(t.path / "one" / "c.tar", tar);
  opt.max_archive_members = 1000;
  opt.max_total_archive_members = 70;
  for (const unsigned jobs : {1U, 2U, 3U}) {
    opt.jobs = jobs;
    a = ingest::ingest(opt, shapes());
    std::size_t members = 0;
    for (const auto& in : a.inputs) members += in.path.str().find('!') != std::string::npos ? 1 : 0;
    CHECK(members == 70);
    const input* c = find_input(a, "c.tar");
    REQUIRE(c != nullptr);
    CHECK(has_warning(*c, "the analysis's total of 70 archive members"));
  }
}

TEST_CASE("archive: a syslog file's own host field is checked against its folder",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  // FMT-12 shape (rsyslog-wrapped oslo record), logged by `host`.
  const auto line = [](const std::string& host) {
    return "Jul 11 18:10:59 " + host +
           " nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR nova.compute.manager [None "
           "req-4e14c92b-915c-4df2-ac6f-467686624677 - - - - - -] [instance: "
           "88084fdd-51dc-4967-8493-c1169e4533ec] Live migration failed.\n";
  };
  test::write_file(t.path / "cmp-a" / "var" / "log" / "messages", line("np0004787595.example.com"));
  test::write_file(t.path / "cmp-a" / "var" / "log" / "messages-same", line("cmp-a.lan"));
  test::write_file(t.path / "loose.tar", make_tar({{"var/log/messages", line("np0004787595")}}));
  const auto a = run(t.path);
  const input* wrong = find_input(a, "cmp-a/var/log/messages");
  REQUIRE(wrong != nullptr);
  CHECK(wrong->host == "cmp-a");
  CHECK(has_warning(*wrong, "logged by host 'np0004787595.example.com'"));
  const input* same = find_input(a, "cmp-a/var/log/messages-same");
  REQUIRE(same != nullptr);
  CHECK(same->warnings.empty());
  // The archive name attributes it; its lines disagree, and the input says so.
  const input* loose = find_input(a, "loose.tar!var/log/messages");
  REQUIRE(loose != nullptr);
  CHECK(loose->host == "loose");
  CHECK(has_warning(*loose, "logged by host"));
}

TEST_CASE("archive: a tarball whose members all sit in host folders is no host itself",
          "[parsers][archive]") {
  const test::temp_dir t("archive");
  // migsleuth collect's tarball: HOST/var/log/... named by host and time.
  test::write_file(t.path / "migsleuth-collect-cmp-a-20240521T220000Z.tar.gz",
             make_tar({{"cmp-a/var/log/nova/nova-compute.log",
                        sample_log("cmp-a", "var/log/nova/nova-compute.log")}},
                      codec::gzip));
  // A member without a folder of its own keeps the archive's name as its host.
  test::write_file(t.path / "cmp-b.tar",
             make_tar({{"nova-compute.log", sample_log("cmp-b", "var/log/nova/nova-compute.log")}}));
  const auto a = run(t.path);
  std::set<std::string> hosts;
  for (const auto& in : a.inputs) {
    if (!in.host.empty()) hosts.insert(in.host);
  }
  CHECK(hosts == std::set<std::string>{"cmp-a", "cmp-b"});
  const input* archive = find_input(a, "migsleuth-collect-cmp-a-20240521T220000Z.tar.gz");
  REQUIRE(archive != nullptr);
  CHECK(archive->host.empty());
  CHECK(archive->host_from.find("own") != std::string::npos);
  const input* member = find_input(a, "migsleuth-collect-cmp-a-20240521T220000Z.tar.gz!cmp-a/var/log/nova/nova-compute.log");
  REQUIRE(member != nullptr);
  CHECK(member->host == "cmp-a");
  const input* other = find_input(a, "cmp-b.tar");
  REQUIRE(other != nullptr);
  CHECK(other->host == "cmp-b");
}

TEST_CASE("archive: members in every codec decode as the same log, by the files' decoders",
          "[parsers][archive]") {
  // gzip, bzip2, xz and zstd members go through decoders.cpp as files do
  // (libarchive's raw filters decoded them before, Boost the files), in a
  // plain tar and inside a .tar.xz.
  const std::string log = sample_log("cmp-a", "var/log/nova/nova-compute.log");
  const compression codecs[] = {compression::gzip, compression::bzip2, compression::xz,
                                compression::zstd};
  std::vector<member> members = {{"cmp-a/var/log/nova/nova-compute.log", log}};
  for (const compression c : codecs) {
    members.push_back({"cmp-a/var/log/nova/nova-compute.log." + std::string(to_string(c)),
                       test::packed(log, c)});
  }
  const test::temp_dir t("archive");
  for (const codec outer : {codec::none, codec::xz}) {
    const fs::path p = t.path / (outer == codec::none ? "bundle.tar" : "bundle.tar.xz");
    test::write_file(p, make_tar(members, outer));
    const analysis_input a = run(p);
    CHECK_FALSE(a.any_unreadable);
    const input* plain = find_input(a, "nova-compute.log");
    REQUIRE(plain != nullptr);
    REQUIRE(plain->lines > 0);
    const auto events_of = [&](const input* in) {
      const auto id = static_cast<input_id>(in - a.inputs.data());
      std::vector<std::string> texts;
      for (const auto& ev : a.events) {
        if (ev.where.input == id) texts.push_back(ev.text);
      }
      return texts;
    };
    const auto plain_events = events_of(plain);
    CHECK_FALSE(plain_events.empty());
    for (const compression c : codecs) {
      CAPTURE(p.filename().string(), to_string(c));
      const input* in = find_input(a, "nova-compute.log." + std::string(to_string(c)));
      REQUIRE(in != nullptr);
      CHECK(in->packing == c);
      CHECK(in->kind == plain->kind);
      CHECK(in->lines == plain->lines);
      CHECK(in->warnings.empty());
      CHECK(events_of(in) == plain_events);
    }
  }
}
