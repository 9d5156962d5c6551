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
[[nodiscard]] constexpr bool looks_like_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (dash ? c != '-' : !hex) return false;
  }
  return true;
}

// `s` without the leading and trailing characters of `blanks`.
[[nodiscard]] constexpr std::string_view trim(std::string_view s,
                                              std::string_view blanks = " \t\r") noexcept {
  const auto b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(blanks) - b + 1);
}

}  // namespace migsleuth
