#include "walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "sosreport.hpp"
#include "walk_hosts.hpp"

namespace migsleuth::ingest {
namespace {

namespace fs = std::filesystem;

std::string special_file_reason(fs::file_type t) {
  switch (t) {
    case fs::file_type::fifo: return "a FIFO (named pipe): not opened, reading could block";
    case fs::file_type::socket: return "a socket: not opened";
    case fs::file_type::block:
    case fs::file_type::character: return "a device file: not opened";
    case fs::file_type::not_found: return "a dangling symbolic link";  // a root given so
    default: return {};
  }
}

found_file unreadable_root(const std::string& root, std::string why) {
  found_file f;
  f.path = root;
  f.skip_reason = std::move(why);
  f.unreadable = true;
  return f;
}

// One thing under a folder given on the command line, and what the walk
// already knows about it (set `skip`: listed, not opened).
struct walked {
  fs::path path;
  std::string skip;
  bool unreadable = false;
  bool folder = false;  // a folder that could not be listed: always listed
};


// A symbolic link met in the walk. Folders are never entered through links
// (no loops, no walking the whole disk through `ln -s /`); a file link is
// read only when its target lies inside the folder given on the command
// line, so a bundle cannot make migsleuth read /etc/passwd or /proc files.
walked link_entry(const fs::path& p, const fs::path& root) {
  walked w{p, {}, false, false};
  std::error_code ec;
  const fs::path text = fs::read_symlink(p, ec);
  const std::string shown = ec ? std::string("?") : text.generic_string();
  const fs::path target = fs::canonical(p, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      w.skip = "a dangling symbolic link (-> '" + shown + "')";
    } else {
      w.skip = "a symbolic link that cannot be followed (-> '" + shown + "'): " + ec.message();
      w.unreadable = true;
    }
    return w;
  }
  const bool in_bundle = lies_within(target, root);
  if (fs::is_directory(target, ec)) {
    w.skip = "a symbolic link to a folder (-> '" + shown + "'): not followed, folders are " +
             (in_bundle ? "never entered through links (its files are read under their own path)"
                        : "never entered through links and this one points outside the bundle");
    w.unreadable = !in_bundle;
    return w;
  }
  if (!in_bundle) {
    w.skip = "a symbolic link to '" + shown +
             "', outside the folder given on the command line: not read (copy the file into "
             "the bundle, or give its own path on the command line)";
    w.unreadable = true;
  }
  return w;
}

// Why a file that stat() describes is not opened (empty: it is read), and
// its size on disk. One stat per file: it follows a link as opening would.
void settle_stat(found_file& f, const std::string& at) {
  struct stat sb {};
  if (::stat(at.c_str(), &sb) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      f.skip_reason = special_file_reason(fs::file_type::not_found);
    } else {
      f.skip_reason = "cannot stat: " + std::generic_category().message(err);
      f.unreadable = true;
    }
    return;
  }
  const fs::file_type t = S_ISFIFO(sb.st_mode)   ? fs::file_type::fifo
                          : S_ISSOCK(sb.st_mode) ? fs::file_type::socket
                          : S_ISBLK(sb.st_mode)  ? fs::file_type::block
                          : S_ISCHR(sb.st_mode)  ? fs::file_type::character
                                                 : fs::file_type::regular;
  f.skip_reason = special_file_reason(t);
  if (f.skip_reason.empty()) f.bytes = static_cast<std::uint64_t>(sb.st_size);
}

// The host of the files directly in a folder (outside sosreports), from the
// path of one of them. `given`: the folder named on the command line
// (absolute, normal), or empty.
void attribute_to_folder(found_file& f, const std::string& some_file_path, const fs::path& given) {
  const fs::path dir = host_dir_of(some_file_path);
  f.host = dir.filename().string();
  f.host_from = f.host.empty() ? "no host folder in the path" : "folder name '" + f.host + "'";
  // The folder named on the command line may be the bundle rather than a
  // host: what the file itself says of its host comes first (read_stream).
  if (!given.empty() && !f.host.empty() && dir == given) f.host_rank = -1;
}

