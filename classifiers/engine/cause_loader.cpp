#include "engine/cause_loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "engine/readonly.hpp"
#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/classifiers/facts.hpp"
#include "migsleuth/rulepack/strict_yaml.hpp"

namespace migsleuth::classifiers {
namespace {

using rulepack::strict_map;
using rulepack::yaml_diag;

constexpr double kMaxInferredConfidence = 0.6;
constexpr std::string_view kStatuses[] = {"experimental", "test", "stable", "deprecated"};

bool is_selection_name(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) != 0 || s[0] == '_')) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

class loader {
 public:
  loader(const rulepack::rule_source& src,
         std::shared_ptr<const rulepack::message_catalog> catalog, diags& errors,
         bool run_samples)
      : src_(src),
        errors_(errors),
        first_error_(errors.size()),
        run_samples_(run_samples),
        facts_(src.path, errors) {
    rule_.catalog = std::move(catalog);
  }

  std::optional<cause_rule> run() {
    const rulepack::yaml_node root = rulepack::parse_yaml(src_, errors_);
    if (errors_.size() > first_error_) return std::nullopt;
    strict_map m(root, src_.path, errors_);
    if (!m.ok()) return std::nullopt;
    m.reject_unknown({"id", "title", "status", "classification", "priority", "confidence",
                      "description", "references", "requires", "match", "condition", "summary",
                      "confirm", "remediation", "falsepositives", "samples", "inferred",
                      "quotes", "cites", "fallback"});
    for (auto key : {"title", "status", "classification", "description", "summary"}) {
      m.require(key);
    }
    // A rule without `match` decides from facts alone (README "Facts"):
    // nothing for a condition or line samples to test.
    if (m.has("match")) {
      m.require("condition");
      m.require("samples");
    }
    rule_.file = src_.path;
    rule_.id = m.required_string("id");
    check_id(m);
    rule_.title = m.optional_string("title").value_or("");
    rule_.description = m.optional_string("description").value_or("");
    header(m);
    inferred(m);
    rule_.references = m.string_list("references");
    rule_.falsepositives = m.string_list("falsepositives");
    rule_.remediation = facts_.texts(m.get("remediation"), "remediation");
    requirements(m.get("requires"));
    rule_.quotes = facts_.names(m.get("quotes"), "quotes", true);
    rule_.cites = facts_.names(m.get("cites"), "cites", false);
    fallback(m);
    if (m.has("match")) {
      selections(m.get("match"));
    } else {
      facts_only(m);  // a rule deciding from facts
    }
    condition_of(m);
    templates(m);
    if (m.has("samples")) samples(m.get("samples"));
    if (run_samples_ && errors_.size() == first_error_) check_samples();
    prefix_errors();
    if (errors_.size() > first_error_) return std::nullopt;
    return std::move(rule_);
  }

 private:
  void error(const rulepack::yaml_node& at, std::string message, std::string help = {}) {
    errors_.push_back(yaml_diag(at, src_.path, std::move(message), std::move(help)));
  }

  void error_at(int line, int column, std::string message, std::string help = {}) {
    errors_.push_back({severity::error, std::move(message), {}, src_.path, line, column,
                       std::move(help)});
  }

  void check_id(strict_map& m) {
    if (rule_.id.empty()) return;
    const std::filesystem::path rel(src_.relative.empty() ? src_.path : src_.relative);
    const std::string stem = rel.stem().string();
    const std::size_t dot = rule_.id.find('.');
    const std::string suffix = dot == std::string::npos ? "" : rule_.id.substr(dot + 1);
    if (suffix != stem) {
      error(m.get("id"), "id '" + rule_.id + "' does not match the file name '" + stem + ".yaml'",
            "name the file after the part of the id after the class prefix: " +
                (dot == std::string::npos ? std::string("<class>.") + stem : rule_.id.substr(0, dot + 1) + stem));
    }
  }

