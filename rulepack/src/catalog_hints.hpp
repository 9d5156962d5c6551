// The catalog's literal prefilter: every distinct entry hint compiled into one
// RE2::Set, so finding which entries could match a line is one pass over it
// (268 hints: one DFA scan instead of 268 substring searches per layer).
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/rulepack/catalog.hpp"

namespace migsleuth::rulepack {

class hint_index {
 public:
  explicit hint_index(const std::vector<catalog_entry>& entries);

  // Indexes into `entries` (ascending) whose hint occurs in `text`.
  [[nodiscard]] std::vector<std::size_t> candidates(std::string_view text) const;
  [[nodiscard]] bool any(std::string_view text) const;

 private:
  std::unique_ptr<re2::RE2::Set> set_;          // nullptr: compile failed, scan instead
  std::vector<std::vector<std::size_t>> users_;  // per set pattern: the entries with that hint
  std::vector<std::string> hints_;               // per entry, for the scan fallback
};

}  // namespace migsleuth::rulepack
