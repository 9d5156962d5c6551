#include "engine/cause_rule.hpp"

namespace migsleuth::classifiers {

bool parse_host_role(std::string_view name, host_role& out) noexcept {
  if (name == "any") {
    out = host_role::any;
  } else if (name == "source") {
    out = host_role::source;
  } else if (name == "destination") {
    out = host_role::destination;
  } else {
    return false;
  }
  return true;
}

host_role role_of(const incident& inc, std::string_view host) noexcept {
  if (host.empty()) return host_role::any;
  if (!inc.source.empty() && host == inc.source) return host_role::source;
  if (!inc.destination.empty() && host == inc.destination) return host_role::destination;
  // One role known and this host is not it: it must be the other one.
  if (!inc.source.empty() && inc.destination.empty()) return host_role::destination;
  if (!inc.destination.empty() && inc.source.empty()) return host_role::source;
  return host_role::any;
}

bool selection_matches(const selection& sel, input_kind kind, host_role role,
                       std::string_view text, fields* captures) {
  if (kind != sel.source) return false;
  // An unattributed line is given the benefit of the doubt: the selection's
  // text is specific enough that the role is a refinement, not the test.
  if (sel.role != host_role::any && role != host_role::any && role != sel.role) return false;
  return sel.pat.match(text, captures);
}

bool rule_fires_on(const cause_rule& rule, const rule_sample& sample) {
  std::vector<bool> hits(rule.selections.size(), false);
  for (std::size_t i = 0; i < rule.selections.size(); ++i) {
    hits[i] = selection_matches(rule.selections[i], sample.source, sample.role, sample.line);
  }
  return rule.cond.eval(hits);
}

}  // namespace migsleuth::classifiers
