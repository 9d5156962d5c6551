#include "migsleuth/core/event.hpp"

#include <fmt/format.h>

#include <functional>

namespace migsleuth {
namespace {

// Where to cut `s` so that the kept start plus `marker` fit the cap: never
// inside a UTF-8 sequence (a cut code point would become U+FFFD / \xNN
// noise in every format).
std::size_t cut_point(std::string_view s, std::size_t marker, std::size_t cap) noexcept {
  std::size_t cut = cap > marker ? cap - marker : 0;
  if (cut >= s.size()) return s.size();
  for (int back = 0; back < 3 && cut > 0 &&
                     (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U;
       ++back) {
    --cut;
  }
  return cut;
}

}  // namespace

std::string capped_text(std::string_view s) { return capped_text(s, s.size()); }

std::string capped_text(std::string_view start, std::size_t whole_size) {
  return capped_text(start, whole_size, kKeptTextBytes);
}

std::string capped_text(std::string_view start, std::size_t whole_size, std::size_t cap) {
  if (whole_size <= cap && start.size() == whole_size) return std::string(start);
  const std::string marker = fmt::format(" \u2026 [line cut: {} bytes]", whole_size);
  const std::string_view kept = start.substr(0, cut_point(start, marker.size(), cap));
  std::string out;
  out.reserve(kept.size() + marker.size());  // exactly: a kept line holds no slack
  out.append(kept);
  out += marker;
  return out;
}

std::size_t kept_line_length(std::string_view kept) noexcept {
  constexpr std::string_view kOpen = "[line cut: ";
  constexpr std::string_view kClose = " bytes]";
  if (!kept.ends_with(kClose)) return kept.size();
  const std::size_t open = kept.rfind(kOpen);
  if (open == std::string_view::npos) return kept.size();
  const std::string_view digits =
      kept.substr(open + kOpen.size(), kept.size() - kClose.size() - open - kOpen.size());
  if (digits.empty() || digits.size() > 18) return kept.size();
  std::size_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return kept.size();
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

bool cap_kept_text(std::string& s) {
  if (s.size() <= kKeptTextBytes) return false;
  s = capped_text(s);
  s.shrink_to_fit();
  return true;
}

void cap_kept_text(event& ev) {
  const bool text = cap_kept_text(ev.text);
  const bool message = cap_kept_text(ev.message);
  if (text || message) ev.text_cut = true;
  for (auto& v : ev.values) cap_kept_text(v.second);
}

std::string_view event::value(std::string_view name) const noexcept {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return {};
}

text_span span_in_copy(std::string_view line, std::string_view part, std::string_view kept) {
  // std::less: a total order on pointers, even into unrelated buffers.
  const std::less<const char*> before;
  if (part.empty() || before(part.data(), line.data()) ||
      before(line.data() + line.size(), part.data() + part.size())) {
    return {};
  }
  const auto at = static_cast<std::size_t>(part.data() - line.data());
  if (at + part.size() > kept.size() || kept.substr(at, part.size()) != part) return {};
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(part.size())};
}

}  // namespace migsleuth
