// append_json_escaped copies runs of plain bytes eight at a time. Whatever
// the position of a byte that needs escaping within such a word (a quote, a
// backslash, a control, DEL, a UTF-8 lead byte, an invalid byte), the result
// must be what escaping byte by byte gives.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "migsleuth/core/json_escape.hpp"

namespace {

// The same escape, one byte at a time, for ASCII; UTF-8 of two bytes or
// more is left to the real one on the part that starts there.
std::string escaped_bytewise(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {
      migsleuth::append_json_escaped(out, s.substr(i));
      return out;
    }
    if (u == '"') {
      out += "\\\"";
    } else if (u == '\\') {
      out += "\\\\";
    } else if (u == '\n') {
      out += "\\n";
    } else if (u == '\r') {
      out += "\\r";
    } else if (u == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += static_cast<char>(u);
    }
  }
  return out;
}

std::string escaped(std::string_view s) {
  std::string out;
  migsleuth::append_json_escaped(out, s);
  return out;
}

}  // namespace

TEST_CASE("json escape: every special byte at every place of a word", "[core][json]") {
  const std::string plain = "nova-compute.log.part000001 name says nova";
  for (const int special : {int{'"'}, int{'\\'}, 0x0a, 0x09, 0x0d, 0x00, 0x01, 0x1f, 0x7f, 0x20,
                            0x7e, 0x21, 0x23, 0x5b}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string s = plain;
      s[at] = static_cast<char>(special);
      INFO("byte " << special << " at " << at);
      CHECK(escaped(s) == escaped_bytewise(s));
    }
  }
  CHECK(escaped("a\"b\\c\x01") == "a\\\"b\\\\c\\u0001");
  CHECK(escaped("0123456789abcdef\x7f") == "0123456789abcdef\\u007f");
  // Not ASCII: valid UTF-8 is copied, an invalid byte becomes U+FFFD, a bidi
  // control is written \uXXXX, wherever in the word it starts.
  for (std::size_t at = 0; at < 12; ++at) {
    const std::string head(at, 'x');
    CHECK(escaped(head + "\xc3\xa9" + "yyyyyyyy") == head + "\xc3\xa9" + "yyyyyyyy");
    CHECK(escaped(head + "\xff" + "yyyyyyyy") == head + "\xEF\xBF\xBD" + "yyyyyyyy");
    CHECK(escaped(head + "\xe2\x80\xae" + "yyyyyyyy") == head + "\\u202e" + "yyyyyyyy");
  }
}

TEST_CASE("json escape: random ASCII agrees with the byte-by-byte escape", "[core][json]") {
  std::mt19937 gen(20);
  std::uniform_int_distribution<int> byte(0, 0x7f);
  std::uniform_int_distribution<int> length(0, 64);
  for (int n = 0; n < 5000; ++n) {
    std::string s(static_cast<std::size_t>(length(gen)), ' ');
    for (auto& c : s) c = static_cast<char>(byte(gen) % 9 == 0 ? byte(gen) : 'a' + byte(gen) % 26);
    REQUIRE(escaped(s) == escaped_bytewise(s));
  }
}
