// One sequential pass over a tar stream: every member header is looked at,
// the members that matter are parsed as they stream by, nested tarballs are
// opened through libarchive's read callback (never written to disk). The
// host of a sosreport is learnt whenever its hostname member passes; members
// read before it point at the same host_slot and get the final name later.
#include <archive.h>
#include <archive_entry.h>

#include <map>

#include "archive_reader.hpp"
#include "read_stream.hpp"
#include "sosreport.hpp"
#include "walk.hpp"

namespace migsleuth::ingest {
namespace {

// A tarball of sosreports holding inner tarballs is depth 3; anything deeper
// is not what collection tools make, and unbounded depth is a bomb vector.
constexpr int kMaxArchiveDepth = 3;

struct sos_context {
  std::shared_ptr<host_slot> slot;
  std::string identity;  // "archive!root", for obfuscated-name clashes
};

class archive_pass {
 public:
  archive_pass(const file_origin& self, int depth, ingest_state& st)
      : self_(self), depth_(depth), st_(st) {}

  void member(tar_reader& tr) {
    archive_entry* e = tr.entry();
    const char* raw_c = archive_entry_pathname(e);
    const std::string raw = raw_c != nullptr ? raw_c : "";
    bool changed = false;
    std::string rel = sanitize_member_name(raw, changed);
    if (rel.empty()) rel = "(unnamed member)";
    if (archive_entry_filetype(e) == AE_IFDIR) return;

    file_origin o;
    o.path = self_.path + "!" + rel;
    std::string within;
    const sos_context* sos = sos_of(rel, within);
    // A sosreport has thousands of files: only the ones we read are listed.
    if (sos != nullptr && !sos_path_matters(within)) return;
    ++looked_at_;
    o.host = sos != nullptr ? sos->slot : member_slot(rel);
    o.sos_root = sos != nullptr ? sos->identity : self_.sos_root;
    if (changed) {
      o.warnings.push_back("member name '" + raw +
                           "' is absolute or climbs out with '..'; reported as '" + rel +
                           "' (archives are never extracted)");
    }
    if (const char* target = archive_entry_hardlink(e); target != nullptr) {
      list_unread(o, std::string("a hard link member (to '") + target + "'): not followed",
                  false, st_, "link member");
      return;
    }
    if (archive_entry_filetype(e) == AE_IFLNK) {
      const char* target = archive_entry_symlink(e);
      list_unread(o,
                  std::string("a symbolic link member (-> '") +
                      (target != nullptr ? target : "") + "'): not followed",
                  false, st_, "link member");
      return;
    }
    if (archive_entry_filetype(e) != AE_IFREG) {
      list_unread(o, "not a regular file member: not read", false, st_, "special member");
      return;
    }
    if (sos_tailed(rel)) o.warnings.emplace_back(kTailedWarning);
    o.kind_note = sos != nullptr ? std::string(sos_kind_note(within)) : std::string();
    const int host_rank = sos != nullptr ? sos_host_file_rank(within) : 0;
    const std::string host_note =
        host_rank > 0
            ? "'" + within + "' of sosreport '" + std::string(input_file_name(sos->identity)) + "'"
            : std::string();
    if (st_.budget->used_up()) {
      list_unread(o, st_.budget->why() + ": not read", true, st_, "not read (work limit)");
      return;
    }
    const std::size_t id = st_.out.inputs.size();  // this member's input, nested or not
    read_member(o, tr.data(), host_rank, host_note);
    if (const std::uint64_t holes = tr.hole_bytes(); holes > 0 && id < st_.out.inputs.size()) {
      st_.out.inputs[id].warnings.push_back(
          "a sparse member: " + std::to_string(holes) +
          " bytes of holes (zeros, no lines) were skipped and counted against "
          "--max-decompressed, not produced");
    }
  }

  [[nodiscard]] std::uint64_t looked_at() const noexcept { return looked_at_; }

 private:
  // The sosreport `rel` is in, or nullptr; `within` is its path in it.
  const sos_context* sos_of(const std::string& rel, std::string& within) {
    std::string root;
    const std::size_t end = sos_root_end(rel);
    if (end != std::string::npos) {
      root = rel.substr(0, end);
      within = end == 0 ? rel : rel.substr(end + 1);
    } else if (!host_from_sos_name(input_file_name(self_.path)).empty()) {
      within = rel;  // a sosreport tarball without a top folder
    } else {
      return nullptr;
    }
    auto [it, fresh] = roots_.try_emplace(root);
    if (fresh) {
      it->second.slot = std::make_shared<host_slot>(*self_.host);
      const std::string_view named =
          root.empty() ? input_file_name(self_.path) : input_file_name(root);
      it->second.slot->offer(host_from_sos_name(named),
                             "sosreport name '" + std::string(named) + "'", 1);
      it->second.identity = root.empty() ? self_.path : self_.path + "!" + root;
    }
    return &it->second;
  }

