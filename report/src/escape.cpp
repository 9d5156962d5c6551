// Escapers for HTML, markdown and the terminal (see escape.hpp). All three
// share one UTF-8 walk so that invalid bytes and control characters are
// treated the same everywhere: shown as `\xNN`, never passed through.
#include "migsleuth/report/escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "utf8.hpp"

namespace migsleuth::report {
namespace detail {

// Length of the valid UTF-8 sequence at s[i] and its code point, or 0.
std::size_t utf8_at(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                        (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_bidi_control(std::uint32_t cp) noexcept {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

}  // namespace detail

namespace {

using detail::is_bidi_control;
using detail::utf8_at;


// Walks `s` and calls `put(out, char)` for each safe ASCII character; copies
// other valid, printable UTF-8 as is; writes `\xNN` for the rest. C1 controls
// (U+0080..U+009F) matter: U+009B is a CSI in some terminals. Bidirectional
// controls are valid and not C0/C1, but reorder the text around them: they
// are written `\uXXXX`, as the JSON report writes them.
template <typename Put>
std::string walk(std::string_view s, tabs t, Put put) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = utf8_at(s, i, cp);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    const bool control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
    if (control && !(cp == '\t' && t == tabs::keep)) {
      for (std::size_t k = 0; k < len; ++k) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i + k]));
      }
    } else if (is_bidi_control(cp)) {
      out += fmt::format("\\u{:04x}", cp);
    } else if (len == 1) {
      put(out, s[i]);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::size_t longest_backtick_run(std::string_view s) {
  std::size_t best = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

}  // namespace

std::string terminal_safe(std::string_view s, tabs t) {
  return walk(s, t, [](std::string& out, char c) { out += c; });
}

std::string html_escape(std::string_view s) {
  return walk(s, tabs::keep, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c; break;
    }
  });
}

std::string markdown_escape(std::string_view s) {
  // Backslash escapes work for any ASCII punctuation in CommonMark/GFM. The
  // set covers links and images ([ ] ( ) !), emphasis (* _ ~), code (`),
  // raw HTML and autolinks (< >), entities (&), tables (|), and the escape
  // itself. Line-start markup (# - + 1.) cannot occur: text is never at the
  // start of a line and newlines are neutralised.
  constexpr std::string_view kSpecial = "\\`*_{}[]()!<>|~&#";
  return walk(s, tabs::escape, [&](std::string& out, char c) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  });
}

std::string markdown_fence(std::string_view body) {
  return std::string(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
}

std::string markdown_code(std::string_view s, md_place place) {
  std::string text = terminal_safe(s);
  if (place == md_place::table_cell) {
    std::string piped;
    for (char c : text) {
      if (c == '|') piped += '\\';
      piped += c;
    }
    text = std::move(piped);
  }
  const std::string ticks(longest_backtick_run(text) + 1, '`');
  // A space on both sides lets the span begin or end with a backtick; CommonMark
  // strips one space from each side when both are present.
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  const std::string_view sp = pad ? " " : "";
  return fmt::format("{}{}{}{}{}", ticks, sp, text, sp, ticks);
}

}  // namespace migsleuth::report
