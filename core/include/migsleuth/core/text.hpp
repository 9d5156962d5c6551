// Small ASCII text helpers every stage uses. ASCII only, on purpose: ids,
// UUIDs, host names, option keys and log keywords are ASCII, and std::tolower's
// locale lookup showed in profiles of many small files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace migsleuth {

inline void lower_ascii_in_place(std::string& s) noexcept {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
}

[[nodiscard]] inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  lower_ascii_in_place(out);
  return out;
}

// True if `s` is a canonical 36-character UUID (hex and dashes, any case).
// Every nova line with "[instance: U]" asks: the dashes are tested first, and
// the 32 digits eight at a time (a fifth of reading a nova log's headers when
// it was a byte at a time).
[[nodiscard]] bool looks_like_uuid(std::string_view s) noexcept;

// Where `lower_word` first occurs in `text` at or after `from`, in any ASCII
// letter case, or npos. `lower_word` is written in lower case; its other
// bytes ('_', ' ', digits) match only themselves. Log lines are scanned
// eight bytes at a time for the first letter: string_view::find_first_of
// ("mM") called memchr once per byte and was a tenth of a plain run.
[[nodiscard]] std::size_t find_ignoring_case(std::string_view text, std::string_view lower_word,
                                             std::size_t from = 0) noexcept;

// `s` without the leading and trailing characters of `blanks`.
[[nodiscard]] constexpr std::string_view trim(std::string_view s,
                                              std::string_view blanks = " \t\r") noexcept {
  const auto b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(blanks) - b + 1);
}

}  // namespace migsleuth