  // Outside sosreports a folder in the member path names the host
  // ("bundle.tar!cmp-a/var/log/..."), else the archive's own host.
  std::shared_ptr<host_slot> member_slot(const std::string& rel) {
    const std::string folder = host_folder_in(rel);
    if (folder.empty()) return self_.host;
    auto [it, fresh] = folders_.try_emplace(folder);
    if (fresh) {
      it->second = std::make_shared<host_slot>(
          host_slot{folder, "folder name '" + folder + "' inside the archive", 0});
    }
    return it->second;
  }

  void read_member(file_origin& o, byte_source& data, int host_rank,
                   const std::string& host_note) {
    std::string head = read_head(data);
    const compression c =
        sniff_compression(reinterpret_cast<const unsigned char*>(head.data()), head.size());
    std::unique_ptr<replay_source> packed;
    std::unique_ptr<byte_source> unpacked;
    byte_source* stream = &data;
    if (c != compression::none) {
      packed = std::make_unique<replay_source>(std::move(head), data);
      std::string error;
      unpacked = decompress_stream(*packed, c, *st_.budget, error);
      if (!unpacked) {
        list_unread(o, error, true, st_);
        return;
      }
      stream = unpacked.get();
      head = read_head(*stream);
    }
    if (looks_like_tar(head)) {
      if (depth_ >= kMaxArchiveDepth) {
        list_unread(o,
                    "a tar archive nested more than " + std::to_string(kMaxArchiveDepth) +
                        " levels deep: not opened",
                    true, st_, "nested tar archive");
        return;
      }
      replay_source tar(std::move(head), *stream);
      read_archive(o, tar, c, depth_ + 1, st_);
      return;
    }
    if (host_rank > 0) {
      const std::string name = hostname_from_content(head);
      if (name.empty()) {
        o.warnings.emplace_back("holds no host name; the sosreport's host comes from elsewhere");
      } else {
        o.host->offer(name, host_note, host_rank);
        o.kind_note += ": names the host '" + name + "'";
      }
    }
    read_log(o, std::move(head), *stream, c, st_);
  }

  const file_origin& self_;
  int depth_;
  ingest_state& st_;
  std::map<std::string, sos_context> roots_;
  std::map<std::string, std::shared_ptr<host_slot>> folders_;
  std::uint64_t looked_at_ = 0;
};

}  // namespace

void read_archive(const file_origin& o, byte_source& tar, compression packing, int depth,
                  ingest_state& st) {
  input self;
  self.packing = packing;
  const input_id id = push_input(std::move(self), o, st);
  archive_pass pass(o, depth, st);
  tar_reader reader(tar, st.budget);
  std::uint64_t members = 0;
  std::string problem;
  for (;;) {
    if (cancel_requested(st.opt)) break;  // skipping the rest would still decompress it
    const tar_reader::step s = reader.next();
    if (s == tar_reader::step::end) break;
    if (s == tar_reader::step::error) {
      if (st.budget->used_up()) {
        problem = "stopped after " + std::to_string(members) +
                  " member(s), the rest was not read: " + st.budget->why();
      } else if (members == 0) {
        problem = "cannot read as a tar archive: " + reader.error();
      } else {
        problem = "the archive ends early (truncated or corrupt) after " +
                  std::to_string(members) + " member(s): " + reader.error() +
                  "; what was read is kept";
      }
      break;
    }
    if (!st.budget->take_member()) {
      problem = "stopped after " + std::to_string(members) +
                " member(s), the rest was not read: " + st.budget->why();
      break;
    }
    ++members;
    pass.member(reader);
  }
  input& in = st.out.inputs[id];
  in.kind_reason = "tar archive: " + std::to_string(members) + " member(s), " +
                   std::to_string(pass.looked_at()) +
                   " looked at (in a sosreport, only the files migsleuth reads)";
  if (!problem.empty()) in.warnings.push_back(problem);
  if (!problem.empty() && (members == 0 || st.budget->used_up())) {
    in.unreadable = true;
    st.out.any_unreadable = true;
  }
}

}  // namespace migsleuth::ingest
