// Escapers for HTML, markdown and the terminal (see escape.hpp). All three
// share one UTF-8 walk so that invalid bytes and control characters are
// treated the same everywhere: shown as `\xNN`, never passed through.
#include "migsleuth/report/escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "migsleuth/core/utf8.hpp"

namespace migsleuth::report {
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

namespace {

bool ascii_punct(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 0x21 && u <= 0x2f) || (u >= 0x3a && u <= 0x40) || (u >= 0x5b && u <= 0x60) ||
         (u >= 0x7b && u <= 0x7e);
}
bool ascii_alnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

// "#1234" and "@name" after a non-word character: GitHub (and GitLab) make
// the first a link to that issue of the repository the ticket lives in and
// the second a mention that notifies the user; a log's "error #22" or
// "(@admin)" must stay text ("user@host", "running#033[00m" are left alone).
bool reference_at(std::string_view s, std::size_t i) {
  if (i > 0) {
    const char before = s[i - 1];
    // After '&' it is an entity ("&#39;"), escaped as one.
    if (ascii_letter(before) || (before >= '0' && before <= '9') || before == '_' ||
        before == '&') {
      return false;
    }
  }
  const char next = i + 1 < s.size() ? s[i + 1] : '\0';
  const bool digit = next >= '0' && next <= '9';
  return s[i] == '#' ? digit : digit || ascii_letter(next);
}

// "&amp;", "&#39;", "&#x27;": what a renderer would turn into another character.
bool entity_at(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') ++j;
  const std::size_t name = j;
  while (j < s.size() && ascii_alnum(s[j])) ++j;
  return j > name && j < s.size() && s[j] == ';';
}

// "[text](url)", "[text][ref]", "[text]: url": a '[' before a ']' that is
// followed by '(', '[' or ':' may start a link or image. A bare "[DEFAULT]"
// is text: no reference is ever defined in a report. Returns the index of
// the last such ']' (npos if none), so each '[' is judged in constant time
// (a hostile line of brackets stays linear).
std::size_t last_link_close(std::string_view s) {
  for (std::size_t j = s.size(); j-- > 1;) {
    if (s[j - 1] == ']' && (s[j] == '(' || s[j] == '[' || s[j] == ':')) return j - 1;
  }
  return std::string_view::npos;
}

// Whether the '*', '_' or '~' at i may open or close emphasis or
// strikethrough: '*' and '~' unless blank on both sides ("a * b"), '_' unless
// inside a word ("libvirt_driver").
bool may_delimit(std::string_view s, std::size_t i) {
  const char prev = i > 0 ? s[i - 1] : '\0';
  const char next = i + 1 < s.size() ? s[i + 1] : '\0';
  if (s[i] == '_') return !(ascii_alnum(prev) && ascii_alnum(next));
  return !(i > 0 && blank(prev) && blank(next));
}

// Block markup that counts only where a block's text begins: "# h", "> q",
// "- item", "+ item", "* item", "1. item", "1) item", and a thematic break
// ("---", "* * *", "___"). Returns the index to escape, or npos.
std::size_t block_marker_at_start(std::string_view s) {
  if (s.empty()) return std::string_view::npos;
  const char c = s[0];
  const bool spaced = s.size() == 1 || blank(s[1]);
  if (c == '>' || ((c == '-' || c == '+' || c == '*') && spaced)) return 0;
  if (c == '#' && (spaced || s[1] == '#')) return 0;
  if ((c == '-' || c == '_' || c == '*') &&
      s.find_first_not_of(std::string{c, ' ', '\t'}) == std::string_view::npos) {
    return 0;
  }
  std::size_t j = 0;
  while (j < s.size() && j < 9 && s[j] >= '0' && s[j] <= '9') ++j;
  if (j > 0 && j < s.size() && (s[j] == '.' || s[j] == ')') &&
      (j + 1 == s.size() || blank(s[j + 1]))) {
    return j;
  }
  return std::string_view::npos;
}

}  // namespace

std::string markdown_escape(std::string_view raw, md_place place) {
  // Only what a CommonMark/GFM renderer would read as markup, where it would
  // read it: a ticket full of "\(" and "\." is unreadable and no longer
  // matches the log when searched. Inline markup:
  //   [        when a later ] is followed by ( [ or : (a link or, after !, an image)
  //   `        opens a code span
  //   < + letter / ! ?   raw HTML or an autolink ("< 5" is text)
  //   &name;   an entity reference ("R&D" is text)
  //   * ~      emphasis / strikethrough, unless blank on both sides ("a * b")
  //   _        emphasis, unless inside a word ("libvirt_driver" is text)
  //            (and only when the text holds a second one: a lone one is text)
  //   \        an escape, when a punctuation character (or the end) follows
  //   |        only in a table cell, where it ends the cell
  //   # @      "#1234" (an issue link) and "@name" (a mention) on GitHub/GitLab
  // plus the block marker a block's first characters would be (md_place::block_start).
  const std::string s = terminal_safe(raw);  // controls are visible "\xNN" text first
  const std::size_t marker =
      place == md_place::block_start ? block_marker_at_start(s) : std::string_view::npos;
  const std::size_t link_close = last_link_close(s);
  std::size_t delimiters[3] = {0, 0, 0};  // '*', '_', '~' that may open or close
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*' || s[i] == '_' || s[i] == '~') {
      if (may_delimit(s, i)) ++delimiters[s[i] == '*' ? 0 : s[i] == '_' ? 1 : 2];
    }
  }
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    bool escape = i == marker;
    switch (c) {
      case '[':
        escape = escape || (link_close != std::string_view::npos && link_close > i);
        break;
      case '`':
        escape = true;
        break;
      case '<':
        escape = escape || ascii_letter(next) || next == '/' || next == '!' || next == '?';
        break;
      case '&':
        escape = escape || entity_at(s, i);
        break;
      case '*':
      case '~':
      case '_':
        // Emphasis needs an opener and a closer: one lone delimiter is text.
        escape = escape || (may_delimit(s, i) && delimiters[c == '*' ? 0 : c == '_' ? 1 : 2] > 1);
        break;
      case '\\':
        escape = escape || next == '\0' || ascii_punct(next);
        break;
      case '|':
        escape = escape || place == md_place::table_cell;
        break;
      case '#':
      case '@':
        escape = escape || reference_at(s, i);
        break;
      default:
        break;
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
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