// One file, link or unlistable folder, attributed on its own.
void add_file(const walked& w, bool in_given_folder, const fs::path& given, sos_finder& sos,
              walk_list& out) {
  const fs::path& p = w.path;
  found_file f;
  f.path = p.generic_string();
  f.in_given_folder = in_given_folder;
  // One absolute path (a getcwd) per file, for the tree and the path in it.
  const fs::path normal = fs::absolute(p).lexically_normal();
  if (const sos_tree* t = sos.tree_of(normal); t != nullptr) {
    const std::string rel = normal.lexically_relative(t->root).generic_string();
    // A sosreport has thousands of files: only the ones we read are listed
    // (and folders that could not be read: what they hold is unknown).
    if (!w.folder && !sos_path_matters(rel)) return;
    f.host = t->host;
    f.host_from = t->from;
    f.host_rank = t->rank;
    f.sos_root = t->root.generic_string();
    f.kind_note = std::string(sos_kind_note(rel));
  } else {
    attribute_to_folder(f, f.path, given);
  }
  // Only sos makes `.tailed` files, also when a log tree was copied out of
  // its sosreport.
  if (sos_tailed(f.path)) f.notes.emplace_back(kTailedWarning);
  if (!w.skip.empty()) {
    f.skip_reason = w.skip;
    f.unreadable = w.unreadable;
  } else {
    settle_stat(f, f.path);
  }
  out.add(std::move(f));
}

// One entry of a listed folder, typed from the listing (the d_type of
// getdents) where the file system gives it, else by one fstatat() relative to
// the open folder: no stat per file, no path looked up again.
struct listed {
  std::string name;
  fs::file_type type = fs::file_type::none;  // none: the type could not be had (`error`)
  std::error_code error;
  std::uint64_t bytes = walk_list::kUnknownBytes;  // known only when it had to be stat'ed
};

fs::file_type type_of_mode(mode_t m) {
  return S_ISREG(m)    ? fs::file_type::regular
         : S_ISDIR(m)  ? fs::file_type::directory
         : S_ISLNK(m)  ? fs::file_type::symlink
         : S_ISFIFO(m) ? fs::file_type::fifo
         : S_ISSOCK(m) ? fs::file_type::socket
         : S_ISBLK(m)  ? fs::file_type::block
         : S_ISCHR(m)  ? fs::file_type::character
                       : fs::file_type::unknown;
}

fs::file_type type_of_dirent(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return fs::file_type::regular;
    case DT_DIR: return fs::file_type::directory;
    case DT_LNK: return fs::file_type::symlink;
    case DT_FIFO: return fs::file_type::fifo;
    case DT_SOCK: return fs::file_type::socket;
    case DT_BLK: return fs::file_type::block;
    case DT_CHR: return fs::file_type::character;
    default: return fs::file_type::none;  // DT_UNKNOWN: ask the file system
  }
}

// The entries of one folder, unsorted; false with `err` when it could not be
// opened or listed to its end (what was listed before an error is kept).
bool list_folder(const fs::path& dir, std::vector<listed>& items, int& err) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    err = errno;
    return false;
  }
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d);
    if (e == nullptr) {
      err = errno;
      break;
    }
    const std::string_view name(e->d_name);
    if (name == "." || name == "..") continue;
    listed item{std::string(name), type_of_dirent(e->d_type), {}};
    if (item.type == fs::file_type::none) {
      struct stat sb {};
      if (::fstatat(::dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        item.error = std::error_code(errno, std::generic_category());
      } else {
        item.type = type_of_mode(sb.st_mode);
        if (item.type == fs::file_type::regular) item.bytes = static_cast<std::uint64_t>(sb.st_size);
      }
    }
    items.push_back(std::move(item));
  }
  ::closedir(d);
  return err == 0;
}

// What the files directly in one folder share, worked out at its first
// plain file.
struct folder_facts {
  bool known = false;
  bool in_sos = false;  // in a sosreport: only some files are listed (sos_path_matters)
  std::string sos_rel;  // in_sos: the folder's path in its sosreport ("var/log/nova/")
  bool in_given_folder = false;
  std::uint32_t id = walk_list::kNoFolder;
};

