#include "migsleuth/rulepack/pattern.hpp"

#include <re2/re2.h>

#include <algorithm>

namespace migsleuth::rulepack {

std::optional<pattern> pattern::compile(std::vector<std::string> hints, const std::string& regex,
                                        diag& error) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<const RE2>(regex, opts);
  if (!re->ok()) {
    error.message = "invalid regex";
    error.reason = re->error() + (re->error_arg().empty() ? "" : " at '" + re->error_arg() + "'");
    error.help = "RE2 syntax: no lookaround or backreferences; named groups as (?P<name>...)";
    return std::nullopt;
  }
  pattern p;
  p.hints_ = std::move(hints);
  p.source_ = regex;
  p.names_.assign(static_cast<std::size_t>(re->NumberOfCapturingGroups()), std::string());
  for (const auto& [name, index] : re->NamedCapturingGroups()) {
    p.names_[static_cast<std::size_t>(index - 1)] = name;
  }
  p.re_ = std::move(re);
  return p;
}

bool pattern::candidate(std::string_view text) const noexcept {
  if (hints_.empty()) return true;
  return std::any_of(hints_.begin(), hints_.end(),
                     [&](const std::string& h) { return text.find(h) != std::string_view::npos; });
}

bool pattern::regex_matches(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool pattern::match(std::string_view text, fields* captures) const {
  return candidate(text) && match_regex(text, captures);
}

bool pattern::match_regex(std::string_view text, fields* captures) const {
  const re2::StringPiece input(text.data(), text.size());
  const bool want = captures != nullptr &&
                    std::any_of(names_.begin(), names_.end(),
                                [](const std::string& n) { return !n.empty(); });
  if (!want) return RE2::PartialMatch(input, *re_);
  // RE2 is fastest with no submatches; ask for groups only when a caller needs them.
  const int ngroups = static_cast<int>(names_.size()) + 1;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(ngroups));
  if (!re_->Match(input, 0, input.size(), RE2::UNANCHORED, groups.data(), ngroups)) return false;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const auto& g = groups[i + 1];
    if (names_[i].empty() || g.data() == nullptr) continue;
    captures->emplace_back(names_[i], std::string(g.data(), g.size()));
  }
  return true;
}

}  // namespace migsleuth::rulepack
