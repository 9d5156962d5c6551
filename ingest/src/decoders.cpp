#include "decoders.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "gzip_source.hpp"
#include "libarchive_blocks.hpp"
#include "read_ahead.hpp"

namespace migsleuth::ingest {
namespace {

constexpr std::size_t kFeedBytes = 64U << 10;

// libarchive's raw format: one entry, the decompressed stream. libarchive
// pulls the packed bytes from `upstream` through its read callback.
class libarchive_decoder final : public byte_source {
 public:
  libarchive_decoder(std::unique_ptr<byte_source> owned, byte_source& upstream, compression c)
      : owned_(std::move(owned)), upstream_(upstream), archive_(archive_read_new()) {
    packing_ = c;
  }
  ~libarchive_decoder() override { archive_read_free(archive_); }
  libarchive_decoder(const libarchive_decoder&) = delete;
  libarchive_decoder& operator=(const libarchive_decoder&) = delete;

  // False with `error` when libarchive has no built-in filter for `c`. A
  // stream that does not even start as one is an error of the stream, as for
  // gzip: the input is listed with the warning, whether a file or a member.
  bool open(std::string& error) {
    int r = ARCHIVE_FATAL;
    switch (packing_) {
      case compression::gzip: r = archive_read_support_filter_gzip(archive_); break;
      case compression::bzip2: r = archive_read_support_filter_bzip2(archive_); break;
      case compression::xz: r = archive_read_support_filter_xz(archive_); break;
      case compression::zstd: r = archive_read_support_filter_zstd(archive_); break;
      case compression::none: break;
    }
    // ARCHIVE_WARN means libarchive would run an external program: never.
    if (r != ARCHIVE_OK) {
      error = "no built-in " + std::string(to_string(packing_)) + " decoder in libarchive";
      return false;
    }
    archive_read_support_format_raw(archive_);
    archive_entry* e = nullptr;
    if (archive_read_open(archive_, this, nullptr, pull, nullptr) != ARCHIVE_OK ||
        archive_read_next_header(archive_, &e) < ARCHIVE_WARN) {
      error_ = "cannot decompress (" + std::string(to_string(packing_)) +
               "): " + archive_message(archive_);
      done_ = true;
    } else if (archive_filter_code(archive_, 0) == ARCHIVE_FILTER_NONE) {
      // The magic bytes said so, libarchive's stricter check did not: its
      // raw format would hand out the packed bytes themselves.
      error_ = "cannot decompress (" + std::string(to_string(packing_)) +
               "): not a valid stream after its magic bytes";
      done_ = true;
    }
    return true;
  }

  std::size_t read(char* buf, std::size_t n) override {
    return fill_from_blocks(buf, n, block_, [this] { return !done_ && next_block(); });
  }

 private:
  static la_ssize_t pull(archive* /*a*/, void* client, const void** out) {
    auto* self = static_cast<libarchive_decoder*>(client);
    *out = self->feed_.data();
    return static_cast<la_ssize_t>(self->upstream_.read(self->feed_.data(), self->feed_.size()));
  }

  bool next_block() {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int r = archive_read_data_block(archive_, &block, &size, &offset);
    if (r == ARCHIVE_EOF) {
      done_ = true;
      return false;
    }
    if (r < ARCHIVE_WARN) {
      error_ = archive_message(archive_) + " (lines read so far are kept)";
      done_ = true;
      return false;
    }
    block_ = {static_cast<const char*>(block), size};
    return true;
  }

  std::unique_ptr<byte_source> owned_;
  byte_source& upstream_;
  archive* archive_;
  std::vector<char> feed_ = std::vector<char>(kFeedBytes);
  block_cursor block_;
  bool done_ = false;
};

// zstd through libzstd itself: a truncated log must say that its tail is
// missing, and libzstd says exactly where a frame was cut.
class zstd_decoder final : public byte_source {
 public:
  zstd_decoder(std::unique_ptr<byte_source> owned, byte_source& upstream, ZSTD_DStream* stream)
      : owned_(std::move(owned)),
        upstream_(upstream),
        stream_(stream),
        in_buf_(ZSTD_DStreamInSize()) {
    packing_ = compression::zstd;
    ZSTD_initDStream(stream_);
  }
  ~zstd_decoder() override { ZSTD_freeDStream(stream_); }
  zstd_decoder(const zstd_decoder&) = delete;
  zstd_decoder& operator=(const zstd_decoder&) = delete;

  std::size_t read(char* buf, std::size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0 && !done_) {
      if (in_.pos == in_.size) {
        const std::size_t got = upstream_.read(in_buf_.data(), in_buf_.size());
        if (got == 0) {
          if (!upstream_.error().empty()) {
            error_ = upstream_.error();
          } else if (pending_ != 0) {
            error_ = "zstd stream ends inside a frame (truncated file; lines read so far are kept)";
          }
          done_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{in_buf_.data(), got, 0};
      }
      pending_ = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(pending_) != 0) {
        error_ = std::string("decompression stopped: zstd: ") + ZSTD_getErrorName(pending_) +
                 " (corrupt file; lines read so far are kept)";
        done_ = true;
      }
    }
    return out.pos;
  }

 private:
  std::unique_ptr<byte_source> owned_;
  byte_source& upstream_;
  ZSTD_DStream* stream_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::size_t pending_ = 0;  // 0 when the last frame was complete
  bool done_ = false;
};

}  // namespace

std::unique_ptr<byte_source> make_decoder(std::unique_ptr<byte_source> owned,
                                          byte_source& upstream, compression c,
                                          std::string& error) {
  if (c == compression::none) {
    error = "not compressed";
    return nullptr;
  }
  if (c == compression::gzip && have_isal_gzip()) {
    return isal_gzip_decoder(std::move(owned), upstream);
  }
  if (c == compression::zstd) {
    ZSTD_DStream* stream = ZSTD_createDStream();
    if (stream == nullptr) {
      error = "cannot set up decompression (zstd): out of memory";
      return nullptr;
    }
    return std::make_unique<zstd_decoder>(std::move(owned), upstream, stream);
  }
  auto d = std::make_unique<libarchive_decoder>(std::move(owned), upstream, c);
  if (!d->open(error)) return nullptr;
  return d;
}

std::unique_ptr<byte_source> decode(std::unique_ptr<byte_source> owned, byte_source& upstream,
                                    compression c, work_budget& budget, std::string unit,
                                    bool own_thread, std::string& error) {
  auto d = make_decoder(std::move(owned), upstream, c, error);
  if (!d) return nullptr;
  return std::make_unique<read_ahead_source>(std::move(d), budget, std::move(unit), own_thread);
}

}  // namespace migsleuth::ingest
