// Safe output: whatever a log holds reaches the reader as text, never as
// markup or terminal commands (hardening issue; report/src/escape.cpp).
#include <catch2/catch.hpp>

#include "migsleuth/report/escape.hpp"

using namespace migsleuth::report;

TEST_CASE("html_escape: markup from a log is text") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
}

TEST_CASE("html_escape: controls and invalid UTF-8 are neutralised, UTF-8 kept") {
  CHECK(html_escape("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(html_escape("bad \xff byte") == "bad \\xff byte");
  CHECK(html_escape("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(html_escape("tab\there") == "tab\there");
}

TEST_CASE("terminal_safe: ANSI, OSC and C1 sequences cannot reach the terminal") {
  CHECK(terminal_safe("\x1b]0;pwned\x07title") == "\\x1b]0;pwned\\x07title");
  CHECK(terminal_safe("csi \xc2\x9b" "2J") == "csi \\xc2\\x9b2J");  // U+009B: 8-bit CSI
  CHECK(terminal_safe("lone \x9b") == "lone \\x9b");
  CHECK(terminal_safe("line\nbreak\r") == "line\\x0abreak\\x0d");
  CHECK(terminal_safe("plain text") == "plain text");
}

TEST_CASE("markdown_escape: no link, image, HTML or emphasis injection") {
  const std::string s = markdown_escape("![img](http://evil/x.png) [a](b) <b>x</b> *e* _u_ `c` |t|");
  CHECK(s.find("![") == std::string::npos);
  CHECK(s.find("](") == std::string::npos);
  CHECK(s.find('<') != std::string::npos);
  CHECK(s == "\\!\\[img\\]\\(http://evil/x.png\\) \\[a\\]\\(b\\) \\<b\\>x\\</b\\> \\*e\\* \\_u\\_ "
             "\\`c\\` \\|t\\|");
  CHECK(markdown_escape("a\nb") == "a\\x0ab");  // no new block from a newline
  CHECK(markdown_escape("&amp;") == "\\&amp;");
}

TEST_CASE("markdown_fence: longer than any backtick run in the body") {
  CHECK(markdown_fence("no ticks") == "```");
  CHECK(markdown_fence("one ` tick") == "```");
  CHECK(markdown_fence("```\nclose?\n```") == "````");
  CHECK(markdown_fence("x `````` y") == "```````");
}

TEST_CASE("markdown_code: spans survive backticks and pipes") {
  CHECK(markdown_code("cmp-a") == "`cmp-a`");
  CHECK(markdown_code("a`b") == "``a`b``");
  CHECK(markdown_code("`x`") == "`` `x` ``");
  CHECK(markdown_code("a|b", md_place::table_cell) == "`a\\|b`");
  CHECK(markdown_code("a\x1b" "b") == "`a\\x1bb`");
}
