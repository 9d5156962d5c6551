#include <fmt/format.h>

#include "migsleuth/core/json_escape.hpp"
#include "migsleuth/core/utf8.hpp"

namespace migsleuth {

void append_json_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // Most of a log line needs no escape: copy it in runs, not byte by byte.
    std::size_t plain = i;
    while (plain < s.size() && s[plain] >= 0x20 && s[plain] < 0x7f && s[plain] != '"' &&
           s[plain] != '\\') {
      ++plain;
    }
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
