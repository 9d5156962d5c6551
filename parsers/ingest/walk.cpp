#include "ingest/walk.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>

#include "ingest/sosreport.hpp"

namespace migsleuth::parsers {
namespace {

namespace fs = std::filesystem;

// Folder names that belong to log layouts or to how a bundle is sorted, not
// to hosts: kolla's /var/log/kolla/nova/, Kubernetes' var/log/pods/, a
// captures/ folder of command outputs, a capture saved in /root or /tmp.
// ("controller" is not one: a controller is a real host, and its captures
// are its own.)
constexpr std::array<std::string_view, 22> kLayoutDirs{
    "var",     "log",          "logs",    "nova",     "libvirt", "qemu",        "containers",
    "etc",     "sos_commands", "virsh",   "host",     "date",    "sos_reports", "sos_logs",
    "journal", "kolla",        "captures", "capture", "root",    "tmp",         "pods",
    "."};

bool is_layout_dir(std::string_view name) {
  return name.empty() ||
         std::find(kLayoutDirs.begin(), kLayoutDirs.end(), name) != kLayoutDirs.end();
}

// Kubernetes' var/log/pods/NS_POD_UID/CONTAINER/: the pod's and the
// container's folders name no host either. `up1`..`up3` are the names of the
// folder's parent, grandparent and great-grandparent: only under log/pods/
// (a bundle folder may be named "pods" and hold host folders).
bool is_pod_log_dir(std::string_view up1, std::string_view up2, std::string_view up3) {
  return (up1 == "pods" && up2 == "log") || (up2 == "pods" && up3 == "log");
}

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

// Whether `canonical` is `root` or below it (both canonical paths).
bool inside(const fs::path& canonical, const fs::path& root) {
  const std::string c = canonical.generic_string();
  const std::string r = root.generic_string();
  if (c.empty() || r.empty()) return false;
  return c == r || (c.size() > r.size() && c.compare(0, r.size(), r) == 0 &&
                    (r.back() == '/' || c[r.size()] == '/'));
}

// A sosreport folder on disk and who it belongs to, decided once per folder.
struct sos_tree {
  fs::path root;
  std::string host;
  std::string from;
  int rank = 0;
};

std::string first_line_of_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return hostname_from_content(text);
}

class sos_finder {
 public:
  // The innermost sosreport folder holding `file`, or nullptr.
  const sos_tree* tree_of(const fs::path& file) {
    for (fs::path dir = file.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      auto [it, fresh] = cache_.try_emplace(dir);
      if (fresh) it->second = probe(dir);
      if (it->second) return &*it->second;
      if (dir == dir.parent_path()) break;
    }
    return nullptr;
  }

 private:
  static std::optional<sos_tree> probe(const fs::path& dir) {
    std::error_code ec;
    const std::string name = dir.filename().string();
    // A name alone is not enough on disk (a folder may be called
    // "sosreport-pair" for other reasons): it must look like a sosreport too.
    const bool named = name.rfind("sosreport-", 0) == 0 && !archive_named(name) &&
                       fs::is_directory(dir / "var", ec);
    if (!named && !fs::is_directory(dir / "sos_commands", ec) &&
        !fs::is_directory(dir / "sos_reports", ec)) {
      return std::nullopt;
    }
    sos_tree t{dir, host_from_path((dir / "x").string()), {}, 0};
    t.from = t.host.empty() ? "no host folder in the path" : "folder name '" + t.host + "'";
    // Content over names: the hostname files say who ran sos.
    for (const char* rel : {"sos_commands/host/hostname", "etc/hostname"}) {
      const int rank = sos_host_file_rank(rel);
      if (rank <= t.rank || !fs::is_regular_file(dir / rel, ec)) continue;
      // A linked hostname file is read only if it stays in the sosreport:
      // its first line becomes a host name in the report.
      if (fs::is_symlink(dir / rel, ec)) {
        std::error_code a, b;
        const fs::path target = fs::canonical(dir / rel, a);
        const fs::path home = fs::canonical(dir, b);
        if (a || b || !inside(target, home)) continue;
      }
      if (std::string h = first_line_of_file(dir / rel); !h.empty()) {
        t = {dir, std::move(h), std::string("'") + rel + "' of sosreport '" + name + "'", rank};
      }
    }
    if (t.rank == 0) {
      if (std::string h = host_from_sos_name(name); !h.empty()) {
        t = {dir, std::move(h), "sosreport name '" + name + "'", 1};
      }
    }
    return t;
  }

  std::map<fs::path, std::optional<sos_tree>> cache_;
};

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
  const bool in_bundle = inside(target, root);
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

// Every file, link and unlistable folder under `root`, in no particular
// order. Nothing is left out in silence: a folder that cannot be listed
// (permissions, I/O error) is an entry of its own with the reason.
void walk_folder(const fs::path& root, const fs::path& canonical_root, std::vector<walked>& out) {
  std::vector<fs::path> folders{root};
  while (!folders.empty()) {
    const fs::path dir = std::move(folders.back());
    folders.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
      std::error_code lec;
      const fs::file_type t = it->symlink_status(lec).type();
      if (lec) {
        out.push_back({it->path(), "cannot stat: " + lec.message(), true, false});
      } else if (t == fs::file_type::directory) {
        folders.push_back(it->path());
      } else if (t == fs::file_type::symlink) {
        out.push_back(link_entry(it->path(), canonical_root));
      } else {
        out.push_back({it->path(), {}, false, false});
      }
    }
    if (ec) {
      out.push_back({dir, "a folder that cannot be read: " + ec.message() + " (nothing in it was read)",
                     true, true});
    }
  }
}