  void header(strict_map& m) {
    if (auto status = m.optional_string("status");
        status && std::find(std::begin(kStatuses), std::end(kStatuses), *status) ==
                      std::end(kStatuses)) {
      error(m.get("status"), "unknown status '" + *status + "'",
            "one of: experimental, test, stable, deprecated");
    } else if (status) {
      rule_.status = *status;
    }
    if (auto cls = m.optional_string("classification")) {
      if (!parse_classification(*cls, rule_.cls) || rule_.cls == classification::unknown) {
        error(m.get("classification"), "unknown classification '" + *cls + "'",
              "one of: cpu_incompatibility, non_convergence, device_passthrough, storage, "
              "network, capacity");
      } else if (const std::size_t dot = rule_.id.find('.');
                 !rule_.id.empty() && rule_.id.substr(0, dot) != *cls) {
        error(m.get("id"), "id '" + rule_.id + "' must start with its classification '" + *cls + ".'");
      } else if (const std::filesystem::path rel(src_.relative);
                 rel.has_parent_path() && rel.parent_path().filename() != *cls &&
                 rel.parent_path().filename() != "causes") {
        error(m.get("classification"), "classification '" + *cls + "' but the file is in folder '" +
                                           rel.parent_path().filename().string() + "'");
      }
    }
    if (auto p = m.optional_number("priority")) {
      if (*p != std::floor(*p) || std::fabs(*p) > 1e6) {
        error(m.get("priority"), "priority must be a whole number");
      } else {
        rule_.priority = static_cast<int>(*p);
      }
    }
    rule_.confidence_by_facts = facts_.confidence(m.get("confidence"));
    rule_.confidence = rule_.confidence_by_facts.value;
  }

  // `fallback: true`: decides only when no other rule fired.
  void fallback(strict_map& m) {
    if (!m.has("fallback")) return;
    const rulepack::yaml_node node = m.get("fallback");
    if (!node.IsScalar() || (node.Scalar() != "true" && node.Scalar() != "false")) {
      error(node, "fallback must be true or false");
      return;
    }
    rule_.fallback = node.Scalar() == "true";
  }

  // A rule without `match` decides from its required facts: it must have
  // some, and has no condition or samples (the sample bundles test it).
  void facts_only(strict_map& m) {
    if (rule_.requires_facts.empty()) {
      error(m.has("requires") ? m.get("requires") : m.node(),
            "a rule without 'match' decides from facts: it needs requires: {facts: [...]}",
            "name the facts that must hold, e.g. requires: {facts: [devices.passthrough]}");
    }
    for (auto key : {"condition", "samples"}) {
      if (m.has(key)) {
        error(m.get(key), std::string("'") + key + "' without 'match': nothing to test it on",
              "a rule deciding from facts is tested by the sample bundles (golden.coverage)");
      }
    }
  }

