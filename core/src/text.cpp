#include "migsleuth/core/text.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace migsleuth {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

bool is_lower_letter(char c) noexcept { return c >= 'a' && c <= 'z'; }

// Setting bit 0x20 folds an ASCII capital onto its small letter; a byte that
// is not a letter in the word is compared as it is.
char folded(char c, bool letter) noexcept {
  return letter ? static_cast<char>(static_cast<unsigned char>(c) | 0x20) : c;
}

bool word_at(std::string_view text, std::size_t at, std::string_view lower_word) noexcept {
  for (std::size_t k = 1; k < lower_word.size(); ++k) {
    if (folded(text[at + k], is_lower_letter(lower_word[k])) != lower_word[k]) return false;
  }
  return true;
}

// The first index >= at (and < last) whose byte folds to `first`, or last.
std::size_t next_first_letter(std::string_view text, std::size_t at, std::size_t last, char first,
                              bool letter) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    const std::uint64_t fold = letter ? 0x20 * kOnes : 0;
    const std::uint64_t want = static_cast<unsigned char>(first) * kOnes;
    for (; at + 8 <= last; at += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, text.data() + at, 8);
      const std::uint64_t x = (w | fold) ^ want;  // a zero byte where the letter is
      // The lowest flagged byte is exact (a borrow only flags bytes above a zero one).
      const std::uint64_t zeros = (x - kOnes) & ~x & kHighs;
      if (zeros != 0) return at + static_cast<std::size_t>(std::countr_zero(zeros) / 8);
    }
  }
  for (; at < last; ++at) {
    if (folded(text[at], letter) == first) return at;
  }
  return last;
}

// True if each of the eight bytes of `w` is a hex digit, either case. Every
// byte is below 0x80 first, so adding a constant to a byte never carries into
// the next: a byte's high bit then answers "at least" for that byte alone.
bool eight_hex_digits(std::uint64_t w) noexcept {
  if ((w & kHighs) != 0) return false;
  const std::uint64_t digit = (w + 0x50 * kOnes) & ~(w + 0x46 * kOnes);  // '0'..'9'
  const std::uint64_t folded = w | 0x20 * kOnes;                          // 'A'..'F' -> 'a'..'f'
  const std::uint64_t letter = (folded + 0x1f * kOnes) & ~(folded + 0x19 * kOnes);  // 'a'..'f'
  return ((digit | letter) & kHighs) == kHighs;
}

}  // namespace

bool looks_like_uuid(std::string_view s) noexcept {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    return false;
  }
  // The 32 digits without their dashes: 8-4-4-4-12.
  char digits[32];
  std::memcpy(digits, s.data(), 8);
  std::memcpy(digits + 8, s.data() + 9, 4);
  std::memcpy(digits + 12, s.data() + 14, 4);
  std::memcpy(digits + 16, s.data() + 19, 4);
  std::memcpy(digits + 20, s.data() + 24, 12);
  for (std::size_t at = 0; at < sizeof digits; at += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, digits + at, 8);
    if (!eight_hex_digits(w)) return false;
  }
  return true;
}

std::size_t find_ignoring_case(std::string_view text, std::string_view lower_word,
                               std::size_t from) noexcept {
  if (lower_word.empty()) return from <= text.size() ? from : std::string_view::npos;
  if (text.size() < lower_word.size() || from > text.size() - lower_word.size()) {
    return std::string_view::npos;
  }
  const std::size_t last = text.size() - lower_word.size() + 1;  // past the last start
  const char first = lower_word.front();
  const bool letter = is_lower_letter(first);
  for (std::size_t at = next_first_letter(text, from, last, first, letter); at < last;
       at = next_first_letter(text, at + 1, last, first, letter)) {
    if (word_at(text, at, lower_word)) return at;
  }
  return std::string_view::npos;
}

}  // namespace migsleuth
