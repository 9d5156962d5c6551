// Loads rules/shapes/*.yaml strictly. Every shape must carry real sample
// lines; a regex that matches none of them, or a hint missing from a sample
// the regex matches, is a load error (lnav's "samples must match" rule).
#include <algorithm>
#include <map>
#include <set>

#include "migsleuth/core/captures.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/sources.hpp"
#include "migsleuth/rulepack/strict_yaml.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {
namespace {

using rulepack::strict_map;

// What code reads of `kind`'s captures (core/captures.hpp), for a message.
std::string read_captures_of(event_kind kind) {
  std::string names;
  for (const auto& c : kShapeCaptures) {
    if (c.kind != kind) continue;
    names += (names.empty() ? "" : ", ") + std::string(c.name);
  }
  return names;
}

// Every named group must be a value the code reads of the shape's event:
// one it does not know would be carried, stored and never read.
bool captures_are_read(strict_map& m, const rulepack::pattern& pat, event_kind produces) {
  bool ok = true;
  for (const auto& name : pat.capture_names()) {
    if (name.empty() || find_shape_capture(produces, name) != nullptr) continue;
    const std::string known = read_captures_of(produces);
    m.error(m.get("regex"),
            "capture '" + name + "' is not a value migsleuth reads of a " +
                std::string(to_string(produces)) + " event",
            known.empty() ? "nothing is read of this event's captures: write the group as (?:...)"
                          : "read are: " + known +
                                " (core/include/migsleuth/core/captures.hpp); otherwise (?:...)");
    ok = false;
  }
  return ok;
}

void load_shape(const rulepack::yaml_node& node, input_kind kind, const std::string& file,
                std::set<std::string>& ids, std::vector<std::unique_ptr<shape_entry>>& out,
                diags& errors) {
  strict_map m(node, file, errors);
  if (!m.ok()) return;
  m.reject_unknown({"id", "event", "hint", "regex", "samples", "description", "request_id"});
  const std::string id = m.required_string("id");
  const std::string event_name = m.required_string("event");
  const std::string regex = m.required_string("regex");
  const auto hints = m.string_list("hint");
  const auto samples = m.string_list("samples");
  m.require("hint");
  m.require("samples");
  const std::string request_id = m.optional_string("request_id").value_or("");
  if (!m.ok()) return;
  if (!request_id.empty() && request_id != "unrelated") {
    m.error(m.get("request_id"), "request_id must be 'unrelated' (or left out)",
            "'unrelated': the line's request id is not its operation's (lifecycle events)");
    return;
  }

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
  if (!captures_are_read(m, *pat, produces)) return;
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
  entry->request_unrelated = request_id == "unrelated";
  entry->matcher = std::move(*pat);
  entry->file = file;
  entry->samples = samples;
  out.push_back(std::move(entry));
}

void load_file(const rulepack::rule_source& src, std::set<std::string>& ids,
               std::vector<std::unique_ptr<shape_entry>>& out, diags& errors) {
  const rulepack::yaml_node root = rulepack::parse_yaml(src, errors);
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
  const rulepack::yaml_node list = top.get("shapes");
  if (!list.IsSequence()) {
    top.error(list, "'shapes' must be a list");
    return;
  }
  for (const auto& item : list) load_shape(item, kind, src.path, ids, out, errors);
}

void build_prefilters(std::vector<std::unique_ptr<shape_entry>>& shapes) {
  std::map<input_kind, std::vector<std::vector<std::string>>> hints;
  for (auto& s : shapes) {
    auto& kind = hints[s->kind];
    s->index_in_kind = kind.size();
    kind.push_back(s->matcher.hints());
  }
  std::map<input_kind, std::shared_ptr<const hint_filter>> filters;
  for (const auto& [kind, lists] : hints) filters[kind] = std::make_shared<const hint_filter>(lists);
  for (auto& s : shapes) s->kind_hints = filters.at(s->kind);
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
  for (auto& d : set->captures_no_shape_gives()) errors.push_back(std::move(d));
  build_prefilters(set->shapes_);
  set->list_by_kind();
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
  set->list_by_kind();
  return set;
}

// Each value the code reads must come from some loaded shape of its event.
diags shape_set::captures_no_shape_gives() const {
  diags out;
  for (const auto& c : kShapeCaptures) {
    const bool produced = std::any_of(shapes_.begin(), shapes_.end(), [&c](const auto& s) {
      if (s->produces != c.kind) return false;
      const auto& names = s->matcher.capture_names();
      return std::find(names.begin(), names.end(), c.name) != names.end();
    });
    if (produced) continue;
    diag d;
    d.message = "no shape of a " + std::string(to_string(c.kind)) + " event captures '" +
                std::string(c.name) + "', which the " + std::string(c.read_by) + " reads";
    d.file = "core/include/migsleuth/core/captures.hpp";
    d.help = "name the group (?P<" + std::string(c.name) + ">...) in a shape of that event";
    out.push_back(std::move(d));
  }
  return out;
}

void shape_set::list_by_kind() {
  for (const auto& s : shapes_) by_kind_.at(static_cast<std::size_t>(s->kind)).push_back(s.get());
}

const std::vector<const shape_entry*>& shape_set::for_kind(input_kind kind) const {
  return by_kind_.at(static_cast<std::size_t>(kind));
}

std::vector<shape_set::sample> shape_set::samples() const {
  std::vector<sample> out;
  for (const auto& s : shapes_) {
    for (const auto& line : s->samples) out.push_back({s->id, s->kind, s->produces, line});
  }
  return out;
}

namespace {

// The kind's filter when `shapes` is what for_kind() returned (the filter's
// indices are its positions), else null: a list of the caller's own gets the
// per-shape hint test. Checking the ends is enough for lists from for_kind().
const hint_filter* kind_filter(const std::vector<const shape_entry*>& shapes) {
  if (shapes.empty()) return nullptr;
  const hint_filter* f = shapes.front()->kind_hints.get();
  if (f == nullptr || f->size() != shapes.size() || shapes.front()->index_in_kind != 0 ||
      shapes.back()->index_in_kind + 1 != shapes.size() || shapes.back()->kind_hints.get() != f) {
    return nullptr;
  }
  return f;
}

}  // namespace

bool shapes_may_match(const std::vector<const shape_entry*>& shapes, std::string_view message) {
  message = message.substr(0, kShapeWindowBytes);
  if (const hint_filter* f = kind_filter(shapes)) return f->any(message);
  return std::any_of(shapes.begin(), shapes.end(),
                     [&](const shape_entry* s) { return s->matcher.candidate(message); });
}

std::size_t match_shapes(const std::vector<const shape_entry*>& shapes, std::string_view message,
                         fields& values) {
  message = message.substr(0, kShapeWindowBytes);
  if (const hint_filter* f = kind_filter(shapes)) {
    // First match wins, in file order: the filter hands out hinted shapes in
    // that order, and a shape whose regex fails sends us to the next one.
    for (std::size_t i = f->first_hit(message, 0); i < shapes.size();
         i = f->first_hit(message, i + 1)) {
      if (shapes[i]->matcher.match_regex(message, &values)) return i;
    }
    return shapes.size();
  }
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const shape_entry& s = *shapes[i];
    if (s.matcher.candidate(message) && s.matcher.match_regex(message, &values)) return i;
  }
  return shapes.size();
}

void take_shape(const shape_entry& s, fields values, event& ev) {
  ev.kind = s.produces;
  ev.shape = s.id;
  if (s.request_unrelated) {
    ev.request_id.clear();
    ev.global_request_id.clear();
  }
  for (auto& v : values) ev.values.push_back(std::move(v));
}

bool apply_shapes(const std::vector<const shape_entry*>& shapes, std::string_view message,
                  event& ev) {
  fields values;
  const std::size_t i = match_shapes(shapes, message, values);
  if (i == shapes.size()) return false;
  take_shape(*shapes[i], std::move(values), ev);
  return true;
}

}  // namespace migsleuth::parsers
