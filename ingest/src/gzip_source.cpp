#include "gzip_source.hpp"

#include "read_ahead.hpp"

#if MIGSLEUTH_HAVE_ISAL
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <vector>
#endif

namespace migsleuth::ingest {

#if MIGSLEUTH_HAVE_ISAL
namespace {

constexpr std::size_t kInputBytes = 128U << 10;

std::string inflate_failure(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "CRC or length check failed";
    default:
      return "inflate error " + std::to_string(code);
  }
}

class isal_gzip final : public byte_source {
 public:
  isal_gzip(std::unique_ptr<byte_source> owned, byte_source& upstream)
      : owned_(std::move(owned)),
        upstream_(upstream),
        state_(std::make_unique<inflate_state>()),
        input_(kInputBytes) {
    packing_ = compression::gzip;
    start_member();
  }

  std::size_t read(char* buf, std::size_t n) override {
    if (done_ || n == 0) return 0;
    inflate_state& s = *state_;
    s.next_out = reinterpret_cast<std::uint8_t*>(buf);
    s.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(n, UINT32_MAX));
    const std::uint32_t room = s.avail_out;
    while (!done_ && s.avail_out == room) {
      if (s.block_state == ISAL_BLOCK_FINISH) {
        // A whole member is out; pigz, bgzip and `cat a.gz b.gz` put more after it.
        if (s.avail_in == 0 && !refill()) {
          done_ = true;  // a clean end between members
          break;
        }
        start_member();
      }
      const int r = isal_inflate(&s);
      if (r < 0 || r == ISAL_NEED_DICT) {
        error_ = "decompression stopped: gzip: " + inflate_failure(r) +
                 " (truncated or corrupt file; lines read so far are kept)";
        done_ = true;
        break;
      }
      if (s.avail_out != room || s.block_state == ISAL_BLOCK_FINISH) continue;
      // Nothing came out and the member is not over: it needs more input.
      if (s.avail_in == 0 && !refill()) {
        if (error_.empty()) {
          error_ =
              "decompression stopped: gzip stream ends inside a member "
              "(truncated or corrupt file; lines read so far are kept)";
        }
        done_ = true;
      }
    }
    return room - s.avail_out;
  }

 private:
  // A fresh decoder for the next member. isal_inflate_init clears the buffer
  // pointers too: the unread input and the caller's output room must survive.
  void start_member() {
    inflate_state& s = *state_;
    std::uint8_t* const in = s.next_in;
    const std::uint32_t in_left = s.avail_in;
    std::uint8_t* const out = s.next_out;
    const std::uint32_t out_left = s.avail_out;
    isal_inflate_init(&s);
    s.crc_flag = ISAL_GZIP;  // header parsed, CRC32 and length checked by ISA-L
    s.next_in = in;
    s.avail_in = in_left;
    s.next_out = out;
    s.avail_out = out_left;
  }

  // False at the end of the upstream (its error, if any, becomes ours).
  bool refill() {
    const std::size_t got = upstream_.read(reinterpret_cast<char*>(input_.data()), input_.size());
    if (got == 0) {
      if (!upstream_.error().empty()) error_ = upstream_.error();
      return false;
    }
    state_->next_in = input_.data();
    state_->avail_in = static_cast<std::uint32_t>(got);
    return true;
  }

  std::unique_ptr<byte_source> owned_;
  byte_source& upstream_;
  std::unique_ptr<inflate_state> state_;  // ~20 KiB of tables and window
  std::vector<std::uint8_t> input_;
  bool done_ = false;
};

}  // namespace

bool have_isal_gzip() noexcept { return true; }

std::unique_ptr<byte_source> isal_gzip_decoder(std::unique_ptr<byte_source> owned,
                                               byte_source& upstream) {
  return std::make_unique<isal_gzip>(std::move(owned), upstream);
}

std::unique_ptr<byte_source> isal_gzip_source(byte_source& upstream, work_budget& budget,
                                              std::string unit) {
  return std::make_unique<read_ahead_source>(isal_gzip_decoder(nullptr, upstream), budget,
                                             std::move(unit), false);
}

#else

bool have_isal_gzip() noexcept { return false; }

std::unique_ptr<byte_source> isal_gzip_decoder(std::unique_ptr<byte_source> /*owned*/,
                                               byte_source& /*upstream*/) {
  return nullptr;
}

std::unique_ptr<byte_source> isal_gzip_source(byte_source& /*upstream*/, work_budget& /*budget*/,
                                              std::string /*unit*/) {
  return nullptr;
}

#endif

}  // namespace migsleuth::ingest
