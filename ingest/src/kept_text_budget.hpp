// What one file may keep of the lines about one instance: a budget of kept
// text, so that memory follows what a report can show, not how many long
// lines a log repeats (issue 20: a log of 1 MiB ERROR lines about one
// migrating instance kept 16 KiB a line, line and message, for every line).
//
// Every resident event of a file is charged, in the file's line order, to its
// instance (lines naming none share one account). Once an instance's account
// has passed kKeptTextBudgetBytes, its later lines keep only a
// kBudgetPrefixBytes prefix of their line (header, identity and the start of
// the message: what the rules read of a failure line) and half that of their
// message and values, each with the line-cut marker and the whole length,
// and the event says so
// (event::text_budget_cut). The input gets one warning per instance cut.
// Real incidents keep well under the budget: their lines are a few hundred
// bytes, and an attempt holds hundreds of them at most.
//
// A range of a split log (split_file) is charged twice: by a budget of its
// own as it is read, then by the file's as it is merged. A line the range's
// budget cuts, the file's would cut too (the file has spent at least what
// the range has before it), so a range of many long lines is not held whole
// until its turn to merge, and the file's budget, which alone warns, counts
// it as it does its own cuts.
//
// What it does not do: choose which lines are kept (every line still is, in
// the timeline), or look at lines left on disk (deferred_events): those are
// read back only for migrating instances, and never all at once per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth::ingest {

class kept_text_budget {
 public:
  explicit kept_text_budget(std::size_t budget_bytes = kKeptTextBudgetBytes)
      : budget_(budget_bytes) {}

  // Charges `ev` to its instance; cuts it when that instance's text is spent.
  void keep(event& ev);

  // One warning per instance whose lines were cut, in order of first cut.
  [[nodiscard]] std::vector<std::string> warnings() const;

 private:
  struct account {
    std::string instance;
    std::size_t spent = 0;
    std::uint64_t cut = 0;
  };
  std::size_t budget_;
  std::unordered_map<std::string, std::size_t> index_;  // instance -> accounts_
  std::vector<account> accounts_;
  std::vector<std::size_t> cut_order_;  // accounts_ indexes, first cut first
};

}  // namespace migsleuth::ingest
