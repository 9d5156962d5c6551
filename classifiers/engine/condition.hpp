// The Sigma condition subset cause rules use to combine their selections:
// names, `and`, `or`, `not`, parentheses, `1 of x_*`, `all of x_*`, `them`.
//
//   condition c;
//   if (!parse_condition("refused and not 1 of ok_*", {"refused", "ok_a"}, c, why)) ...
//   bool fired = c.eval(hits);   // hits[i]: selection i matched some event
//
// What it does not do: look at events. It only combines per-selection booleans,
// so the same parsed condition serves incidents and single-line samples.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::classifiers {

class condition {
 public:
  [[nodiscard]] bool eval(const std::vector<bool>& hits) const;
  // Per selection: does it appear un-negated (it can make the rule fire) or
  // only under `not` (it can only stop the rule)? Evidence comes from the former.
  [[nodiscard]] const std::vector<bool>& positive() const noexcept { return positive_; }
  [[nodiscard]] const std::vector<bool>& negative() const noexcept { return negative_; }

 private:
  friend class condition_parser;
  enum class op : std::uint8_t { selection, negate, all, any };
  struct node {
    op kind = op::selection;
    std::size_t selection = 0;         // for op::selection
    std::vector<std::size_t> children;  // node indices for negate/all/any
  };
  [[nodiscard]] bool eval_node(std::size_t index, const std::vector<bool>& hits) const;
  void mark(std::size_t index, bool negated);

  std::vector<node> nodes_;
  std::size_t root_ = 0;
  std::vector<bool> positive_;
  std::vector<bool> negative_;
};

// Parses `text` over the selection `names` (index = selection index). On
// failure returns false and says why (unknown name, syntax, empty glob).
bool parse_condition(std::string_view text, const std::vector<std::string>& names,
                     condition& out, std::string& why);

}  // namespace migsleuth::classifiers
