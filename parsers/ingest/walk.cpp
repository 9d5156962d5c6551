#include "ingest/walk.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>
#include <system_error>

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

void add_file(const fs::path& p, std::vector<found_file>& out) {
  found_file f;
  f.path = p.generic_string();
  f.host = host_from_path(f.path);
  f.host_from = f.host.empty() ? "no host folder in the path" : "folder name '" + f.host + "'";
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

std::vector<found_file> walk_paths(const std::vector<std::string>& roots) {
  std::vector<found_file> out;
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
        out.push_back({root, {}, {}, "cannot walk directory: " + ec.message(), true});
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add_file(f, out);
    } else if (ec && !fs::is_symlink(fs::symlink_status(r, ec))) {
      out.push_back({root, {}, {}, "cannot open: no such file or directory", true});
    } else {
      add_file(r, out);
    }
  }
  return out;
}

}  // namespace migsleuth::parsers
