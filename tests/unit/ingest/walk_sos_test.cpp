// A sosreport's files are attributed by the sosreport (its hostname file),
// and only the ones migsleuth reads are listed. Its QEMU logs are thousands a
// host: those with nothing of their own are held as a name in their folder,
// which carries the attribution; a host name file (a kind note) and a
// `.tailed` log (a warning) are held whole. Either way a file reads back the
// same attribution.
#include <catch2/catch.hpp>

#include <string>

#include "sosreport.hpp"
#include "temp_dir.hpp"
#include "walk.hpp"
#include "walk_list.hpp"
#include "walked.hpp"

using namespace migsleuth;
using namespace migsleuth::ingest;
using migsleuth::test::index_of;

namespace {

bool listed(const walk_list& files, std::string_view tail) {
  return test::find_walked(files, tail).has_value();
}

}  // namespace

TEST_CASE("walk: a sosreport's plain logs are held by name in their folder, with the "
          "sosreport's attribution",
          "[ingest][walk]") {
  const test::temp_dir t("walk-sos");
  const std::string sos = "sosreport-cmp-07-2024-10-22-abcdef/";
  t.write(sos + "sos_commands/host/hostname", "cmp-07.example.net\n");
  t.write(sos + "var/log/nova/nova-compute.log", std::string(120, 'n'));
  t.write(sos + "var/log/libvirt/qemu/instance-0000002a.log", std::string(77, 'q'));
  t.write(sos + "var/log/libvirt/qemu/instance-0000002b.log.tailed", std::string(5, 'q'));
  t.write(sos + "var/log/libvirt/qemu/sub/instance-0000002c.log", "q\n");  // not a domain log
  t.write(sos + "etc/passwd", "root:x:0:0\n");                              // not read

  for (const unsigned jobs : {1U, 2U}) {
    const walk_list files = walk_paths({t.path.string()}, {}, jobs);
    CHECK_FALSE(listed(files, "/etc/passwd"));
    CHECK_FALSE(listed(files, "/instance-0000002c.log"));

    const std::size_t qemu = index_of(files, "/instance-0000002a.log");
    const std::size_t nova = index_of(files, "/nova-compute.log");
    const std::size_t host_file = index_of(files, "/sos_commands/host/hostname");
    const std::size_t tailed = index_of(files, "/instance-0000002b.log.tailed");
    // Held by name: the plain logs; whole: what has a note of its own.
    CHECK(files.name(qemu) == "instance-0000002a.log");
    CHECK(files.name(nova) == "nova-compute.log");
    CHECK(files.name(host_file).empty());
    CHECK(files.name(tailed).empty());

    const found_file q = files.at(qemu);
    const found_file h = files.at(host_file);
    CHECK(q.host == "cmp-07.example.net");
    CHECK(q.host == h.host);
    CHECK(q.host_from == h.host_from);
    CHECK(q.host_rank == h.host_rank);
    CHECK(q.sos_root == h.sos_root);
    CHECK(q.sos_root.ends_with("sosreport-cmp-07-2024-10-22-abcdef"));
    CHECK(q.kind_note.empty());
    CHECK(q.notes.empty());
    CHECK(files.bytes(qemu) == 77);
    CHECK(files.at(nova).sos_root == h.sos_root);
    CHECK_FALSE(h.kind_note.empty());
    const found_file tl = files.at(tailed);
    REQUIRE(tl.notes.size() == 1);
    CHECK(tl.notes[0] == kTailedWarning);
    CHECK(tl.sos_root == h.sos_root);
  }
}