// Every file, link and unlistable folder under a folder given on the command
// line, in path order: each folder's entries sorted by name, a folder
// entered where it sorts, give the order one sort of every path would. Only
// the folders on the way down are held, not the tree. Nothing is left out in
// silence: a folder that cannot be listed (permissions, I/O error) is an
// entry of its own with the reason.
class folder_walk {
 public:
  folder_walk(const fs::path& canonical_root, const fs::path& given, const fs::path& given_abs,
              sos_finder& sos, walk_list& out)
      : canonical_root_(canonical_root), given_(given), given_abs_(given_abs), sos_(sos),
        out_(out) {}

  void run(const fs::path& root) {
    enter(root);
    while (!stack_.empty()) {
      frame& fr = stack_.back();
      if (fr.next == fr.items.size()) {
        stack_.pop_back();
        continue;
      }
      const listed item = std::move(fr.items[fr.next++]);
      if (!item.error && item.type != fs::file_type::directory &&
          item.type != fs::file_type::symlink) {
        add_plain(fr, item);
        continue;
      }
      fs::path p = fr.dir / item.name;
      if (item.error) {
        add_file({p, "cannot stat: " + item.error.message(), true, false}, in_given(fr.dir),
                 given_abs_, sos_, out_);
      } else if (item.type == fs::file_type::directory) {
        enter(std::move(p));  // `fr` is not used after this
      } else if (item.type == fs::file_type::symlink) {
        add_file(link_entry(p, canonical_root_), in_given(fr.dir), given_abs_, sos_, out_);
      }
    }
  }

 private:
  struct frame {
    fs::path dir;
    std::string dir_text;  // what goes before a file's name: `dir / name` without a path
    std::vector<listed> items;
    std::size_t next = 0;
    folder_facts facts;
  };

  // Whether the files directly in `dir` are in the folder given.
  bool in_given(const fs::path& dir) const {
    return (dir / "x").parent_path().lexically_normal() == given_;
  }

  void enter(fs::path dir) {
    frame fr;
    int err = 0;
    const bool whole = list_folder(dir, fr.items, err);
    std::sort(fr.items.begin(), fr.items.end(),
              [](const listed& a, const listed& b) { return a.name < b.name; });
    if (!whole) {
      // Listed as an entry of the folder above it, before what it holds.
      add_file({dir,
                "a folder that cannot be read: " + std::generic_category().message(err) +
                    " (nothing in it was read)",
                true, true},
               in_given(dir.parent_path()), given_abs_, sos_, out_);
    }
    fr.dir_text = dir.generic_string();
    if (!fr.dir_text.empty() && fr.dir_text.back() != '/') fr.dir_text += '/';
    fr.dir = std::move(dir);
    stack_.push_back(std::move(fr));
  }

  // A file that is neither a link nor a folder. Its path is made as a
  // string (a std::filesystem::path of each of a million files cost several
  // allocations to parse); a path object only for the rare file kept whole.
  // A special file is known as such from the listing: never opened. A
  // regular one's size is taken after the walk (stat_listed_sizes), on the
  // worker pool.
  void add_plain(frame& fr, const listed& item) {
    if (!fr.facts.known) settle_facts(fr);
    const std::string path = fr.dir_text + item.name;
    if (fr.facts.in_sos) {
      // A sosreport's QEMU logs are thousands a host: each one kept whole
      // (path, host, how it was attributed, the sosreport's root) was most of
      // a sos fleet's walk. Only the files with something of their own are.
      const std::string rel = fr.facts.sos_rel + item.name;
      if (!sos_path_matters(rel)) return;
      if (item.type == fs::file_type::regular && sos_kind_note(rel).empty() &&
          !sos_tailed(path)) {
        out_.add_in_folder(fr.facts.id, item.name, item.bytes);
        return;
      }
    }
    if (fr.facts.in_sos || sos_tailed(path)) {
      add_file({fs::path(path), {}, false, false}, fr.facts.in_given_folder, given_abs_, sos_,
               out_);
      return;
    }
    if (item.type != fs::file_type::regular) {
      add_file({fs::path(path), special_file_reason(item.type), false, false},
               fr.facts.in_given_folder, given_abs_, sos_, out_);
      return;
    }
    out_.add_in_folder(fr.facts.id, item.name, item.bytes);
  }

