#include "byte_source.hpp"

#include "decoders.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace migsleuth::ingest {
namespace {

class plain_source final : public byte_source {
 public:
  explicit plain_source(int fd) : fd_(fd) {}
  ~plain_source() override { ::close(fd_); }
  plain_source(const plain_source&) = delete;
  plain_source& operator=(const plain_source&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    for (;;) {
      const ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno == EINTR) continue;
      error_ = std::string("read failed: ") + std::strerror(errno);
      return 0;
    }
  }

 private:
  int fd_;
};

}  // namespace

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

std::unique_ptr<byte_source> open_source(const std::string& path, work_budget& budget,
                                         std::string& error) {
  // O_NONBLOCK: a FIFO that slipped past the walker must not hang the run.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return nullptr;
  }
  unsigned char head[8] = {};
  const ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got < 0) {
    error = std::string("cannot read: ") + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  const compression c = sniff_compression(head, static_cast<std::size_t>(got));
  if (c == compression::none) return std::make_unique<plain_source>(fd);
  // The file's decoder runs ahead on its own thread: one core decompresses
  // while the reader's parses (read_ahead.hpp).
  auto file = std::make_unique<plain_source>(fd);
  byte_source& packed = *file;
  return decode(std::move(file), packed, c, budget, "file", true, error);
}

}  // namespace migsleuth::ingest
