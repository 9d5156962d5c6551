// The sizes of the files a walk listed by name, taken after the walk on the
// worker pool. The listing already said which entries are regular files
// (getdents' d_type), so the walk itself makes no stat; here each folder is
// opened once per batch and its files are asked with fstatat() relative to
// it, so the kernel looks up one name, not the whole path again.
//
// The walk and this pass are a moment apart: a file that is gone by now, or
// is no longer a regular file, is listed with the reason and never opened,
// as the walk would have listed it.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

#include "folder_handle.hpp"
#include "migsleuth/core/worker_pool.hpp"
#include "walk.hpp"

namespace migsleuth::ingest {
namespace {

// Files per task: enough that opening the folder is nothing beside them.
constexpr std::size_t kBatch = 2048;

// A file this pass could not take as a regular file, and why.
struct not_regular {
  std::size_t index = 0;
  int error = 0;    // errno of fstatat, or 0
  mode_t mode = 0;  // its type now, when fstatat answered
};

void stat_batch(walk_list& files, std::size_t from, std::size_t to, std::vector<not_regular>& odd) {
  folder_handle dir;
  std::string name;
  for (std::size_t i = from; i < to; ++i) {
    if (files.bytes(i) != walk_list::kUnknownBytes) continue;
    const std::uint32_t k = files.folder_of(i);
    const std::string& prefix = files.folder(k).path;
    name.assign(files.name(i));
    struct stat sb {};
    const int fd = dir.at(k, prefix);
    // The folder cannot be opened (gone, or no search permission): the
    // file by its whole path, as the reader will open it.
    const int rc = fd >= 0 ? ::fstatat(fd, name.c_str(), &sb, AT_SYMLINK_NOFOLLOW)
                           : ::lstat((prefix + name).c_str(), &sb);
    if (rc != 0) {
      odd.push_back({i, errno, 0});
    } else if (!S_ISREG(sb.st_mode)) {
      odd.push_back({i, 0, sb.st_mode});
    } else {
      files.set_bytes(i, static_cast<std::uint64_t>(sb.st_size));
    }
  }
}

std::string why_not_read(const not_regular& n) {
  if (n.error == ENOENT) {
    return "it was listed but is gone (removed or renamed while the bundle was read): not read";
  }
  if (n.error != 0) return "cannot stat: " + std::generic_category().message(n.error);
  const char* now = S_ISDIR(n.mode)    ? "a folder"
                    : S_ISLNK(n.mode)  ? "a symbolic link"
                    : S_ISFIFO(n.mode) ? "a FIFO (named pipe)"
                    : S_ISSOCK(n.mode) ? "a socket"
                                       : "a device file";
  return std::string("it was a regular file when listed and is now ") + now +
         " (changed while the bundle was read): not opened";
}

}  // namespace

void stat_listed_sizes(walk_list& files, unsigned jobs) {
  const std::size_t batches = (files.size() + kBatch - 1) / kBatch;
  std::vector<std::vector<not_regular>> odd(batches);
  for_each_task(batches, jobs, nullptr, [&](std::size_t b) {
    stat_batch(files, b * kBatch, std::min(files.size(), (b + 1) * kBatch), odd[b]);
  });
  for (const auto& batch : odd) {
    for (const not_regular& n : batch) {
      // A file that vanished was input the analysis could not read.
      files.set_unread(n.index, why_not_read(n), n.error != 0 || S_ISLNK(n.mode));
    }
  }
}

}  // namespace migsleuth::ingest
