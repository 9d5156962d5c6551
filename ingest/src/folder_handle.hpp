// One folder of the walk kept open (O_PATH) while files of it are looked up
// or opened one after the other: stat and open then look up the file's name
// in it, not every component of the path again (a file of
// bundle/cmp-a/var/log/nova/ is seven lookups by path, one from its folder).
// Opening from the folder gives the file its path would: the walk's folders
// are real folders, never entered through links.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace migsleuth::ingest {

class folder_handle {
 public:
  folder_handle() = default;
  folder_handle(const folder_handle&) = delete;
  folder_handle& operator=(const folder_handle&) = delete;
  ~folder_handle() { close(); }

  // The open folder `key` whose path is `prefix` ("bundle/cmp-a/"; empty:
  // the current folder); reopened when the key changes. -1 when it cannot
  // be opened (then use the whole path).
  int at(std::uint64_t key, const std::string& prefix) {
    if (key == key_ && fd_ >= 0) return fd_;
    close();
    key_ = key;
    fd_ = ::open(prefix.empty() ? "." : prefix.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    return fd_;
  }

  // The same for the folder of the file at `path` (what goes before its
  // last '/'), made only when the folder is opened.
  int at_file(std::uint64_t key, const std::string& path) {
    if (key == key_ && fd_ >= 0) return fd_;
    return at(key, path.substr(0, path.find_last_of('/') + 1));
  }

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    key_ = UINT64_MAX;
  }

 private:
  int fd_ = -1;
  std::uint64_t key_ = UINT64_MAX;
};

}  // namespace migsleuth::ingest
