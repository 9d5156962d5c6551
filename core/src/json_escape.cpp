#include <fmt/format.h>

#include <cstdint>
#include <cstring>

#include "migsleuth/core/json_escape.hpp"
#include "migsleuth/core/utf8.hpp"

namespace migsleuth {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Nonzero when some byte of `x` is zero (exact as to whether one is).
constexpr std::uint64_t any_zero(std::uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// Whether all eight bytes at `p` are printable ASCII other than '"' and '\':
// the bytes a JSON string holds as they are. Eight at a time: a report of a
// million inputs escapes hundreds of MB of paths and reasons.
bool eight_plain(const char* p) noexcept {
  std::uint64_t x = 0;
  std::memcpy(&x, p, sizeof x);
  // A byte under 0x20 (none of the eight has its high bit, checked with it).
  const std::uint64_t below_space = (x - 0x20 * kOnes) & ~x & kHighs;
  const std::uint64_t special = any_zero(x ^ (0x7f * kOnes)) | any_zero(x ^ ('"' * kOnes)) |
                                any_zero(x ^ ('\\' * kOnes));
  return ((x & kHighs) | below_space | special) == 0;
}

bool plain_byte(char c) noexcept { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Most of a log line needs no escape: copy it in runs, not byte by byte.
    std::size_t plain = i;
    while (plain + 8 <= s.size() && eight_plain(s.data() + plain)) plain += 8;
    while (plain < s.size() && plain_byte(s[plain])) ++plain;
    if (plain > i) {
      out.append(s.data() + i, plain - i);
      i = plain;
      continue;
    }
    const char c = s[i];
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04x}", u);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = detail::utf8_at(s, i, cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      continue;
    }
    if (detail::is_bidi_control(cp)) {
      // Valid JSON either way; escaped so that no viewer of the raw report
      // (a terminal, a ticket) reorders the text around it.
      out += fmt::format("\\u{:04x}", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
}

}  // namespace migsleuth
