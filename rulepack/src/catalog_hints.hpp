// The catalog's literal prefilter: every distinct entry hint compiled into one
// RE2::Set, so finding which entries could match a line is one pass over it
// (268 hints: one DFA scan instead of 268 substring searches per layer).
// The set is compiled on the first question, not at load: a run whose lines
// never reach the catalog (most of the test suite's) does not pay its 30 M
// instructions. Thread-safe (std::call_once).
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <mutex>
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
  void build() const;
  const re2::RE2::Set* set() const;

  std::vector<std::string> hints_;  // per entry: what the set is built from, and the scan fallback
  mutable std::once_flag built_;
  mutable std::unique_ptr<re2::RE2::Set> set_;          // nullptr: compile failed, scan instead
  mutable std::vector<std::vector<std::size_t>> users_;  // per set pattern: the entries with that hint
};

}  // namespace migsleuth::rulepack
