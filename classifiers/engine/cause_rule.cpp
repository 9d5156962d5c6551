#include "engine/cause_rule.hpp"

#include <algorithm>

namespace migsleuth::classifiers {
namespace {

bool names_entry(const std::vector<std::string>& wanted, std::string_view id) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return entry_named(w, id); });
}

// Which layer of `chain` the selection takes, or chain.size() for none.
std::size_t matching_layer(const selection& sel, const std::vector<rulepack::catalog_match>& chain) {
  if (sel.mode == selection_mode::catalog_decides) {
    const rulepack::catalog_entry* decided = rulepack::message_catalog::decision(chain);
    if (decided == nullptr || decided->cause != sel.cause) return chain.size();
    for (std::size_t i = chain.size(); i-- > 0;) {
      if (chain[i].entry == decided) return i;
    }
    return chain.size();
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    // Wrapped: some layer above this one carried it inside its own error.
    if (sel.wrapped && i == 0) continue;
    if (names_entry(sel.entries, chain[i].entry->id)) return i;
  }
  return chain.size();
}

}  // namespace

bool is_log_kind(input_kind k) noexcept {
  return k == input_kind::nova_compute || k == input_kind::libvirtd || k == input_kind::qemu_domain;
}

bool entry_named(std::string_view wanted, std::string_view id) noexcept {
  if (!wanted.empty() && wanted.back() == '*') {
    return id.substr(0, wanted.size() - 1) == wanted.substr(0, wanted.size() - 1);
  }
  return id == wanted;
}

const std::vector<rulepack::catalog_match>& line_reading::chain() const {
  if (!decoded_ && catalog_ != nullptr && catalog_->may_match(text_)) chain_ = catalog_->decode(text_);
  decoded_ = true;
  return chain_;
}

std::vector<decoded_layer> to_decoded(const std::vector<rulepack::catalog_match>& chain,
                                      std::string_view text) {
  std::vector<decoded_layer> out;
  std::string_view current = text;
  for (const auto& m : chain) {
    decoded_layer d;
    d.layer = std::string(rulepack::to_string(m.entry->layer));
    d.entry = m.entry->id;
    d.verdict = std::string(rulepack::to_string(m.entry->verdict));
    const std::size_t begin = std::min(m.begin, current.size());
    const std::size_t end = std::clamp(m.end, begin, current.size());
    d.text = std::string(current.substr(begin, std::min(end - begin, kMaxDecodedText)));
    out.push_back(std::move(d));
    // The next layer's offsets are into this layer's inner text.
    if (m.has_inner()) current = m.inner_of(current);
  }
  return out;
}

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

bool selection_reads(const selection& sel, input_kind kind) noexcept {
  if (sel.mode == selection_mode::regex) return kind == sel.source;
  if (sel.kinds.empty()) return is_log_kind(kind);
  return std::find(sel.kinds.begin(), sel.kinds.end(), kind) != sel.kinds.end();
}

namespace {

// A capture the regex left empty (or out) takes the selection's default.
void apply_defaults(const selection& sel, std::size_t first, fields& captures) {
  for (const auto& def : sel.defaults) {
    auto it = std::find_if(captures.begin() + static_cast<std::ptrdiff_t>(first), captures.end(),
                           [&def](const auto& c) { return c.first == def.first; });
    if (it == captures.end()) {
      captures.emplace_back(def.first, def.second);
    } else if (it->second.empty()) {
      it->second = def.second;
    }
  }
}

}  // namespace

bool selection_matches(const selection& sel, const line_view& line, fields* captures) {
  if (!selection_reads(sel, line.kind)) return false;
  // An unattributed line is given the benefit of the doubt: the selection's
  // text is specific enough that the role is a refinement, not the test.
  if (sel.role != host_role::any && line.role != host_role::any && line.role != sel.role) {
    return false;
  }
  if (sel.mode == selection_mode::regex) {
    const std::size_t first = captures == nullptr ? 0 : captures->size();
    if (!sel.pat.match(line.text, captures)) return false;
    if (captures != nullptr) apply_defaults(sel, first, *captures);
    return true;
  }
  if (line.reading == nullptr) return false;
  // What the line is about, which the catalog cannot say ("Permission denied"
  // on a disk path, not on an ssh key), checked on the same line.
  if (sel.also_regex && !sel.pat.match(line.text)) return false;
  const auto& chain = line.reading->chain();
  const std::size_t at = matching_layer(sel, chain);
  if (at == chain.size()) return false;
  if (captures == nullptr) return true;
  const std::size_t first = captures->size();
  if (sel.also_regex) (void)sel.pat.match(line.text, captures);
  auto bound = [&](const std::string& name) {
    return std::any_of(captures->begin() + static_cast<std::ptrdiff_t>(first), captures->end(),
                       [&](const auto& c) { return c.first == name; });
  };
  // Innermost first: the most specific layer's value wins a shared name.
  for (std::size_t i = chain.size(); i-- > 0;) {
    for (const auto& kv : chain[i].captures) {
      if (!bound(kv.first)) captures->push_back(kv);
    }
  }
  for (const auto& [name, from] : sel.binds) {
    if (bound(name)) continue;
    if (from == "text") {
      // The layer's offsets are into the text it was looked up in: the line,
      // or the inner capture of the layer above.
      const std::string_view layer_text =
          rulepack::message_catalog::layer_text(chain, line.text, at);
      const auto& m = chain[at];
      if (m.end <= layer_text.size() && m.begin <= m.end) {
        std::string_view text = layer_text.substr(m.begin, m.end - m.begin);
        // A message's own full stop would double the template's.
        while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.remove_suffix(1);
        captures->emplace_back(name, std::string(text));
      }
      continue;
    }
    for (std::size_t i = first; i < captures->size(); ++i) {
      if ((*captures)[i].first == from) {
        captures->emplace_back(name, (*captures)[i].second);
        break;
      }
    }
  }
  return true;
}

bool rule_fires_on(const cause_rule& rule, const rule_sample& sample) {
  std::vector<bool> hits(rule.selections.size(), false);
  const line_reading reading(rule.catalog.get(), sample.line);
  const line_view line{sample.source, sample.role, sample.line, &reading};
  for (std::size_t i = 0; i < rule.selections.size(); ++i) {
    hits[i] = selection_matches(rule.selections[i], line);
  }
  return rule.cond.eval(hits);
}

}  // namespace migsleuth::classifiers
