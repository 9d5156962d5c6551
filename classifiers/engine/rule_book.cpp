// rule_book: loading (embedded + directories), listing, sample tests and the
// classify() entry point. Only this file knows the public API's shape.
#include <algorithm>

#include "analyzers/registry.hpp"
#include "engine/arbiter.hpp"
#include "engine/cause_loader.hpp"
#include "engine/evaluate.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

namespace migsleuth::classifiers {
namespace {

constexpr std::string_view kCausesPrefix = "causes/";
constexpr std::string_view kCatalogPrefix = "catalog/";

// The exclusions (format strings deliberately left out, with why) serve
// `rules lint` and the coverage script, never a decoding: not parsed here.
// `trusted`: only the embedded catalog, which `rules lint`/`rules test` check
// in CI, so its regexes compile on first use (message_catalog::load).
std::shared_ptr<const rulepack::message_catalog> load_catalog(
    std::vector<rulepack::rule_source> sources, diags& errors, bool trusted) {
  std::erase_if(sources, [](const rulepack::rule_source& s) {
    return s.relative == "catalog/excluded.yaml";
  });
  return std::make_shared<const rulepack::message_catalog>(
      rulepack::message_catalog::load(sources, errors, trusted));
}

void add_rules(const std::vector<rulepack::rule_source>& sources, std::size_t trusted_count,
               const std::shared_ptr<const rulepack::message_catalog>& catalog,
               std::vector<std::shared_ptr<const cause_rule>>& rules, diags& errors) {
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& src = sources[i];
    auto rule = load_cause_rule(src, catalog, errors, i >= trusted_count);
    if (!rule) continue;
    auto dup = std::find_if(rules.begin(), rules.end(),
                            [&](const auto& r) { return r->id == rule->id; });
    if (dup != rules.end()) {
      errors.push_back({severity::error, "rule " + rule->id + ": duplicate rule id",
                        "already defined in " + (*dup)->file, src.path, 0, 0,
                        "ids are stable forever and unique across packs; pick a new one"});
      continue;
    }
    rules.push_back(std::make_shared<const cause_rule>(std::move(*rule)));
  }
  // Rule order never decides anything, but a sorted book lists the same every run.
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
}

}  // namespace

rule_book rule_book::load(const std::vector<std::string>& extra_dirs, diags& errors,
                          pack_checks checks) {
  std::vector<rulepack::rule_source> sources = rulepack::builtin_sources(kCausesPrefix);
  const bool trust = checks == pack_checks::trust_embedded;
  const std::size_t trusted_rules = trust ? sources.size() : 0;
  std::vector<rulepack::rule_source> catalog = rulepack::builtin_sources(kCatalogPrefix);
  for (const auto& dir : extra_dirs) {
    rulepack::append_dir_sources(dir, kCausesPrefix, sources, errors);
    // A pack may bring catalog entries of its own (its folder may have none).
    diags no_catalog;
    rulepack::append_dir_sources(dir, kCatalogPrefix, catalog, no_catalog);
  }
  rule_book book;
  // A pack's catalog entries change what every rule reads: all checked then.
  book.catalog_ = load_catalog(catalog, errors, trust && extra_dirs.empty());
  add_rules(sources, trusted_rules, book.catalog_, book.rules_, errors);
  return book;
}

rule_book rule_book::load_dir_only(const std::string& dir, diags& errors) {
  std::vector<rulepack::rule_source> sources;
  rulepack::append_dir_sources(dir, kCausesPrefix, sources, errors);
  // The pack's own catalog when it has one (`rules lint rules/`), else the
  // embedded one its catalog selections were written against. Its load
  // errors are reported by `rules lint` with the catalog's own checks.
  std::vector<rulepack::rule_source> catalog;
  diags no_catalog;
  rulepack::append_dir_sources(dir, kCatalogPrefix, catalog, no_catalog);
  if (catalog.empty()) catalog = rulepack::builtin_sources(kCatalogPrefix);
  diags catalog_errors;
  rule_book book;
  book.catalog_ = load_catalog(catalog, catalog_errors, false);
  add_rules(sources, 0, book.catalog_, book.rules_, errors);
  return book;
}

std::vector<rule_info> rule_book::list() const {
  std::vector<rule_info> out;
  out.reserve(rules_.size());
  for (const auto& r : rules_) {
    out.push_back({r->id, r->title, r->status, r->cls, r->priority, r->confidence, r->file});
  }
  return out;
}

