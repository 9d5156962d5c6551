#include "byte_source.hpp"

#include "decoders.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace migsleuth::ingest {
namespace {

ssize_t read_fd(int fd, char* buf, std::size_t n) {
  for (;;) {
    const ssize_t got = ::read(fd, buf, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

// The first read of a file: enough for the kind probe's head (64 KiB).
constexpr std::size_t kFirstRead = 64U << 10;

// A file's bytes. Its first read, made to sniff the codec, is handed out
// first; once read() meets the end no further read is asked of the kernel.
// A tiny file whose size the walk took costs open, one read, close; `at_end`:
// the first read held all of it (open_source).
class plain_source final : public byte_source {
 public:
  plain_source(int fd, std::string first, bool at_end)
      : fd_(fd), first_(std::move(first)), at_end_(at_end) {}
  ~plain_source() override { ::close(fd_); }
  plain_source(const plain_source&) = delete;
  plain_source& operator=(const plain_source&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    if (first_at_ < first_.size()) {
      const std::size_t k = std::min(n, first_.size() - first_at_);
      std::memcpy(buf, first_.data() + first_at_, k);
      first_at_ += k;
      if (first_at_ == first_.size()) std::string().swap(first_);
      return k;
    }
    if (at_end_) return 0;
    const ssize_t got = read_fd(fd_, buf, n);
    if (got > 0) return static_cast<std::size_t>(got);
    if (got < 0) error_ = std::string("read failed: ") + std::strerror(errno);
    at_end_ = n != 0;
    return 0;
  }

 private:
  int fd_;
  std::string first_;
  std::size_t first_at_ = 0;
  bool at_end_ = false;
};

}  // namespace

std::string_view byte_source::read_view(std::size_t n, std::string& scratch) {
  if (scratch.size() < n) scratch.resize(n);
  return {scratch.data(), read(scratch.data(), n)};
}

compression sniff_compression(const unsigned char* h, std::size_t n) noexcept {
  if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) return compression::gzip;
  if (n >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') return compression::bzip2;
  if (n >= 6 && h[0] == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' &&
      h[5] == 0x00) {
    return compression::xz;
  }
  if (n >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd) {
    return compression::zstd;
  }
  return compression::none;
}

namespace {

thread_local std::string first_read_buffer;  // reused: a tiny file keeps only what it holds

// The file's first read, into the buffer the thread reuses; -1 on error.
ssize_t first_read(int fd, std::string& first) {
  std::string& buffer = first_read_buffer;
  if (buffer.size() < kFirstRead) buffer.resize(kFirstRead);
  const ssize_t got = read_fd(fd, buffer.data(), kFirstRead);
  if (got >= 0) first.assign(buffer.data(), static_cast<std::size_t>(got));
  return got;
}

}  // namespace

void release_first_read_buffer() { std::string().swap(first_read_buffer); }

std::unique_ptr<byte_source> open_small_plain(const small_plain_file& f, std::uint64_t& size) {
  const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (f.follow_link ? 0 : O_NOFOLLOW);
  const int fd = f.folder_fd >= 0
                     ? ::openat(f.folder_fd, f.path.c_str() + f.path.find_last_of('/') + 1, flags)
                     : ::open(f.path.c_str(), flags);
  if (fd < 0) return nullptr;
  // fstat of the open file, not a stat by name: no path looked up again.
  struct stat sb {};
  std::string first;
  const bool small = ::fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
                     static_cast<std::uint64_t>(sb.st_size) < std::min(f.below, kFirstRead) &&
                     first_read(fd, first) >= 0 &&
                     first.size() == static_cast<std::uint64_t>(sb.st_size) &&
                     // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as bytes
                     sniff_compression(reinterpret_cast<const unsigned char*>(first.data()),
                                       first.size()) == compression::none;
  if (!small) {
    ::close(fd);
    return nullptr;
  }
  size = static_cast<std::uint64_t>(sb.st_size);
  return std::make_unique<plain_source>(fd, std::move(first), true);
}

std::unique_ptr<byte_source> open_source(const std::string& path, work_budget& budget,
                                         std::string& error, std::uint64_t size_on_disk,
                                         int folder_fd) {
  // O_NONBLOCK: a FIFO that slipped past the walker must not hang the run.
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  const int fd = folder_fd >= 0
                     ? ::openat(folder_fd, path.c_str() + path.find_last_of('/') + 1, kFlags)
                     : ::open(path.c_str(), kFlags);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return nullptr;
  }
  std::string first;
  if (first_read(fd, first) < 0) {
    error = std::string("cannot read: ") + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  // A short read of a regular file is its end; one of exactly the size the
  // walk saw says the file had not changed size. A file that shrank reads on
  // to hear the end itself.
  const bool whole = first.size() < kFirstRead && first.size() == size_on_disk;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as bytes
  const compression c = sniff_compression(reinterpret_cast<const unsigned char*>(first.data()),
                                          first.size());
  if (c == compression::none) return std::make_unique<plain_source>(fd, std::move(first), whole);
  // The file's decoder runs ahead on its own thread: one core decompresses
  // while the reader's parses (read_ahead.hpp).
  auto file = std::make_unique<plain_source>(fd, std::move(first), whole);
  byte_source& packed = *file;
  return decode(std::move(file), packed, c, budget, "file", true, error);
}

}  // namespace migsleuth::ingest
