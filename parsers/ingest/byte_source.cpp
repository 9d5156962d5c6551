#include "ingest/byte_source.hpp"

#include "ingest/gzip_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/iostreams/device/file_descriptor.hpp>
#include <boost/iostreams/filter/bzip2.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filter/lzma.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <vector>

namespace migsleuth::parsers {
namespace {

namespace io = boost::iostreams;

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

class decompressing_source final : public byte_source {
 public:
  decompressing_source(int fd, compression c, work_budget& budget) : budget_(budget) {
    packing_ = c;
    switch (c) {
      case compression::gzip: chain_.push(io::gzip_decompressor()); break;
      case compression::bzip2: chain_.push(io::bzip2_decompressor()); break;
      case compression::xz: chain_.push(io::lzma_decompressor()); break;
      case compression::zstd:  // zstd_source
      case compression::none: break;
    }
    chain_.push(io::file_descriptor_source(fd, io::close_handle));
  }

  std::size_t read(char* buf, std::size_t n) override {
    if (done_) return 0;
    try {
      const std::streamsize got = chain_.sgetn(buf, static_cast<std::streamsize>(n));
      if (got <= 0) {
        done_ = true;
        return 0;
      }
      if (!budget_.take_bytes(static_cast<std::uint64_t>(got))) {
        error_ = budget_.why() + "; the rest of the file was not read";
        done_ = true;
        return 0;
      }
      return static_cast<std::size_t>(got);
    } catch (const std::exception& e) {
      error_ = std::string("decompression stopped: ") + e.what() +
               " (truncated or corrupt file; lines read so far are kept)";
      done_ = true;
      return 0;
    }
  }

 private:
  io::filtering_streambuf<io::input> chain_;
  work_budget& budget_;
  bool done_ = false;
};

// zstd through libzstd itself: Boost's zstd filter ends a cut frame silently,
// and a truncated log must say that its tail is missing.
class zstd_source final : public byte_source {
 public:
  zstd_source(int fd, work_budget& budget)
      : fd_(fd), budget_(budget), stream_(ZSTD_createDStream()), in_buf_(ZSTD_DStreamInSize()) {
    packing_ = compression::zstd;
    ZSTD_initDStream(stream_);
  }
  ~zstd_source() override {
    ZSTD_freeDStream(stream_);
    ::close(fd_);
  }
  zstd_source(const zstd_source&) = delete;
  zstd_source& operator=(const zstd_source&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0 && !done_) {
      if (in_.pos == in_.size) {
        const ssize_t got = ::read(fd_, in_buf_.data(), in_buf_.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          if (got < 0) error_ = std::string("read failed: ") + std::strerror(errno);
          if (got == 0 && pending_ != 0) {
            error_ = "zstd stream ends inside a frame (truncated file; lines read so far are kept)";
          }
          done_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{in_buf_.data(), static_cast<std::size_t>(got), 0};
      }
      pending_ = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(pending_) != 0) {
        error_ = std::string("decompression stopped: zstd: ") + ZSTD_getErrorName(pending_) +
                 " (corrupt file; lines read so far are kept)";
        done_ = true;
      }
    }
    if (!budget_.take_bytes(out.pos)) {
      error_ = budget_.why() + "; the rest of the file was not read";
      done_ = true;
      return 0;
    }
    return out.pos;
  }

 private:
  int fd_;
  work_budget& budget_;
  ZSTD_DStream* stream_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::size_t pending_ = 0;  // 0 when the last frame was complete
  bool done_ = false;
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
  if (c == compression::zstd) return std::make_unique<zstd_source>(fd, budget);
  if (c == compression::gzip && have_isal_gzip()) {
    return isal_gzip_source(std::make_unique<plain_source>(fd), budget, "file");
  }
  try {
    return std::make_unique<decompressing_source>(fd, c, budget);
  } catch (const std::exception& e) {
    ::close(fd);
    error = std::string("cannot set up decompression: ") + e.what();
    return nullptr;
  }
}

}  // namespace migsleuth::parsers
