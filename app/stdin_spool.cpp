#include "stdin_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace migsleuth::app {
namespace {

std::string temp_dir() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

// An anonymous file: O_TMPFILE where the file system has it, else a named
// one unlinked at once.
int anonymous_file(std::string& why) {
  const std::string dir = temp_dir();
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string name = dir + "/migsleuth-stdin.XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    why = "cannot create a temporary file in " + dir + ": " + std::strerror(errno);
    return -1;
  }
  ::unlink(name.c_str());
  return fd;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

stdin_spool::~stdin_spool() {
  if (fd_ >= 0) ::close(fd_);
}

bool stdin_spool::fill(std::string& why) {
  if (::isatty(STDIN_FILENO) != 0) {
    why = "standard input is a terminal: pipe a log in (journalctl -u nova-compute | "
          "migsleuth analyze -) or give a path";
    return false;
  }
  fd_ = anonymous_file(why);
  if (fd_ < 0) return false;
  std::array<char, 1 << 16> buf{};
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::string("cannot read standard input: ") + std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    if (!write_all(fd_, buf.data(), static_cast<std::size_t>(n))) {
      why = "cannot store standard input in " + temp_dir() + ": " + std::strerror(errno);
      return false;
    }
  }
  path_ = "/proc/self/fd/" + std::to_string(fd_);
  return true;
}

}  // namespace migsleuth::app