  void settle_facts(frame& fr) {
    fr.facts.known = true;
    fr.facts.in_given_folder = in_given(fr.dir);
    const fs::path some_file = fr.dir / "x";
    const fs::path normal = fs::absolute(some_file).lexically_normal();
    const sos_tree* sos = sos_.tree_of(normal);
    fr.facts.in_sos = sos != nullptr;
    found_file shared;
    const std::string x = some_file.generic_string();
    shared.path = x.substr(0, x.size() - 1);
    shared.in_given_folder = fr.facts.in_given_folder;
    if (sos != nullptr) {
      // As add_file attributes each file of a sosreport.
      const std::string rel = normal.lexically_relative(sos->root).generic_string();
      fr.facts.sos_rel = rel.substr(0, rel.size() - 1);
      shared.host = sos->host;
      shared.host_from = sos->from;
      shared.host_rank = sos->rank;
      shared.sos_root = sos->root.generic_string();
    } else {
      attribute_to_folder(shared, x, given_abs_);
    }
    fr.facts.id = out_.add_folder(std::move(shared));
  }

  const fs::path& canonical_root_;
  const fs::path& given_;
  const fs::path& given_abs_;
  sos_finder& sos_;
  walk_list& out_;
  std::vector<frame> stack_;
};

}  // namespace

void list_paths(walk_list& out, const std::vector<std::string>& roots,
                const std::string& stdin_path) {
  sos_finder sos;
  for (const auto& root : roots) {
    if (root == "-") {
      if (stdin_path.empty()) {
        out.add(unreadable_root(root, "standard input was not read"));
        continue;
      }
      found_file f;
      f.path = root;
      f.read_path = stdin_path;
      // A pipe carries no folder name: its lines are one host's, unnamed.
      f.host_from = "standard input: no host name (give each host's files in BUNDLE/<host>/ to "
                    "tell hosts apart)";
      if (struct stat sb {}; ::stat(stdin_path.c_str(), &sb) == 0) {
        f.bytes = static_cast<std::uint64_t>(sb.st_size);
      }
      out.add(std::move(f));
      continue;
    }
    std::error_code ec;
    const fs::path r(root);
    // A path given on the command line is followed even if it is a link:
    // the user named it. Links met below it are not (link_entry).
    const fs::file_status st = fs::status(r, ec);
    if (fs::is_directory(st)) {
      fs::directory_iterator probe(r, ec);
      if (ec) {
        out.add(unreadable_root(root, "cannot walk directory: " + ec.message()));
        continue;
      }
      const fs::path canonical_root = fs::canonical(r, ec);
      const fs::path inside_root = ec ? fs::absolute(r).lexically_normal() : canonical_root;
      const fs::path given = (r / "x").parent_path().lexically_normal();
      std::error_code aec;
      const fs::path given_abs = (fs::absolute(r, aec) / "x").lexically_normal().parent_path();
      const std::size_t first = out.size();
      folder_walk(inside_root, given, given_abs, sos, out).run(r);
      out.settle_bundle_root(first, given_abs.filename().string());
    } else if (ec && !fs::is_symlink(fs::symlink_status(r, ec))) {
      out.add(unreadable_root(root, "cannot open: no such file or directory"));
    } else {
      add_file({r, {}, false, false}, true, fs::path(), sos, out);
    }
  }
}

walk_list walk_paths(const std::vector<std::string>& roots, const std::string& stdin_path,
                     unsigned jobs) {
  walk_list out;
  list_paths(out, roots, stdin_path);
  stat_listed_sizes(out, jobs);
  return out;
}

}  // namespace migsleuth::ingest
