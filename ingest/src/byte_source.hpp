// A read-only stream of bytes from one file: plain, or decompressed by the
// codec its magic bytes name (gzip, bzip2, xz, zstd -- never by file name;
// decoders.hpp has which library decodes which).
// Errors never throw out of here: they end the stream and leave a message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "migsleuth/core/input.hpp"
#include "work_budget.hpp"

namespace migsleuth::ingest {

class byte_source {
 public:
  virtual ~byte_source() = default;
  // Reads up to `n` bytes; 0 at the end or after an error (see error()).
  virtual std::size_t read(char* buf, std::size_t n) = 0;
  // The next bytes, at most `n` (none only at the end), without a copy where
  // the source already holds them in memory; valid until the next call on
  // this stream. A source that holds no bytes of its own copies them into
  // `scratch` (the default: read(n)). A view may be shorter than n before the
  // end only where nothing is charged per read (a tar member's block); a
  // decoded stream's view is exactly what read(n) gives, so the cut of a
  // used-up budget does not move.
  virtual std::string_view read_view(std::size_t n, std::string& scratch);
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] compression packing() const noexcept { return packing_; }

 protected:
  std::string error_;
  compression packing_ = compression::none;
};

// Decides the codec from the first bytes of the file.
compression sniff_compression(const unsigned char* head, std::size_t n) noexcept;

// Opens `path` read-only (O_NOFOLLOW is not used: the walker decided which
// symlinked files may be read, those inside the bundle). Every decompressed
// byte is taken from `budget`, which must outlive the result. On failure
// returns nullptr with `error`.
// `size_on_disk`: the file's size when the walk took it, if known. When the
// first read returns exactly that many bytes and fewer than it asked for,
// the file is read to its end as it was then, and no read is made to hear
// "end" (a file that grew since gives more than that and is read on).
// `folder_fd`: when not -1, the open folder (folder_handle.hpp) that holds
// the last component of `path`, which is then opened from it.
inline constexpr std::uint64_t kSizeNotKnown = UINT64_MAX;
std::unique_ptr<byte_source> open_source(const std::string& path, work_budget& budget,
                                         std::string& error,
                                         std::uint64_t size_on_disk = kSizeNotKnown,
                                         int folder_fd = -1);

// Frees the calling thread's buffer for first reads (read_stream.hpp:
// release_thread_buffers).
void release_first_read_buffer();

// What open_small_plain needs to know of a file.
struct small_plain_file {
  const std::string& path;
  int folder_fd = -1;         // as open_source's
  bool follow_link = false;   // the walk let this link be read (else it must not be one)
  std::uint64_t below = 0;    // "small": fewer bytes than this (at most one first read)
};

// The file as a plain stream when it is a regular file smaller than
// `f.below`, not compressed, that the first read holds whole; its size in
// `size`. Null in every other case (gone, changed, large, compressed, an
// error): nothing is reported, the caller reads it through open_source.
std::unique_ptr<byte_source> open_small_plain(const small_plain_file& f, std::uint64_t& size);

}  // namespace migsleuth::ingest
