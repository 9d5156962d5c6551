#include "walk_hosts.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <system_error>

#include "sosreport.hpp"
#include "walk.hpp"

namespace migsleuth::ingest {

namespace fs = std::filesystem;

namespace {

// Folder names that belong to log layouts or to how a bundle is sorted, not
// to hosts: kolla's /var/log/kolla/nova/, Kubernetes' var/log/pods/, a
// captures/ folder of command outputs, a capture saved in /root or /tmp.
// ("controller" is not one: a controller is a real host, and its captures
// are its own.)
constexpr std::array<std::string_view, 22> kLayoutDirs{
    "var",          "log",     "logs", "nova", "libvirt",     "qemu",     "containers", "etc",
    "sos_commands", "virsh",   "host", "date", "sos_reports", "sos_logs", "journal",    "kolla",
    "captures",     "capture", "root", "tmp",  "pods",        "."};

std::string first_line_of_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string text(4096, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return hostname_from_content(text);
}

}  // namespace

bool is_layout_dir(std::string_view name) {
  return name.empty() ||
         std::find(kLayoutDirs.begin(), kLayoutDirs.end(), name) != kLayoutDirs.end();
}

bool is_pod_log_dir(std::string_view up1, std::string_view up2, std::string_view up3) {
  return (up1 == "pods" && up2 == "log") || (up2 == "pods" && up3 == "log");
}

bool lies_within(const fs::path& canonical, const fs::path& root) {
  const std::string c = canonical.generic_string();
  const std::string r = root.generic_string();
  if (c.empty() || r.empty()) return false;
  return c == r || (c.size() > r.size() && c.compare(0, r.size(), r) == 0 &&
                    (r.back() == '/' || c[r.size()] == '/'));
}

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

const sos_tree* sos_finder::tree_of(const fs::path& file) {
  const fs::path folder = file.parent_path();
  if (have_last_ && folder.native() == last_folder_) return last_tree_;
  const sos_tree* found = nullptr;
  for (fs::path dir = folder; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    auto [it, fresh] = cache_.try_emplace(dir);
    if (fresh) it->second = probe(dir);
    if (it->second) {
      found = &*it->second;  // map nodes stay put: the pointer outlives later probes
      break;
    }
    if (dir == dir.parent_path()) break;
  }
  last_folder_ = folder.native();
  last_tree_ = found;
  have_last_ = true;
  return found;
}

std::optional<sos_tree> sos_finder::probe(const fs::path& dir) {
  std::error_code ec;
  const std::string name = dir.filename().string();
  // A name alone is not enough on disk (a folder may be called
  // "sosreport-pair" for other reasons): it must look like a sosreport too.
  const bool named =
      name.rfind("sosreport-", 0) == 0 && !archive_named(name) && fs::is_directory(dir / "var", ec);
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
      if (a || b || !lies_within(target, home)) continue;
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

}  // namespace migsleuth::ingest
