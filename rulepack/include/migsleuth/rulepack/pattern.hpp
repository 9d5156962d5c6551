// A pattern is the cheap-test-first pair every shape and cause selection uses:
// literal hints (substrings; any one must occur) checked with string_view::find,
// then one RE2 with named captures, run only on candidate lines.
//
// Invariant checked when rules load: every sample the regex matches contains
// one of the hints, so the prefilter can give false positives, never false
// negatives. RE2 objects are compiled once and shared read-only.
//
//   auto p = pattern::compile({"Connection refused"}, R"(at '(?P<dest>[^':]+):(?P<port>\d+)')", err);
//   fields caps; if (p->match(line, &caps)) ...
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/core/event.hpp"

namespace re2 {
class RE2;
}

namespace migsleuth::rulepack {

class pattern {
 public:
  // On a bad regex returns nullopt with the RE2 error in `error.reason`.
  static std::optional<pattern> compile(std::vector<std::string> hints, const std::string& regex,
                                        diag& error);

  // True when one of the hints occurs in `text` (always true with no hints).
  [[nodiscard]] bool candidate(std::string_view text) const noexcept;
  // Prefilter, then regex; fills named captures (non-empty ones) when asked.
  bool match(std::string_view text, fields* captures = nullptr) const;
  // The regex alone, no prefilter (used to check the prefilter invariant).
  [[nodiscard]] bool regex_matches(std::string_view text) const;
  // match() without the hint test, for callers that ran the hints of many
  // patterns in one pass already (the shapes' per-kind prefilter).
  bool match_regex(std::string_view text, fields* captures = nullptr) const;

  [[nodiscard]] const std::vector<std::string>& hints() const noexcept { return hints_; }
  [[nodiscard]] const std::vector<std::string>& capture_names() const noexcept { return names_; }
  [[nodiscard]] const std::string& regex() const noexcept { return source_; }

 private:
  std::vector<std::string> hints_;
  std::string source_;
  std::shared_ptr<const re2::RE2> re_;
  std::vector<std::string> names_;  // by group index - 1; "" for unnamed groups
};

}  // namespace migsleuth::rulepack
