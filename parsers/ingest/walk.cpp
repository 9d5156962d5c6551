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

// Folder names that belong to log layouts, not to hosts.
constexpr std::array<std::string_view, 16> kLayoutDirs{
    "var",       "log",  "logs", "nova", "libvirt",      "qemu",     "containers", "etc",
    "sos_commands", "virsh", "host", "date", "sos_reports", "sos_logs", "journal", "."};

bool is_layout_dir(std::string_view name) {
  return name.empty() ||
         std::find(kLayoutDirs.begin(), kLayoutDirs.end(), name) != kLayoutDirs.end();
}

std::string special_file_reason(fs::file_type t) {
  switch (t) {
    case fs::file_type::fifo: return "a FIFO (named pipe): not opened, reading could block";
    case fs::file_type::socket: return "a socket: not opened";
    case fs::file_type::block:
    case fs::file_type::character: return "a device file: not opened";
    case fs::file_type::not_found: return "a dangling symbolic link";
    default: return {};
  }
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

void add_file(const fs::path& p, bool in_given_folder, sos_finder& sos,
              std::vector<found_file>& out) {
  found_file f;
  f.path = p.generic_string();
  f.in_given_folder = in_given_folder;
  if (const sos_tree* t = sos.tree_of(fs::absolute(p).lexically_normal()); t != nullptr) {
    const std::string rel = fs::absolute(p).lexically_normal().lexically_relative(t->root)
                                .generic_string();
    // A sosreport has thousands of files: only the ones we read are listed.
    if (!sos_path_matters(rel)) return;
    f.host = t->host;
    f.host_from = t->from;
    f.host_rank = t->rank;
    f.sos_root = t->root.generic_string();
    f.kind_note = std::string(sos_kind_note(rel));
    if (sos_tailed(rel)) f.notes.emplace_back(kTailedWarning);
  } else {
    f.host = host_from_path(f.path);
    f.host_from =
        f.host.empty() ? "no host folder in the path" : "folder name '" + f.host + "'";
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

}  // namespace

std::string host_from_path(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  if (ec) abs = fs::path(path);
  abs = abs.lexically_normal();
  for (fs::path dir = abs.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    const std::string name = dir.filename().string();
    if (!is_layout_dir(name)) return name;
  }
  return {};
}

std::string host_folder_in(std::string_view rel) {
  std::string found;
  for (std::size_t start = 0;;) {
    const auto slash = rel.find('/', start);
    if (slash == std::string_view::npos) break;  // the last part is the file
    const std::string_view part = rel.substr(start, slash - start);
    if (!is_layout_dir(part)) found = std::string(part);
    start = slash + 1;
  }
  return found;
}

std::vector<found_file> walk_paths(const std::vector<std::string>& roots) {
  std::vector<found_file> out;
  sos_finder sos;
  for (const auto& root : roots) {
    std::error_code ec;
    const fs::path r(root);
    const fs::file_status st = fs::status(r, ec);
    if (fs::is_directory(st)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(r, fs::directory_options::skip_permission_denied,
                                               ec),
           end;
           !ec && it != end; it.increment(ec)) {
        std::error_code lec;
        const auto t = it->symlink_status(lec).type();
        if (t == fs::file_type::directory) continue;
        if (t == fs::file_type::symlink && fs::is_directory(it->path(), lec)) continue;
        files.push_back(it->path());
      }
      if (ec) {
        out.push_back(unreadable_root(root, "cannot walk directory: " + ec.message()));
      }
      std::sort(files.begin(), files.end());
      const fs::path given = (r / "x").parent_path().lexically_normal();
      for (const auto& f : files) {
        add_file(f, f.parent_path().lexically_normal() == given, sos, out);
      }
    } else if (ec && !fs::is_symlink(fs::symlink_status(r, ec))) {
      out.push_back(unreadable_root(root, "cannot open: no such file or directory"));
    } else {
      add_file(r, true, sos, out);
    }
  }
  return out;
}

}  // namespace migsleuth::parsers
