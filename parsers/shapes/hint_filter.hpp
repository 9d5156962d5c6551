// The per-kind prefilter of the shape path (conventions B.6 step 4, "a
// multi-literal search when there are many"): which of one input kind's shapes
// have a hint (a literal, case-sensitive substring) in a message. Most
// messages hit none and stop here, so every log line pays for this test.
//
// Wu-Manber style: a window as long as the shortest hint slides over the
// message, and a table indexed by the window's last two bytes says how far it
// may jump without passing a hint's start. Nova's hints are 14+ bytes long, so
// a message is read in jumps of about ten bytes; only windows whose last two
// bytes end some hint's prefix are compared (memcmp) with those hints.
// Measured on 918k real nova messages: ~50 ns a message, against ~400 ns for
// the RE2 alternation of all hints it replaced (which also takes a lock on its
// DFA cache per search) and ~110 ns for Hyperscan's literal API, whose fixed
// cost per call dominates on messages this short (HACKING.md, "Design notes").
//
// The grep-matcher rule holds: false positives are the regex's business, false
// negatives never happen. The answers are those of `pattern::candidate` on
// each shape: a shape without hints, or with an empty hint, is a candidate for
// every message; one-byte hints are looked for with find().
//
//   hint_filter f({{"Migration running for"}, {"Live Migration failure", "Live migration failed"}});
//   f.first_hit(msg, 0);  // 1 if only the second shape's hints occur; f.size() if none
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::parsers {

class hint_filter {
 public:
  // hints[i] are the hints of the kind's shape i, shapes in file order.
  explicit hint_filter(const std::vector<std::vector<std::string>>& hints);

  // The lowest shape index >= from with a hint in `text`, or size() if none.
  // Callers that want the shapes in order call it again with the index + 1.
  [[nodiscard]] std::size_t first_hit(std::string_view text, std::size_t from) const noexcept;
  [[nodiscard]] bool any(std::string_view text) const noexcept {
    return first_hit(text, 0) < shapes_;
  }
  [[nodiscard]] std::size_t size() const noexcept { return shapes_; }

 private:
  static constexpr std::size_t kMaxWindow = 64;  // shifts fit a byte

  struct literal {
    std::uint32_t offset;  // into pool_
    std::uint32_t length;
    std::uint32_t shape;
    std::uint16_t last_block = 0;  // of its first window_ bytes
  };

  static std::uint16_t block(const char* two_bytes) noexcept;
  [[nodiscard]] std::size_t scan_long(std::string_view text, std::size_t from) const noexcept;

  std::size_t shapes_ = 0;
  std::vector<std::uint32_t> always_;  // shapes that are candidates for any text, ascending
  std::size_t window_ = 0;  // length of the shortest hint of 2+ bytes (capped); 0: none
  std::string pool_;        // hint bytes, back to back
  std::vector<literal> short_;  // one-byte hints
  std::vector<literal> long_;  // hints of 2+ bytes, by last_block then shape
  // Indexed by the two bytes themselves: a hashed 4 KiB table measured 20%
  // slower, the multiply being on the loop's critical path.
  std::array<std::uint8_t, 65536> shift_{};
};

}  // namespace migsleuth::parsers
