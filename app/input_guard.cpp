#include "input_guard.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "commands.hpp"

namespace migsleuth::app {
namespace {

namespace fs = std::filesystem;

struct file_id {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const file_id&) const = default;
};

// stat() follows symlinks: a link to an input is the input.
std::optional<struct stat> stat_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st;
}

file_id id_of(const struct stat& st) { return {st.st_dev, st.st_ino}; }

// Every existing folder that would hold `out`, innermost first. The path is
// made canonical as far as it exists, so `bundle/../bundle/x`, a relative
// spelling or a symlinked parent cannot hide a folder; comparing device and
// inode also catches a bind mount of an input folder.
std::vector<file_id> folders_holding(const std::string& out) {
  std::vector<file_id> ids;
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(out, ec), ec);
  if (ec) p = fs::absolute(out, ec).lexically_normal();
  for (fs::path d = p.parent_path(); !d.empty(); d = d.parent_path()) {
    if (const auto st = stat_of(d.string()); st && S_ISDIR(st->st_mode)) ids.push_back(id_of(*st));
    if (d == d.parent_path()) break;
  }
  return ids;
}

// A file inside `dir` that is `target` under another name (a hard link), or "".
// Only called when the output has several links, so the walk is rare.
std::string hard_link_inside(const std::string& dir, file_id target) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && id_of(st) == target) {
      return it->path().string();
    }
  }
  return {};
}

std::string refusal(const output_target& o, const std::string& what) {
  return fmt::format("error: {} {} {}: migsleuth never writes its inputs\n", o.option, o.path,
                     what);
}

std::string conflict_of(const output_target& o, const std::vector<std::string>& inputs) {
  const auto out_st = stat_of(o.path);
  const std::vector<file_id> holders = folders_holding(o.path);
  for (const auto& in : inputs) {
    const auto in_st = stat_of(in);
    if (!in_st) continue;
    const file_id in_id = id_of(*in_st);
    if (out_st && id_of(*out_st) == in_id) {
      return refusal(o, in == o.path ? "is an input" : fmt::format("is an input (same file as {})", in));
    }
    if (!S_ISDIR(in_st->st_mode)) continue;
    for (const auto& h : holders) {
      if (h == in_id) return refusal(o, fmt::format("is inside input folder {}", in));
    }
    if (out_st && S_ISREG(out_st->st_mode) && out_st->st_nlink > 1) {
      const std::string twin = hard_link_inside(in, id_of(*out_st));
      if (!twin.empty()) return refusal(o, fmt::format("is an input (same file as {})", twin));
    }
  }
  return {};
}

}  // namespace

std::string output_input_conflict(const std::vector<output_target>& outputs,
                                  const std::vector<std::string>& inputs) {
  for (const auto& o : outputs) {
    if (o.path.empty() || o.path == "-") continue;
    if (std::string why = conflict_of(o, inputs); !why.empty()) return why;
  }
  return {};
}

int check_outputs(const std::vector<output_target>& outputs,
                  const std::vector<std::string>& inputs) {
  const std::string why = output_input_conflict(outputs, inputs);
  if (why.empty()) return kExitOk;
  std::fputs(why.c_str(), stderr);
  return kExitUsage;
}

}  // namespace migsleuth::app