  // A mechanism fallback says less than a message naming the cause: its
  // confidence must show it, so it never outranks such a rule on a tie.
  void inferred(strict_map& m) {
    if (!m.has("inferred")) return;
    const rulepack::yaml_node node = m.get("inferred");
    if (!node.IsScalar() || (node.Scalar() != "true" && node.Scalar() != "false")) {
      error(node, "inferred must be true or false");
      return;
    }
    rule_.inferred = node.Scalar() == "true";
    const std::string_view suffix = "-inferred";
    const bool named = rule_.id.size() > suffix.size() &&
                       rule_.id.compare(rule_.id.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (rule_.inferred != named) {
      error(node, "an inferred rule's id ends in '-inferred', and only an inferred rule's does",
            "reports, scans and tests tell a mechanism fallback by its id");
    }
    double highest = rule_.confidence;
    for (const auto& w : rule_.confidence_by_facts.when) highest = std::max(highest, w.second);
    if (rule_.inferred && highest > kMaxInferredConfidence) {
      error(node, "an inferred rule's confidence must be at most 0.6",
            "a class read from the mechanism (errno, device type) is weaker than a message that "
            "names the cause");
    }
  }

  std::vector<input_kind> kinds(const rulepack::yaml_node& list, std::string_view key) {
    std::vector<input_kind> out;
    if (!list.IsSequence()) {
      error(list, "'" + std::string(key) + "' must be a list of input kinds");
      return out;
    }
    for (const auto& item : list) {
      input_kind k{};
      if (!item.IsScalar() || !parse_input_kind(item.Scalar(), k)) {
        error(item, "unknown input kind '" + (item.IsScalar() ? item.Scalar() : "?") + "'",
              "one of: nova-compute, qemu-domain, domjobinfo, cpu-info, server-show, "
              "migration-list, port-show, virsh-list, libvirtd");
        continue;
      }
      out.push_back(k);
    }
    return out;
  }

  void requirements(const rulepack::yaml_node& node) {
    if (!node.IsDefined() || node.IsNull()) return;
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"any-of", "all-of", "optional", "facts"});
    if (m.has("facts")) rule_.requires_facts = facts_.conditions(m.get("facts"), "requires.facts");
    if (m.has("any-of")) rule_.requires_any = kinds(m.get("any-of"), "any-of");
    if (m.has("all-of")) rule_.requires_all = kinds(m.get("all-of"), "all-of");
    if (m.has("optional")) kinds(m.get("optional"), "optional");
  }

  void selections(const rulepack::yaml_node& node) {
    if (!node.IsDefined()) return;
    strict_map m(node, src_.path, errors_);  // reports duplicate selection names
    if (!m.ok()) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      const bool seen = std::any_of(rule_.selections.begin(), rule_.selections.end(),
                                    [&](const selection& s) { return s.name == name; });
      if (name.empty() || seen) continue;
      if (!is_selection_name(name)) {
        error(it->first, "selection name '" + name + "' is not an identifier",
              "letters, digits and '_' only, so conditions can name it");
        continue;
      }
      one_selection(name, it->second);
    }
    if (rule_.selections.empty() && errors_.size() == first_error_) {
      error(node, "'match' has no selections");
    }
  }

  void one_selection(const std::string& name, const rulepack::yaml_node& node) {
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    if (m.has("catalog")) {
      catalog_selection(name, m);
      return;
    }
    m.reject_unknown({"source", "host", "hint", "regex", "defaults"});
    selection sel;
    sel.name = name;
    const std::string source = m.required_string("source");
    if (!source.empty() && !parse_input_kind(source, sel.source)) {
      error(m.get("source"), "unknown input kind '" + source + "' in selection '" + name + "'",
            "one of: nova-compute, qemu-domain, domjobinfo, cpu-info, server-show, "
            "migration-list, port-show, virsh-list, libvirtd");
    }
    if (auto host = m.optional_string("host"); host && !parse_host_role(*host, sel.role)) {
      error(m.get("host"), "host must be source, destination or any");
    }
    m.require("hint");
    std::vector<std::string> hints = m.string_list("hint");
    if (m.has("hint") && (hints.empty() || std::any_of(hints.begin(), hints.end(),
                                                       [](const auto& h) { return h.empty(); }))) {
      error(m.get("hint"), "hint must be one or more non-empty literal substrings");
    }
    const std::string regex = m.required_string("regex");
    if (!m.ok()) return;
    diag bad;
    auto pat = rulepack::pattern::compile(std::move(hints), regex, bad);
    if (!pat) {
      const bool perl_group = regex.find("(?<") != std::string::npos;
      diag d = yaml_diag(m.get("regex"), src_.path, "regex of selection '" + name + "' does not compile",
                         perl_group ? "RE2 in Debian bookworm (2022-06-01) accepts only (?P<name>...)"
                                    : bad.help);
      d.reason = bad.reason;
      broken_selection_ = true;
      errors_.push_back(std::move(d));
      return;
    }
    sel.pat = std::move(*pat);
    for (const auto& cap : sel.pat.capture_names()) {
      if (!cap.empty() && is_builtin_placeholder(cap)) {
        error(m.get("regex"), "capture '" + cap + "' shadows the built-in placeholder {" + cap + "}",
              "rename the group, e.g. (?P<" + cap + "_seen>...)");
      } else if (cap.starts_with("fact__")) {
        error(m.get("regex"), "capture '" + cap + "' could be taken for a {fact.<name>} placeholder",
              "rename the group");
      }
    }
    sel.captures = sel.pat.capture_names();
    if (m.has("defaults")) capture_defaults(sel, m.get("defaults"));
    regex_nodes_.push_back(m.get("regex"));
    rule_.selections.push_back(std::move(sel));
  }

  // `catalog: decides` or `catalog: [entry ids or prefixes*]` (rules/README.md
  // "Catalog selections"): the catalog entries carry the hints and regexes.
  void catalog_selection(const std::string& name, strict_map& m) {
    m.reject_unknown({"catalog", "source", "host", "wrapped", "bind", "regex"});
    selection sel;
    sel.name = name;
    if (m.has("source")) sel.kinds = kinds(m.get("source"), "source");
    if (auto host = m.optional_string("host"); host && !parse_host_role(*host, sel.role)) {
      error(m.get("host"), "host must be source, destination or any");
    }
    if (m.has("wrapped")) {
      const rulepack::yaml_node w = m.get("wrapped");
      if (!w.IsScalar() || (w.Scalar() != "true" && w.Scalar() != "false")) {
        error(w, "wrapped must be true or false");
      }
      sel.wrapped = w.IsScalar() && w.Scalar() == "true";
    }
    const rulepack::yaml_node what = m.get("catalog");
    if (what.IsScalar() && what.Scalar() == "decides") {
      sel.mode = selection_mode::catalog_decides;
      sel.cause = rule_.id;
      if (sel.wrapped) error(m.get("wrapped"), "'wrapped' applies to a list of entries, not to 'decides'");
    } else {
      sel.mode = selection_mode::catalog_entries;
      sel.entries = m.string_list("catalog");
      if (sel.entries.empty()) {
        error(what, "catalog must be 'decides' or a list of catalog entry ids",
              "e.g. catalog: [kernel-os.errno.econnrefused, 'kernel-os.errno.*']");
      }
    }
    if (rule_.catalog == nullptr) {
      error(what, "selection '" + name + "' reads the message catalog, but none was loaded");
    } else {
      catalog_captures(sel, what);
    }
    if (m.has("bind")) catalog_binds(sel, m.get("bind"));
    if (m.has("regex")) {
      diag bad;
      auto pat = rulepack::pattern::compile({}, m.required_string("regex"), bad);
      if (!pat) {
        diag d = yaml_diag(m.get("regex"), src_.path, "regex of selection '" + name + "' does not compile",
                           bad.help);
        d.reason = bad.reason;
        errors_.push_back(std::move(d));
      } else {
        sel.pat = std::move(*pat);
        sel.also_regex = true;
        for (const auto& c : sel.pat.capture_names()) {
          if (!c.empty()) sel.captures.push_back(c);
        }
      }
    }
    rule_.selections.push_back(std::move(sel));
    regex_nodes_.push_back(what);
  }

  // `defaults: {capture: value}`: what a wording implies but does not write.
  // Only the regex's own optional captures may have one, and the value must be
  // fit for a command (it fills confirm commands like any capture).
  void capture_defaults(selection& sel, const rulepack::yaml_node& node) {
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      const std::string value = it->second.IsScalar() ? it->second.Scalar() : "";
      if (std::find(sel.captures.begin(), sel.captures.end(), name) == sel.captures.end()) {
        error(it->first, "defaults: '" + name + "' is not a capture of the selection's regex",
              "a default fills an optional (?P<name>...) group the wording may leave out");
        continue;
      }
      if (value.empty() || !command_safe_value(name, value)) {
        error(it->second, "defaults: the value of '" + name + "' is empty or not fit for a command",
              "a literal such as '16509'");
        continue;
      }
      sel.defaults.emplace_back(name, value);
    }
  }

  // `bind: {placeholder: text | <entry capture>}`.
  void catalog_binds(selection& sel, const rulepack::yaml_node& node) {
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      const std::string from = it->second.IsScalar() ? it->second.Scalar() : "";
      if (!is_selection_name(name) || is_builtin_placeholder(name)) {
        error(it->first, "bind: '" + name + "' is not a placeholder name a rule may set",
              "an identifier that is not a built-in (instance, domain, source, ...)");
        continue;
      }
      const bool known = from == "text" || std::find(sel.captures.begin(), sel.captures.end(),
                                                     from) != sel.captures.end();
      if (!known) {
        error(it->second, "bind: '" + from + "' is neither 'text' nor a capture of the entries",
              "'text' is what the deciding entry matched");
        continue;
      }
      sel.binds.emplace_back(name, from);
    }
    for (const auto& b : sel.binds) {
      if (std::find(sel.captures.begin(), sel.captures.end(), b.first) == sel.captures.end()) {
        sel.captures.push_back(b.first);
      }
    }
  }

  // Checks the named entries exist and gathers what they can capture.
  void catalog_captures(selection& sel, const rulepack::yaml_node& at) {
    const auto& catalog = *rule_.catalog;
    const auto& entries = catalog.entries();
    auto take = [&](const std::vector<std::string>& names) {
      for (const auto& c : names) {
        if (std::find(sel.captures.begin(), sel.captures.end(), c) == sel.captures.end()) {
          sel.captures.push_back(c);
        }
      }
    };
    if (sel.mode == selection_mode::catalog_decides) {
      // Every layer of a decided chain may bind: take all entries' names.
      take(catalog.capture_names_of_all());
      return;
    }
    for (const auto& w : sel.entries) {
      bool found = false;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!entry_named(w, entries[i].id)) continue;
        found = true;
        take(catalog.capture_names_of(i));
      }
      if (!found) error(at, "no catalog entry is named '" + w + "'", "migsleuth rules list --catalog");
    }
    // Outer layers of a matched chain may bind too (a wrapper's captures).
    take(catalog.capture_names_of_wrappers());
  }

  void condition_of(strict_map& m) {
    auto text = m.optional_string("condition");
    if (!text || rule_.selections.empty()) return;
    rule_.condition_text = *text;
    std::vector<std::string> names;
    for (const auto& s : rule_.selections) names.push_back(s.name);
    std::string why;
    if (!parse_condition(*text, names, rule_.cond, why)) {
      error(m.get("condition"), "condition: " + why,
            "selection names, and/or/not, parentheses, '1 of x_*', 'all of x_*'");
    }
  }

  void check_placeholders(const rulepack::yaml_node& at, const std::string& tpl, std::string_view what) {
    std::vector<std::string> names;
    std::string why;
    if (!template_placeholders(tpl, names, why)) {
      error(at, std::string(what) + ": " + why);
      return;
    }
    for (const auto& n : names) {
      if (n.starts_with(kFactPrefix)) {
        if (find_fact_spec(std::string_view(n).substr(kFactPrefix.size())) == nullptr) {
          error(at, std::string(what) + ": placeholder {" + n + "} names an unknown fact",
                "rules/README.md \"Facts\" lists the facts analyzers provide");
        }
        continue;
      }
      if (is_builtin_placeholder(n) || broken_selection_) continue;
      const bool captured = std::any_of(
          rule_.selections.begin(), rule_.selections.end(), [&](const selection& s) {
            return std::find(s.captures.begin(), s.captures.end(), n) != s.captures.end();
          });
      if (!captured) {
        error(at, std::string(what) + ": placeholder {" + n + "} is neither built-in nor a capture",
              "built-ins: instance domain source destination request_id migration_id; or add "
              "(?P<" + n + ">...) to a selection regex");
      }
    }
  }

  void templates(strict_map& m) {
    // One template, or sentences of which those naming an unknown fact are left out.
    rule_.summary = m.string_list("summary");
    const rulepack::yaml_node summary = m.get("summary");
    for (std::size_t i = 0; i < rule_.summary.size(); ++i) {
      check_placeholders(summary.IsSequence() ? summary[i] : summary, rule_.summary[i], "summary");
    }
    if (m.has("summary") && rule_.summary.empty()) error(summary, "summary must not be empty");
    const rulepack::yaml_node confirm = m.get("confirm");
    if (confirm.IsDefined() && !confirm.IsNull() && !confirm.IsSequence()) {
      error(confirm, "'confirm' must be a list of {where, command, why}");
    } else if (confirm.IsSequence()) {
      for (const auto& item : confirm) one_confirm(item);
    }
    const rulepack::yaml_node remediation = m.get("remediation");
    const bool aligned = remediation.IsSequence() && remediation.size() == rule_.remediation.size();
    for (std::size_t i = 0; i < rule_.remediation.size() && aligned; ++i) {
      const rulepack::yaml_node item = remediation[i];
      check_placeholders(item.IsMap() ? item["text"] : item, rule_.remediation[i].text,
                         "remediation");
    }
  }

  void one_confirm(const rulepack::yaml_node& item) {
    strict_map m(item, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"where", "command", "why", "when"});
    confirm_template c;
    if (m.has("when")) c.when = facts_.condition(m.get("when"), "confirm.when");
    const std::string where = m.required_string("where");
    if (!where.empty() && !parse_run_where(where, c.where)) {
      error(m.get("where"), "where must be source, destination, both or controller");
    }
    c.command = m.required_string("command");
    c.why = m.required_string("why");
    if (!c.command.empty()) {
      std::string why;
      // Checked as the operator would see it with every value still to fill in.
      if (!is_read_only_with_gaps(fill_template(c.command, {}, fill_mode::check), why)) {
        diag d = yaml_diag(m.get("command"), src_.path, "confirm command is not provably read-only",
                           "state-changing steps belong in 'remediation'");
        d.reason = why;
        errors_.push_back(std::move(d));
      }
      check_placeholders(m.get("command"), c.command, "confirm command");
    }
    check_placeholders(m.get("why"), c.why, "confirm why");
    rule_.confirm.push_back(std::move(c));
  }

  void sample_list(const rulepack::yaml_node& list, std::string_view key, std::vector<rule_sample>& out) {
    if (!list.IsSequence() || list.size() == 0) {
      error(list, "samples." + std::string(key) + " must list at least one {source, line}",
            "paste a real log line (cite its evidence id in a comment)");
      return;
    }
    for (const auto& item : list) {
      strict_map m(item, src_.path, errors_);
      if (!m.ok()) continue;
      m.reject_unknown({"source", "host", "line"});
      rule_sample s;
      const std::string source = m.required_string("source");
      if (!source.empty() && !parse_input_kind(source, s.source)) {
        error(m.get("source"), "unknown input kind '" + source + "' in sample");
      }
      if (auto host = m.optional_string("host"); host && !parse_host_role(*host, s.role)) {
        error(m.get("host"), "sample host must be source, destination or any");
      }
      s.line = m.required_string("line");
      const YAML::Mark mark = m.get("line").IsDefined() ? m.get("line").Mark() : item.Mark();
      s.yaml_line = mark.line + 1;
      s.yaml_column = mark.column + 1;
      out.push_back(std::move(s));
    }
  }

  void samples(const rulepack::yaml_node& node) {
    if (!node.IsDefined()) return;
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"match", "no-match"});
    m.require("match");
    m.require("no-match");
    if (m.has("match")) sample_list(m.get("match"), "match", rule_.match_samples);
    if (m.has("no-match")) sample_list(m.get("no-match"), "no-match", rule_.no_match_samples);
  }

  // Samples are the rule's own tests, run at load (lnav: "pattern does not
  // match any samples"), plus the prefilter invariant: a hint may let extra
  // lines through to the regex, never drop a line the regex would match.
  void check_samples() {
    for (std::size_t i = 0; i < rule_.selections.size(); ++i) {
      const selection& sel = rule_.selections[i];
      bool exercised = false;
      auto visit = [&](const rule_sample& s, bool positive_list) {
        if (sel.mode != selection_mode::regex) {
          const line_reading reading(rule_.catalog.get(), s.line);
          if (!selection_matches(sel, {s.source, host_role::any, s.line, &reading})) return;
          if (positive_list || !rule_.cond.positive()[i]) exercised = true;
          return;
        }
        if (s.source != sel.source || !sel.pat.regex_matches(s.line)) return;
        if (!sel.pat.candidate(s.line)) {
          error_at(s.yaml_line, s.yaml_column,
                   "hint of selection '" + sel.name + "' does not occur in a sample line its regex matches",
                   "the literal prefilter would drop this line; use a substring every match contains");
        }
        if (positive_list || !rule_.cond.positive()[i]) exercised = true;
      };
      for (const auto& s : rule_.match_samples) visit(s, true);
      for (const auto& s : rule_.no_match_samples) visit(s, false);
      if (!exercised) {
        error(regex_nodes_[i], std::string(sel.mode == selection_mode::regex ? "regex" : "catalog") +
                                   " of selection '" + sel.name + "' matches none of the " +
                                   (rule_.cond.positive()[i] ? "match samples" : "samples"),
              "add a real line this selection is meant to catch to samples.match");
      }
    }
    for (const auto& s : rule_.match_samples) {
      if (!rule_fires_on(rule_, s)) {
        error_at(s.yaml_line, s.yaml_column, "rule does not fire on this match sample",
                 "check the selection source, host, hint, regex and the condition");
      }
    }
    for (const auto& s : rule_.no_match_samples) {
      if (rule_fires_on(rule_, s)) {
        error_at(s.yaml_line, s.yaml_column, "rule fires on this no-match sample",
                 "tighten the regex or add an exclusion selection ('and not ...')");
      }
    }
  }

  void prefix_errors() {
    const std::string who = rule_.id.empty() ? std::string("cause rule") : "rule " + rule_.id;
    for (std::size_t i = first_error_; i < errors_.size(); ++i) {
      errors_[i].message = who + ": " + errors_[i].message;
    }
  }

  const rulepack::rule_source& src_;
  diags& errors_;
  std::size_t first_error_;
  bool run_samples_;
  fact_yaml facts_;
  cause_rule rule_;
  std::vector<rulepack::yaml_node> regex_nodes_;  // parallel to rule_.selections
  bool broken_selection_ = false;         // captures unknown: skip placeholder checks
};

}  // namespace

std::optional<cause_rule> load_cause_rule(
    const rulepack::rule_source& source,
    const std::shared_ptr<const rulepack::message_catalog>& catalog, diags& errors,
    bool run_samples) {
  loader l(source, catalog, errors, run_samples);
  return l.run();
}

}  // namespace migsleuth::classifiers
