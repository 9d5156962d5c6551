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
  CHECK(s == "!\\[img](http://evil/x.png) \\[a](b) \\<b>x\\</b> \\*e\\* \\_u\\_ "
             "\\`c\\` |t|");
  CHECK(markdown_escape("a\nb") == "a\\x0ab");  // no new block from a newline
  CHECK(markdown_escape("&amp; &#39; R&D") == "\\&amp; \\&#39; R&D");
  CHECK(markdown_escape("<http://evil> ~~gone~~") == "\\<http://evil> \\~\\~gone\\~\\~");
  // The backslash before '*' is escaped; the lone '*' after it is text.
  CHECK(markdown_escape("a\\*b c\\d") == "a\\\\*b c\\d");
}

TEST_CASE("markdown_escape: prose with nothing to misread is left alone") {
  // Log messages are full of punctuation that means nothing to markdown; a
  // backslash before each made tickets unreadable and unsearchable.
  const std::string msg =
      "Live Migration failure: operation failed: job 'migration out' failed (port 49152, "
      "rc=-1) in nova.virt.libvirt_driver {x}! 5 < 6 # not a heading, a - b, a * b, 1. 2.";
  CHECK(markdown_escape(msg) == msg);
  CHECK(markdown_escape("snake_case_name") == "snake_case_name");
  // One delimiter alone opens nothing; two may.
  CHECK(markdown_escape("old images in _base, ~/x, a*b") == "old images in _base, ~/x, a*b");
  CHECK(markdown_escape("_base and _other") == "\\_base and \\_other");
  CHECK(markdown_escape("a|b") == "a|b");
  CHECK(markdown_escape("set [workarounds] enable_numa_live_migration") ==
        "set [workarounds] enable_numa_live_migration");
  CHECK(markdown_escape("[x]: http://evil") == "\\[x]: http://evil");
  CHECK(markdown_escape("[a][b]") == "\\[a][b]");  // "[b]" alone: no reference is defined
  CHECK(markdown_escape("a|b", md_place::table_cell) == "a\\|b");
}

TEST_CASE("markdown_escape: no issue link or mention on GitHub from '#1234' or '@name'") {
  // A ticket renders "#22" as a link to issue 22 of its repository and
  // "@admin" as a mention that notifies someone.
  CHECK(markdown_escape("failed with error #22 (see #1234)") ==
        "failed with error \\#22 (see \\#1234)");
  CHECK(markdown_escape("ask @admin, cc (@ops-team)") == "ask \\@admin, cc (\\@ops-team)");
  CHECK(markdown_escape("#1 first") == "\\#1 first");
  // Not a reference: inside a word, or no digit / name after the sign.
  CHECK(markdown_escape("nova@cmp-2 running#033[00m issue#12 # heading? @ 5") ==
        "nova@cmp-2 running#033[00m issue#12 # heading? @ 5");
}

TEST_CASE("markdown_escape: a line of brackets costs linear time") {
  // Each '[' asks whether a link could close after it: answered from one
  // backward scan, not a scan per bracket (8 KiB of brackets: 4096^2 before).
  std::string hostile;
  for (int i = 0; i < 200000; ++i) hostile += "[]";
  hostile += "(x)";
  const std::string s = markdown_escape(hostile);
  CHECK(s.size() == hostile.size() + 200000);  // every '[' escaped, nothing else
}

TEST_CASE("markdown_escape: block markers only where a block begins") {
  CHECK(markdown_escape("# not a heading", md_place::block_start) == "\\# not a heading");
  CHECK(markdown_escape("> quoted", md_place::block_start) == "\\> quoted");
  CHECK(markdown_escape("- item", md_place::block_start) == "\\- item");
  CHECK(markdown_escape("12. item", md_place::block_start) == "12\\. item");
  CHECK(markdown_escape("---", md_place::block_start) == "\\---");
  CHECK(markdown_escape("-1 is an errno", md_place::block_start) == "-1 is an errno");
  CHECK(markdown_escape("2024. was a year", md_place::text) == "2024. was a year");
  CHECK(markdown_escape("# x", md_place::text) == "# x");
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
