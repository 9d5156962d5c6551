// Looking a text up in the message catalog, peeling wrappers layer by layer,
// and the catalog's self-test (every example decodes through its own entry).
// The contract is documented in catalog.hpp and rules/README.md.
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "catalog_hints.hpp"
#include "migsleuth/rulepack/catalog.hpp"

namespace migsleuth::rulepack {
namespace {

// A decoder never needs more layers than nova -> exception -> libvirt ->
// libvirt prefix -> QEMU -> errno; the bound only guards a catalog mistake.
constexpr int kMaxLayers = 12;

struct candidate {
  std::size_t index = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// True when `a` is the better answer for the same text (see catalog.hpp).
bool better(const candidate& a, const candidate& b, const std::vector<catalog_entry>& entries) {
  if (a.begin != b.begin) return a.begin < b.begin;
  const catalog_entry& ea = entries[a.index];
  const catalog_entry& eb = entries[b.index];
  const bool wa = ea.verdict == catalog_verdict::wrapper;
  const bool wb = eb.verdict == catalog_verdict::wrapper;
  if (wa != wb) return !wa;
  if (ea.hint.size() != eb.hint.size()) return ea.hint.size() > eb.hint.size();
  return a.index < b.index;
}

std::string describe(const std::vector<catalog_match>& chain) {
  if (chain.empty()) return "(no entry)";
  std::string out;
  for (const auto& m : chain) {
    if (!out.empty()) out += " > ";
    out += m.entry->id;
  }
  return out;
}

}  // namespace

hint_index::hint_index(const std::vector<catalog_entry>& entries) {
  hints_.reserve(entries.size());
  for (const auto& e : entries) hints_.push_back(e.hint);
}

const re2::RE2::Set* hint_index::set() const {
  std::call_once(built_, [this] { build(); });
  return set_.get();
}

void hint_index::build() const {
  re2::RE2::Options opt;
  opt.set_log_errors(false);
  // Hints are plain bytes: Latin-1 keeps RE2 from decoding UTF-8 it need not.
  opt.set_encoding(re2::RE2::Options::EncodingLatin1);
  auto set = std::make_unique<re2::RE2::Set>(opt, re2::RE2::UNANCHORED);
  std::map<std::string, std::size_t> pattern_of;
  for (std::size_t i = 0; i < hints_.size(); ++i) {
    const std::string& hint = hints_[i];
    if (hint.empty()) continue;
    auto [it, fresh] = pattern_of.emplace(hint, users_.size());
    if (fresh) {
      if (set->Add(re2::RE2::QuoteMeta(hint), nullptr) < 0) return;
      users_.emplace_back();
    }
    users_[it->second].push_back(i);
  }
  if (set->Compile()) set_ = std::move(set);
}

std::vector<std::size_t> hint_index::candidates(std::string_view text) const {
  std::vector<std::size_t> out;
  const re2::RE2::Set* compiled = set();
  if (compiled == nullptr) {
    // The set could not be built (it never fails on literals; kept honest).
    for (std::size_t i = 0; i < hints_.size(); ++i) {
      if (!hints_[i].empty() && text.find(hints_[i]) != std::string_view::npos) out.push_back(i);
    }
    return out;
  }
  std::vector<int> hit;
  if (!compiled->Match(re2::StringPiece(text.data(), text.size()), &hit)) return out;
  for (int p : hit) {
    const auto& users = users_[static_cast<std::size_t>(p)];
    out.insert(out.end(), users.begin(), users.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool hint_index::any(std::string_view text) const {
  const re2::RE2::Set* compiled = set();
  if (compiled == nullptr) return !candidates(text).empty();
  return compiled->Match(re2::StringPiece(text.data(), text.size()), nullptr);
}

std::vector<std::string> capture_names(const catalog_entry& e) {
  std::vector<std::string> out;
  // Read from the source, not the compiled regex: asking every entry's names
  // (a rule's `catalog: decides` placeholders) must not compile them all.
  // RE2 names groups only as (?P<name>...).
  for (std::size_t at = e.regex.find("(?P<"); at != std::string::npos;
       at = e.regex.find("(?P<", at + 4)) {
    if (at > 0 && e.regex[at - 1] == '\\') continue;  // an escaped "\(" is a literal
    const std::size_t end = e.regex.find('>', at + 4);
    if (end == std::string::npos) break;
    std::string name = e.regex.substr(at + 4, end - at - 4);
    if (name != "inner" && std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(std::move(name));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool message_catalog::may_match(std::string_view text) const {
  return hints_ != nullptr && hints_->any(text);
}

std::vector<std::size_t> message_catalog::candidates(std::string_view text) const {
  if (hints_ == nullptr) return {};
  return hints_->candidates(text);
}

std::optional<catalog_match> message_catalog::lookup(std::string_view text) const {
  const re2::StringPiece input(text.data(), text.size());
  std::optional<candidate> best;
  for (const std::size_t i : candidates(text)) {
    const catalog_entry& e = entries_[i];
    const re2::RE2* re = e.re != nullptr ? e.re->get() : nullptr;
    if (re == nullptr) continue;
    re2::StringPiece whole;
    if (!re->Match(input, 0, input.size(), RE2::UNANCHORED, &whole, 1)) continue;
    const candidate c{i, static_cast<std::size_t>(whole.data() - text.data()),
                      static_cast<std::size_t>(whole.data() - text.data()) + whole.size()};
    if (!best || better(c, *best, entries_)) best = c;
  }
  if (!best) return std::nullopt;
  const catalog_entry& e = entries_[best->index];
  catalog_match m{&e, best->begin, best->end, {}, 0, 0};
  const re2::RE2& re = *e.re->get();
  const int inner_group = e.re->inner_group();
  const int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(ngroups));
  // Re-run anchored at the chosen start so captures belong to that match.
  re.Match(input, best->begin, input.size(), RE2::ANCHOR_START, groups.data(), ngroups);
  for (const auto& [name, index] : re.NamedCapturingGroups()) {
    const auto& g = groups[static_cast<std::size_t>(index)];
    if (g.data() == nullptr || g.empty()) continue;
    if (index == inner_group) {
      m.inner_begin = static_cast<std::size_t>(g.data() - text.data());
      m.inner_end = m.inner_begin + g.size();
    } else {
      m.captures.emplace_back(name, std::string(g.data(), g.size()));
    }
  }
  // NamedCapturingGroups is a map: captures come out in name order, which
  // keeps them deterministic whatever the group order in the regex.
  return m;
}

std::vector<catalog_match> message_catalog::decode(std::string_view text) const {
  std::vector<catalog_match> chain;
  // Each layer is looked up in a view of the one above: no copy of the line.
  std::string_view current = text;
  for (int depth = 0; depth < kMaxLayers; ++depth) {
    auto m = lookup(current);
    if (!m) break;
    const std::string_view next = m->inner_of(current);
    // A wrapper whose inner is the whole text again would loop forever.
    const bool progress = !next.empty() && next.size() < current.size();
    chain.push_back(std::move(*m));
    if (!progress) break;
    current = next;
  }
  return chain;
}

std::string_view message_catalog::layer_text(const std::vector<catalog_match>& chain,
                                             std::string_view text, std::size_t layer) noexcept {
  if (layer >= chain.size()) return {};
  std::string_view current = text;
  for (std::size_t i = 0; i < layer; ++i) current = chain[i].inner_of(current);
  return current;
}

const catalog_entry* message_catalog::decision(const std::vector<catalog_match>& chain) noexcept {
  // A benign layer says the whole message is seen when nothing failed (nova
  // reporting its own libvirt connection, whatever libvirt said inside it).
  for (const auto& m : chain) {
    if (m.entry->verdict == catalog_verdict::benign) return nullptr;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (it->entry->verdict == catalog_verdict::classified) return it->entry;
  }
  return nullptr;
}

diags message_catalog::test_examples() const {
  diags failures;
  for (const auto& e : entries_) {
    const auto chain = decode(e.example);
    const bool through = std::any_of(chain.begin(), chain.end(),
                                     [&](const catalog_match& m) { return m.entry == &e; });
    if (!through) {
      // Name the entry that took the text at the layer where this one was due.
      failures.push_back({severity::error,
                          "catalog entry " + e.id + ": its example is taken by another entry",
                          "decoded as " + describe(chain), e.yaml_file, e.yaml_line, e.yaml_column,
                          "make the other entry's regex stricter, or this one's hint longer (more specific)"});
      continue;
    }
    if (e.verdict != catalog_verdict::classified) continue;
    const catalog_entry* decided = decision(chain);
    if (decided != nullptr && decided->cls != e.cls) {
      failures.push_back({severity::error,
                          "catalog entry " + e.id + ": its example is decided as " +
                              std::string(to_string(decided->cls)) + ", not " +
                              std::string(to_string(e.cls)),
                          "decoded as " + describe(chain) + "; decided by " + decided->id,
                          e.yaml_file, e.yaml_line, e.yaml_column,
                          "an inner entry with another class conflicts with this one"});
    }
  }
  return failures;
}

}  // namespace migsleuth::rulepack
