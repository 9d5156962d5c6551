// Escapers for every place log text reaches a reader. Logs are hostile input:
// a line may hold `<script>`, a markdown link, a run of backticks that would
// close a code fence, or ANSI/OSC sequences that drive a terminal. Each writer
// passes every string that came from an input through one of these.
//
// What they do not do: shorten text (see the writers' elision) or decide
// what is shown.
//
//   out += html_escape("<b>");                 // "&lt;b&gt;"
//   out += markdown_escape("[x](http://e)");   // "\[x](http://e)": no link
//   out += markdown_escape("nova.virt (x)");   // unchanged: nothing to misread
//   std::string f = markdown_fence(body);      // "```" or longer than any run in body
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace migsleuth::report {

// Control characters (C0, DEL, and C1 as UTF-8) become visible `\xNN` text;
// bytes that are not valid UTF-8 become `\xNN` too. Nothing a terminal can
// interpret as a command survives. Bidirectional controls (U+202A..U+202E,
// U+2066..U+2069, U+200E, U+200F, U+061C), which reorder what is shown,
// become `\uXXXX`. Tabs are kept only with tabs::keep.
enum class tabs : std::uint8_t { escape, keep };
std::string terminal_safe(std::string_view s, tabs t = tabs::escape);

// Text and attribute-value escaping for HTML: & < > " ' become entities,
// control characters and invalid UTF-8 are neutralised as in terminal_safe.
std::string html_escape(std::string_view s);

// Where markdown text goes: running text; a GFM table cell (where `|` ends
// the cell, even inside a code span); or the first characters of a block
// ("> summary", "- item"), where "# ", "- ", "1. ", "> " would start markup.
enum class md_place : std::uint8_t { text, table_cell, block_start };

// Markdown outside code: a backslash before exactly the characters that
// CommonMark/GFM would read as markup at their position (links, images,
// code spans, raw HTML, autolinks, entities, emphasis, strikethrough, table
// cells, block markers) and nowhere else, so prose stays readable and a
// phrase from a log can still be searched for. Control characters are
// neutralised as in terminal_safe.
std::string markdown_escape(std::string_view s, md_place place = md_place::text);

// A backtick fence for a code block holding `body`: at least three backticks,
// and longer than the longest backtick run in `body`, so no line closes it.
std::string markdown_fence(std::string_view body);

// An inline code span holding `s` (neutralised, on one line): delimited by a
// backtick run longer than any in `s`, padded when `s` starts or ends with one.
// In a GFM table cell a `|` ends the cell even inside a code span, so there it
// is written `\|` (which GFM renders as `|`).
std::string markdown_code(std::string_view s, md_place place = md_place::text);

}  // namespace migsleuth::report
