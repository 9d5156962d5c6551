// One UTF-8 decoder for every writer (the report's JSON, HTML, markdown and
// terminal escapers, preflight's JSON): what is invalid for one is invalid for all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace migsleuth::detail {

// Length of the valid UTF-8 sequence at s[i] and its code point in `cp`, or 0
// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::size_t utf8_at(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept;

// Unicode bidirectional formatting characters (U+202A..U+202E embeddings and
// overrides, U+2066..U+2069 isolates, U+200E/U+200F marks, U+061C Arabic
// letter mark). Printable by the letter of the standard, they reorder what a
// reader sees ("Trojan Source", CVE-2021-42574): a log line could make
// evidence read as something it does not say. Every writer shows them as a
// visible `\uXXXX` instead.
bool is_bidi_control(std::uint32_t cp) noexcept;

}  // namespace migsleuth::detail
