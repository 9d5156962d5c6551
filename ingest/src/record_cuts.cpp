#include "record_cuts.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "parser_seam.hpp"

namespace migsleuth::ingest {
namespace {

constexpr std::size_t kWindow = 256U << 10;

// Reads a file line by line from an offset with pread: only the few windows
// around the cut targets are read, never the file.
class line_scanner {
 public:
  line_scanner(int fd, std::uint64_t from, std::uint64_t max_line)
      : fd_(fd), pos_(from), max_line_(std::min<std::uint64_t>(max_line, kWindow / 2)) {}

  // The next line and its offset; a line longer than the limit is given
  // cut, as the parser sees it. False at the end or on an error.
  bool next(std::string_view& line, std::uint64_t& start) {
    for (;;) {
      const std::string_view rest = std::string_view(buf_).substr(used_);
      const auto nl = rest.find('\n');
      if (nl != std::string_view::npos) {
        start = pos_;
        line = rest.substr(0, std::min<std::uint64_t>(nl, max_line_));
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // as the parser does
        used_ += nl + 1;
        pos_ += nl + 1;
        return true;
      }
      if (rest.size() >= kWindow / 2) {
        // A long line: its head is what the parser judges it by (the header),
        // so it is kept and the rest skipped. A file of megabyte lines is
        // then cut like any other, and a scan stops at its limit instead of
        // skipping line after line to the end of the file.
        start = pos_;
        long_head_.assign(rest.substr(0, max_line_));
        if (!skip_line()) return false;
        line = long_head_;
        return true;
      }
      if (!refill()) return false;
    }
  }

 private:
  bool refill() {
    buf_.erase(0, used_);
    used_ = 0;
    const std::size_t have = buf_.size();
    buf_.resize(kWindow);
    ssize_t got = 0;
    do {
      got = ::pread(fd_, buf_.data() + have, kWindow - have, static_cast<off_t>(pos_ + have));
    } while (got < 0 && errno == EINTR);
    buf_.resize(have + static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
    return got > 0;
  }

  bool skip_line() {
    for (;;) {
      const auto nl = std::string_view(buf_).find('\n', used_);
      if (nl != std::string_view::npos) {
        pos_ += nl + 1 - used_;
        used_ = nl + 1;
        return true;
      }
      pos_ += buf_.size() - used_;
      used_ = buf_.size();
      if (!refill()) return false;
    }
  }

  int fd_;
  std::uint64_t pos_;  // file offset of buf_[used_]
  std::uint64_t max_line_;
  std::string buf_;
  std::size_t used_ = 0;
  std::string long_head_;  // the head of the last long line given
};

std::optional<timestamp> record_time(std::string_view line) {
  if (auto h = parse_oslo_header(line)) return h->local_time;
  return std::nullopt;
}

// The first cut at or after `from` and before `limit`, or 0.
std::uint64_t cut_after(int fd, std::uint64_t from, std::uint64_t limit, std::uint64_t max_line) {
  // Start at the line that holds byte from-1, so the first line judged
  // starts at `from` or later and its previous line is whole.
  line_scanner scan(fd, from - 1, max_line);
  std::string_view line;
  std::uint64_t start = 0;
  if (!scan.next(line, start)) return 0;  // the rest of a line (or a line) before `from`
  std::optional<timestamp> previous;
  while (scan.next(line, start)) {
    if (start >= limit) return 0;
    const std::optional<timestamp> now = record_time(line);
    if (now && previous && !(*now == *previous)) return start;
    previous = now;
  }
  return 0;
}

}  // namespace

std::vector<std::uint64_t> find_record_cuts(int fd, std::uint64_t size,
                                            std::uint64_t range_bytes, std::uint64_t max_line) {
  std::vector<std::uint64_t> cuts;
  if (range_bytes == 0 || size <= 2 * range_bytes) return cuts;
  const std::uint64_t ranges = size / range_bytes;
  for (std::uint64_t k = 1; k < ranges; ++k) {
    const std::uint64_t target = std::max(k * (size / ranges), cuts.empty() ? 1 : cuts.back() + 1);
    const std::uint64_t limit = (k + 1) * (size / ranges);
    if (target >= limit) continue;
    if (const std::uint64_t at = cut_after(fd, target, limit, max_line); at != 0) {
      cuts.push_back(at);
    }
  }
  return cuts;
}

}  // namespace migsleuth::ingest
