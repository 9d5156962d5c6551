// What is a bundle (see scan.hpp for the rule), and which shard owns it.
//
// Sizes and modification times are read here, once, with stat(): they are
// what a resumed scan compares and what the progress bar counts in bytes.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "migsleuth/scan/scan.hpp"

namespace migsleuth::scan {
namespace fs = std::filesystem;
namespace {

std::int64_t mtime_of(const struct stat& st) noexcept {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
         static_cast<std::int64_t>(st.st_mtim.tv_nsec);
}

// A folder's size and newest mtime, over every file below it. Links are not
// followed (the ingest lists them without reading them either).
void measure_dir(const std::string& path, bundle& b) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) b.mtime_ns = mtime_of(st);
  std::error_code ec;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string p = it->path().string();
    if (::lstat(p.c_str(), &st) != 0) continue;
    b.mtime_ns = std::max(b.mtime_ns, mtime_of(st));
    if (S_ISREG(st.st_mode)) b.bytes += static_cast<std::uint64_t>(st.st_size);
  }
}

// Reads the start of a file and says whether it is compressed or a tar:
// names lie (a .log that is gzip, a .tgz that is plain), magic bytes do not.
bool has_archive_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 512> head{};
  in.read(head.data(), head.size());
  const auto n = static_cast<std::size_t>(in.gcount());
  auto starts = [&](std::string_view magic) {
    return n >= magic.size() && std::string_view(head.data(), magic.size()) == magic;
  };
  if (starts("\x1f\x8b") || starts("BZh") || starts("\xfd" "7zXZ") ||
      starts("\x28\xb5\x2f\xfd")) {
    return true;
  }
  // POSIX/GNU tar: "ustar" at offset 257.
  return n >= 262 && std::string_view(head.data() + 257, 5) == "ustar";
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace

bool is_archive_file(const std::string& path) { return has_archive_magic(path); }

bundle_list find_bundles(const std::vector<std::string>& paths) {
  bundle_list out;
  std::set<std::string> seen;
  auto add_file = [&](const std::string& path, const std::string& name, const struct stat& st) {
    if (!seen.insert(path).second) return;
    bundle b;
    b.path = path;
    b.name = name;
    b.bytes = static_cast<std::uint64_t>(st.st_size);
    b.mtime_ns = mtime_of(st);
    out.bundles.push_back(std::move(b));
  };
  auto add_dir = [&](const std::string& path, const std::string& name) {
    if (!seen.insert(path).second) return;
    bundle b;
    b.path = path;
    b.name = name;
    b.is_dir = true;
    measure_dir(path, b);
    out.bundles.push_back(std::move(b));
  };

  for (const auto& root : paths) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
      out.skipped.push_back({root, "cannot be read (does not exist or no permission)"});
      continue;
    }
    if (S_ISREG(st.st_mode)) {
      if (has_archive_magic(root)) {
        add_file(root, fs::path(root).filename().string(), st);
      } else {
        out.skipped.push_back({root, "not a folder or an archive"});
      }
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      out.skipped.push_back({root, "not a folder or an archive"});
      continue;
    }
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) {
      out.skipped.push_back({root, "cannot be listed: " + ec.message()});
      continue;
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const std::string path = join(root, name);
      if (name.front() == '.') continue;  // .snapshot, editor and OS droppings
      // lstat: a child that is a link is never a bundle. A link to a folder
      // could be `ln -s / x` (the whole disk) or a folder outside the scan;
      // give the target's own path to scan it.
      struct stat cst {};
      if (::lstat(path.c_str(), &cst) != 0) {
        out.skipped.push_back({path, "cannot be read (no permission or removed)"});
      } else if (S_ISLNK(cst.st_mode)) {
        out.skipped.push_back(
            {path, "a symbolic link: not followed (give the target's own path to scan it)"});
      } else if (S_ISDIR(cst.st_mode)) {
        add_dir(path, name);
      } else if (S_ISREG(cst.st_mode) && has_archive_magic(path)) {
        add_file(path, name, cst);
      } else {
        out.skipped.push_back({path, "not a folder or an archive"});
      }
    }
  }
  std::sort(out.bundles.begin(), out.bundles.end(),
            [](const bundle& a, const bundle& b) { return a.path < b.path; });
  return out;
}

bool parse_shard(std::string_view text, shard& out) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::uint32_t k = 0, n = 0;
  const auto a = text.substr(0, slash), b = text.substr(slash + 1);
  if (a.empty() || b.empty()) return false;
  if (std::from_chars(a.data(), a.data() + a.size(), k).ptr != a.data() + a.size()) return false;
  if (std::from_chars(b.data(), b.data() + b.size(), n).ptr != b.data() + b.size()) return false;
  if (n == 0 || k == 0 || k > n) return false;
  out = {k, n};
  return true;
}

std::uint64_t stable_hash(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// The bundle's name relative to its PATH argument, not its absolute path, so
// the split is the same on every machine whatever the mount point.
bool in_shard(const bundle& b, shard s) noexcept {
  return s.count <= 1 || stable_hash(b.name) % s.count == s.index - 1;
}

}  // namespace migsleuth::scan
