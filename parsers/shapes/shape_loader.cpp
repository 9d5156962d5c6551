// Loads rules/shapes/*.yaml strictly. Every shape must carry real sample
// lines; a regex that matches none of them, or a hint missing from a sample
// the regex matches, is a load error (lnav's "samples must match" rule).
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/sources.hpp"
#include "migsleuth/rulepack/strict_yaml.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {
namespace {

using rulepack::strict_map;

void load_shape(const YAML::Node& node, input_kind kind, const std::string& file,
                std::set<std::string>& ids, std::vector<std::unique_ptr<shape_entry>>& out,
                diags& errors) {
  strict_map m(node, file, errors);
  if (!m.ok()) return;
  m.reject_unknown({"id", "event", "hint", "regex", "samples", "description"});
  const std::string id = m.required_string("id");
  const std::string event_name = m.required_string("event");
  const std::string regex = m.required_string("regex");
  const auto hints = m.string_list("hint");
  const auto samples = m.string_list("samples");
  m.require("hint");
  m.require("samples");
  if (!m.ok()) return;

  event_kind produces{};
  if (!parse_event_kind(event_name, produces)) {
    m.error(m.get("event"), "unknown event '" + event_name + "'",
            "see core/include/migsleuth/core/event.hpp for event kinds");
    return;
  }
  if (!ids.insert(id).second) {
    m.error(m.get("id"), "duplicate shape id '" + id + "'");
    return;
  }
  diag bad;
  auto pat = rulepack::pattern::compile(hints, regex, bad);
  if (!pat) {
    diag d = rulepack::yaml_diag(m.get("regex"), file, bad.message, bad.help);
    d.reason = bad.reason;
    errors.push_back(std::move(d));
    return;
  }
  if (samples.empty()) {
    m.error(m.get("samples"), "shape '" + id + "' has no samples",
            "add at least one real log line it must match");
    return;
  }
  bool ok = true;
  for (const auto& s : samples) {
    if (!pat->regex_matches(s)) {
      m.error(m.get("samples"), "regex of '" + id + "' matches no part of sample: " + s);
      ok = false;
    } else if (!pat->candidate(s)) {
      m.error(m.get("hint"), "no hint of '" + id + "' occurs in a sample its regex matches",
              "a prefilter may give false positives, never false negatives");
      ok = false;
    }
  }
  if (!ok) return;
  auto entry = std::make_unique<shape_entry>();
  entry->id = id;
  entry->kind = kind;
  entry->produces = produces;
  entry->matcher = std::move(*pat);
  entry->file = file;
  entry->samples = samples;
  out.push_back(std::move(entry));
}

void load_file(const rulepack::rule_source& src, std::set<std::string>& ids,
               std::vector<std::unique_ptr<shape_entry>>& out, diags& errors) {
  const YAML::Node root = rulepack::parse_yaml(src.text, src.path, errors);
  if (!root.IsDefined() || root.IsNull()) return;
  strict_map top(root, src.path, errors);
  if (!top.ok()) return;
  top.reject_unknown({"kind", "description", "shapes"});
  const std::string kind_name = top.required_string("kind");
  top.require("shapes");
  if (!top.ok()) return;
  input_kind kind{};
  if (!parse_input_kind(kind_name, kind)) {
    top.error(top.get("kind"), "unknown input kind '" + kind_name + "'");
    return;
  }
  const YAML::Node list = top.get("shapes");
  if (!list.IsSequence()) {
    top.error(list, "'shapes' must be a list");
    return;
  }
  for (const auto& item : list) load_shape(item, kind, src.path, ids, out, errors);
}

void build_prefilters(std::vector<std::unique_ptr<shape_entry>>& shapes) {
  std::map<input_kind, std::string> alternations;
  for (const auto& s : shapes) {
    std::string& alt = alternations[s->kind];
    for (const auto& h : s->matcher.hints()) {
      if (!alt.empty()) alt += '|';
      alt += RE2::QuoteMeta(h);
    }
  }
  std::map<input_kind, std::shared_ptr<const RE2>> compiled;
  for (const auto& [kind, alt] : alternations) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    auto re = std::make_shared<const RE2>(alt, opts);
    if (re->ok()) compiled[kind] = std::move(re);  // else: no prefilter, still correct
  }
  for (auto& s : shapes) {
    if (auto it = compiled.find(s->kind); it != compiled.end()) s->any_hint = it->second;
  }
}

}  // namespace

shape_set::shape_set() = default;
shape_set::~shape_set() = default;

std::shared_ptr<const shape_set> shape_set::load(const std::vector<std::string>& extra_dirs,
                                                 diags& errors) {
  auto sources = rulepack::builtin_sources("shapes/");
  for (const auto& dir : extra_dirs) rulepack::append_dir_sources(dir, "shapes/", sources, errors);
  auto set = std::make_shared<shape_set>();
  std::set<std::string> ids;
  for (const auto& src : sources) load_file(src, ids, set->shapes_, errors);
  build_prefilters(set->shapes_);
  return set;
}

std::shared_ptr<const shape_set> shape_set::load_dir_only(const std::string& dir,
                                                          diags& errors) {
  std::vector<rulepack::rule_source> sources;
  rulepack::append_dir_sources(dir, "shapes/", sources, errors);
  auto set = std::make_shared<shape_set>();
  std::set<std::string> ids;
  for (const auto& src : sources) load_file(src, ids, set->shapes_, errors);
  build_prefilters(set->shapes_);
  return set;
}

std::vector<const shape_entry*> shape_set::for_kind(input_kind kind) const {
  std::vector<const shape_entry*> out;
  for (const auto& s : shapes_) {
    if (s->kind == kind) out.push_back(s.get());
  }
  return out;
}

std::vector<shape_set::sample> shape_set::samples() const {
  std::vector<sample> out;
  for (const auto& s : shapes_) {
    for (const auto& line : s->samples) out.push_back({s->id, s->kind, s->produces, line});
  }
  return out;
}

bool shapes_may_match(const std::vector<const shape_entry*>& shapes, std::string_view message) {
  if (shapes.empty()) return false;
  const auto& any = shapes.front()->any_hint;
  return !any || RE2::PartialMatch(re2::StringPiece(message.data(), message.size()), *any);
}

bool apply_shapes(const std::vector<const shape_entry*>& shapes, std::string_view message,
                  event& ev) {
  if (!shapes_may_match(shapes, message)) return false;
  for (const shape_entry* s : shapes) {
    if (!s->matcher.candidate(message)) continue;
    fields caps;
    if (!s->matcher.match(message, &caps)) continue;
    ev.kind = s->produces;
    ev.shape = s->id;
    for (auto& c : caps) ev.values.push_back(std::move(c));
    return true;
  }
  return false;
}

}  // namespace migsleuth::parsers