// The folder a path's host comes from: the nearest ancestor that is not a
// layout folder, or empty.
fs::path host_dir_of(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  if (ec) abs = fs::path(path);
  abs = abs.lexically_normal();
  for (fs::path dir = abs.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    const fs::path up = dir.parent_path();
    if (!is_layout_dir(dir.filename().string()) &&
        !is_pod_log_dir(up.filename().string(), up.parent_path().filename().string(),
                        up.parent_path().parent_path().filename().string())) {
      return dir;
    }
  }
  return {};
}

// `given`: the folder named on the command line (absolute, normal), or empty.
void add_file(const walked& w, bool in_given_folder, const fs::path& given, sos_finder& sos,
              std::vector<found_file>& out) {
  const fs::path& p = w.path;
  found_file f;
  f.path = p.generic_string();
  f.in_given_folder = in_given_folder;
  if (const sos_tree* t = sos.tree_of(fs::absolute(p).lexically_normal()); t != nullptr) {
    const std::string rel = fs::absolute(p).lexically_normal().lexically_relative(t->root)
                                .generic_string();
    // A sosreport has thousands of files: only the ones we read are listed
    // (and folders that could not be read: what they hold is unknown).
    if (!w.folder && !sos_path_matters(rel)) return;
    f.host = t->host;
    f.host_from = t->from;
    f.host_rank = t->rank;
    f.sos_root = t->root.generic_string();
    f.kind_note = std::string(sos_kind_note(rel));
  } else {
    const fs::path dir = host_dir_of(f.path);
    f.host = dir.filename().string();
    f.host_from =
        f.host.empty() ? "no host folder in the path" : "folder name '" + f.host + "'";
    // The folder named on the command line may be the bundle rather than a
    // host: what the file itself says of its host comes first (read_stream).
    if (!given.empty() && !f.host.empty() && dir == given) f.host_rank = -1;
  }
  // Only sos makes `.tailed` files, also when a log tree was copied out of
  // its sosreport.
  if (sos_tailed(f.path)) f.notes.emplace_back(kTailedWarning);
  if (!w.skip.empty()) {
    f.skip_reason = w.skip;
    f.unreadable = w.unreadable;
    out.push_back(std::move(f));
    return;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    f.skip_reason = "cannot stat: " + ec.message();
    f.unreadable = true;
  } else {
    f.skip_reason = special_file_reason(st.type());
  }
  out.push_back(std::move(f));
}

// A folder given on the command line that holds host folders (cmp-a/,
// cmp-b/, ...) is the bundle, not a host: a file whose only host folder is
// it (bundle/captures/x.txt) has no host, rather than the bundle's name.
// Given alone (`analyze cmp-a/`), a folder keeps naming its files' host.
void settle_bundle_root(std::vector<found_file>& out, std::size_t first, const fs::path& given) {
  const bool holds_hosts = std::any_of(
      out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
      [](const found_file& f) { return !f.host.empty() && f.host_rank >= 0; });
  if (!holds_hosts) return;
  for (std::size_t i = first; i < out.size(); ++i) {
    found_file& f = out[i];
    if (f.host_rank >= 0 || f.host.empty()) continue;
    f.host.clear();
    f.host_rank = 0;
    f.host_from = "no host folder in the path (the folder '" + given.filename().string() +
                  "' given on the command line holds host folders: it is the bundle)";
  }
}

}  // namespace

std::string host_from_path(const std::string& path) {
  return host_dir_of(path).filename().string();
}

std::string host_folder_in(std::string_view rel) {
  std::string found;
  std::string_view up1, up2, up3;  // the three folders above `part`
  for (std::size_t start = 0;;) {
    const auto slash = rel.find('/', start);
    if (slash == std::string_view::npos) break;  // the last part is the file
    const std::string_view part = rel.substr(start, slash - start);
    if (!is_layout_dir(part) && !is_pod_log_dir(up1, up2, up3)) found = std::string(part);
    up3 = up2;
    up2 = up1;
    up1 = part;
    start = slash + 1;
  }
  return found;
}

std::vector<found_file> walk_paths(const std::vector<std::string>& roots,
                                   const std::string& stdin_path) {
  std::vector<found_file> out;
  sos_finder sos;
  for (const auto& root : roots) {
    if (root == "-") {
      if (stdin_path.empty()) {
        out.push_back(unreadable_root(root, "standard input was not read"));
        continue;
      }
      found_file f;
      f.path = root;
      f.read_path = stdin_path;
      // A pipe carries no folder name: its lines are one host's, unnamed.
      f.host_from = "standard input: no host name (give each host's files in BUNDLE/<host>/ to "
                    "tell hosts apart)";
      out.push_back(std::move(f));
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
        out.push_back(unreadable_root(root, "cannot walk directory: " + ec.message()));
        continue;
      }
      const fs::path canonical_root = fs::canonical(r, ec);
      std::vector<walked> found;
      walk_folder(r, ec ? fs::absolute(r).lexically_normal() : canonical_root, found);
      std::sort(found.begin(), found.end(),
                [](const walked& a, const walked& b) { return a.path < b.path; });
      const fs::path given = (r / "x").parent_path().lexically_normal();
      std::error_code aec;
      const fs::path given_abs = (fs::absolute(r, aec) / "x").lexically_normal().parent_path();
      const std::size_t first = out.size();
      for (const auto& w : found) {
        add_file(w, w.path.parent_path().lexically_normal() == given, given_abs, sos, out);
      }
      settle_bundle_root(out, first, given_abs);
    } else if (ec && !fs::is_symlink(fs::symlink_status(r, ec))) {
      out.push_back(unreadable_root(root, "cannot open: no such file or directory"));
    } else {
      add_file({r, {}, false, false}, true, fs::path(), sos, out);
    }
  }
  return out;
}

}  // namespace migsleuth::parsers
