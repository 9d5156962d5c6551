#include <catch2/catch.hpp>

#include <string>

#include "migsleuth/core/text.hpp"

using migsleuth::find_ignoring_case;
using migsleuth::looks_like_uuid;

namespace {

// The plain definition the word scan must agree with.
std::size_t find_slowly(std::string_view text, std::string_view lower_word, std::size_t from) {
  for (std::size_t at = from; at + lower_word.size() <= text.size(); ++at) {
    bool same = true;
    for (std::size_t k = 0; k < lower_word.size() && same; ++k) {
      char c = text[at + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      same = c == lower_word[k];
    }
    if (same) return at;
  }
  return std::string_view::npos;
}

}  // namespace

TEST_CASE("find_ignoring_case: a word in any case, at every offset of the scan", "[core][text]") {
  // Real nova wordings (nova/compute/manager.py, nova/virt/libvirt/driver.py).
  const std::string line =
      "2024-03-01 01:00:14.100 2002 ERROR nova.virt.libvirt.driver [instance: "
      "84635f0d-3c46-4131-b1b2-8016c7c05f4b] Live Migration failure: operation failed: "
      "job 'migration out' failed";
  CHECK(find_ignoring_case(line, "migrat") == line.find("Migration"));
  CHECK(find_ignoring_case(line, "migrat", line.find("Migration") + 1) ==
        line.find("migration out"));
  CHECK(find_ignoring_case(line, "migration out") == line.find("migration out"));
  CHECK(find_ignoring_case("MIGRATION_RUNNING", "migrat") == 0);
  CHECK(find_ignoring_case("live_migration", "_migrat") == 4);
  CHECK(find_ignoring_case("Triggering sync for uuid", "migrat") == std::string_view::npos);
  CHECK(find_ignoring_case("migra", "migrat") == std::string_view::npos);  // cut short
  CHECK(find_ignoring_case("", "migrat") == std::string_view::npos);
  CHECK(find_ignoring_case("abc", "migrat", 99) == std::string_view::npos);
  // Capitals of a non-letter are not folded: '@' is 0x40, '`' is 0x60.
  CHECK(find_ignoring_case("@x", "`x") == std::string_view::npos);
  // Bytes that fold onto the first letter only when it is a letter: 'M' ^ 0x20
  // is 'm', and every byte position of the eight-byte blocks is tried, also
  // with a near miss and high bytes just before the word.
  for (std::size_t pad = 0; pad < 20; ++pad) {
    for (const std::string word : {"Migrat", "mIGRAT", "migrat"}) {
      const std::string text = std::string(pad, 'm') + "\xc3\xa9mi " + word + "ion";
      INFO(text);
      CHECK(find_ignoring_case(text, "migrat") == find_slowly(text, "migrat", 0));
      CHECK(find_ignoring_case(text, "migrat") == pad + 5);  // after "\xc3\xa9mi "
    }
  }
}

TEST_CASE("looks_like_uuid: every byte value at every digit's place, against the plain "
          "definition",
          "[core][text]") {
  const auto plain = [](std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      const bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash_place ? c != '-' : !hex) return false;
    }
    return true;
  };
  const std::string base = "84635f0d-3c46-4131-b1b2-8016c7c05f4b";
  std::size_t accepted = 0;
  for (std::size_t at = 0; at < base.size(); ++at) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string s = base;
      s[at] = static_cast<char>(byte);
      CHECK(looks_like_uuid(s) == plain(s));
      accepted += plain(s) ? 1 : 0;
    }
  }
  CHECK(accepted == 32 * 22 + 4);  // 22 hex digits at each digit place, '-' at each dash place
}

TEST_CASE("looks_like_uuid: the canonical form only", "[core][text]") {
  CHECK(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05f4b"));
  CHECK(looks_like_uuid("84635F0D-3C46-4131-B1B2-8016C7C05F4B"));
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05f4"));    // short
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05f4g"));   // not hex
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c0-f4b"));   // a fifth dash
  CHECK_FALSE(looks_like_uuid("84635f0d 3c46-4131-b1b2-8016c7c05f4b"));   // a dash missing
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05f4b0"));  // runs on
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05f{b"));   // '{' | 0x20
  CHECK_FALSE(looks_like_uuid("84635f0d-3c46-4131-b1b2-8016c7c05fGb"));
}