diags rule_book::test_samples() const {
  // The loader already refuses rules whose samples fail; this re-runs them so
  // `rules test` and CI prove it on the book actually in use.
  diags failures;
  for (const auto& r : rules_) {
    for (const auto& s : r->match_samples) {
      if (!rule_fires_on(*r, s)) {
        failures.push_back({severity::error, "rule " + r->id + ": does not fire on a match sample",
                            s.line, r->file, s.yaml_line, s.yaml_column, {}});
      }
    }
    for (const auto& s : r->no_match_samples) {
      if (rule_fires_on(*r, s)) {
        failures.push_back({severity::error, "rule " + r->id + ": fires on a no-match sample",
                            s.line, r->file, s.yaml_line, s.yaml_column, {}});
      }
    }
  }
  return failures;
}

namespace {

// An `unknown` verdict quotes the most telling error line; when the catalog
// knows what that line says (a state such as "the destination QEMU exited",
// not a cause), the operator gets its meaning and the layers it was read in.
void describe_unknown(verdict& v, const incident& inc, std::span<const line_reading> readings) {
  const event* telling = most_telling_error(inc);
  if (telling == nullptr) return;
  const auto index = static_cast<std::size_t>(telling - inc.events.data());
  const auto& chain = readings[index].chain();
  if (chain.empty()) return;
  v.decoded = to_decoded(chain, match_subject(*telling));
  // The innermost layer that is not a mere wrapper says the most.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (it->entry->verdict == rulepack::catalog_verdict::wrapper) continue;
    if (!v.summary.empty() && v.summary.back() != '.') v.summary += '.';
    v.summary += " The message catalog reads it as: " + it->entry->meaning;
    if (it->entry->verdict == rulepack::catalog_verdict::classified) {
      // A cause without a rule in this binary's packs (declared new).
      v.summary += " (catalog cause " + it->entry->cause + ", which no loaded rule judges)";
    }
    break;
  }
}

// The rules (those reading lines and those deciding from the analyzers'
// facts alike), ranked by the arbiter; the primary rule's quoted facts are
// added afterwards, over the whole verdict.
verdict classify_causes(const std::vector<std::shared_ptr<const cause_rule>>& rules,
                        const rulepack::message_catalog* catalog, const incident& inc,
                        std::span<const input> inputs, const incident_analysis& analysis) {
  if (inc.result == outcome::succeeded) return arbitrate({}, inc);
  std::vector<finding> findings;
  std::vector<finding> fallbacks;
  const std::vector<line_reading> readings = read_lines(catalog, inc);
  for (const auto& r : rules) {
    if (r->status == "deprecated") continue;  // kept loadable for old ids, never decides
    if (auto f = evaluate_rule(*r, inc, inputs, readings, analysis.facts)) {
      (r->fallback ? fallbacks : findings).push_back(std::move(*f));
    }
  }
  // A fallback decides only when nothing else did; otherwise it is a
  // secondary of a verdict of another class (below): it never outranks a
  // line that names the failure.
  if (findings.empty()) findings.swap(fallbacks);
  verdict v = arbitrate(std::move(findings), inc);
  if (v.cls == classification::unknown) describe_unknown(v, inc, readings);
  const auto primary = std::find_if(rules.begin(), rules.end(),
                                    [&](const auto& r) { return r->id == v.cause; });
  if (primary != rules.end()) quote_facts(v, **primary, analysis.facts, credit_facts(rules));
  for (auto& f : fallbacks) {
    if (f.cls != v.cls) v.secondary.push_back(std::move(f));
  }
  return v;
}

}  // namespace

verdict rule_book::classify(const incident& inc, std::span<const input> inputs,
                            const fact_provider* provider) const {
  incident_analysis analysis = analyze_incident(inc, provider);
  verdict v = classify_causes(rules_, catalog_.get(), inc, inputs, analysis);
  // Notes (the device inventory) are reported whatever the outcome; only a
  // failure is judged.
  std::vector<std::string> notes;
  for (auto& out : analysis.outputs) {
    for (auto& n : out.notes) notes.push_back(std::move(n));
  }
  if (!notes.empty()) v.notes = std::move(notes);
  return v;
}

}  // namespace migsleuth::classifiers
