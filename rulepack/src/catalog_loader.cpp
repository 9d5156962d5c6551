// Strict loading of the message catalog: rules/catalog/<layer>/*.yaml (entries)
// and rules/catalog/excluded.yaml (format strings left out on purpose). Every
// key is checked, every regex compiled, and each entry is checked against its
// own example line at load; problems are diags with file:line:col.
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>

#include "catalog_hints.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/strict_yaml.hpp"

namespace migsleuth::rulepack {
namespace {

constexpr std::string_view kPrefix = "catalog/";
constexpr std::string_view kExcluded = "catalog/excluded.yaml";

bool parse_layer(std::string_view s, catalog_layer& out) {
  for (auto l : {catalog_layer::nova, catalog_layer::libvirt, catalog_layer::qemu,
                 catalog_layer::kernel_os}) {
    if (to_string(l) == s) {
      out = l;
      return true;
    }
  }
  return false;
}

// "<project> <first>..<last>": project letters/digits/.-, versions without spaces.
bool valid_releases(const std::string& s) {
  static const RE2 re(R"(([a-z][a-z0-9.+-]*) (\S+)\.\.(\S+))");
  return RE2::FullMatch(s, re);
}

// <layer>.<area>.<slug>: lower case, digits, '-' and '_'.
bool valid_id(const std::string& s) {
  static const RE2 re(R"([a-z][a-z-]*\.[a-z0-9_-]+\.[a-z0-9_-]+)");
  return RE2::FullMatch(s, re);
}

class catalog_reader {
 public:
  catalog_reader(const rule_source& src, diags& errors, bool trusted)
      : src_(src), errors_(errors), trusted_(trusted) {}

  void entries(std::vector<catalog_entry>& out) {
    const std::size_t before = errors_.size();
    const yaml_node root = parse_yaml(src_, errors_);
    if (errors_.size() > before) return;  // the syntax error says it all
    strict_map m(root, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"layer", "entries"});
    const std::string layer_name = m.required_string("layer");
    catalog_layer layer{};
    if (!layer_name.empty() && !parse_layer(layer_name, layer)) {
      error(m.get("layer"), "unknown layer '" + layer_name + "'", "one of: nova, libvirt, qemu, kernel-os");
      return;
    }
    const std::filesystem::path rel(src_.relative);
    if (!layer_name.empty() && rel.parent_path().filename() != layer_name) {
      error(m.get("layer"), "layer '" + layer_name + "' but the file is in folder '" +
                                rel.parent_path().filename().string() + "'",
            "put the file in rules/catalog/" + layer_name + "/");
    }
    const yaml_node list = m.get("entries");
    if (!list.IsSequence() || list.size() == 0) {
      error(list.IsDefined() ? list : root, "'entries' must be a non-empty list");
      return;
    }
    for (const auto& item : list) {
      const std::size_t entry_errors = errors_.size();
      catalog_entry e = one_entry(item, layer, layer_name);
      if (errors_.size() == entry_errors) out.push_back(std::move(e));
    }
  }

  void exclusions(std::vector<catalog_exclusion>& out) {
    const std::size_t before = errors_.size();
    const yaml_node root = parse_yaml(src_, errors_);
    if (errors_.size() > before) return;
    strict_map m(root, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"excluded"});
    const yaml_node list = m.get("excluded");
    if (!list.IsSequence()) {
      error(list.IsDefined() ? list : root, "'excluded' must be a list of {project, file, format, why}");
      return;
    }
    for (const auto& item : list) {
      strict_map x(item, src_.path, errors_);
      if (!x.ok()) continue;
      x.reject_unknown({"project", "file", "format", "why"});
      catalog_exclusion ex{x.required_string("project"), x.required_string("file"),
                           x.required_string("format"), x.required_string("why")};
      if (!ex.project.empty() && ex.project != "nova" && ex.project != "libvirt" && ex.project != "qemu") {
        error(x.get("project"), "unknown project '" + ex.project + "'", "one of: nova, libvirt, qemu");
      }
      if (x.has("why") && ex.why.size() < 8) error(x.get("why"), "say why the string is left out");
      out.push_back(std::move(ex));
    }
  }

 private:
  void error(const yaml_node& at, std::string message, std::string help = {}) {
    errors_.push_back(yaml_diag(at, src_.path, std::move(message), std::move(help)));
  }

  catalog_entry one_entry(const yaml_node& item, catalog_layer layer, const std::string& layer_name) {
    catalog_entry e;
    strict_map m(item, src_.path, errors_);
    if (!m.ok()) return e;
    m.reject_unknown({"id", "source", "releases", "format", "regex", "hint", "example", "meaning",
                      "verdict"});
    e.layer = layer;
    e.yaml_file = src_.path;
    e.yaml_line = item.Mark().line + 1;
    e.yaml_column = item.Mark().column + 1;
    e.id = m.required_string("id");
    if (!e.id.empty() && !valid_id(e.id)) {
      error(m.get("id"), "id '" + e.id + "' is not <layer>.<area>.<slug>",
            "lower case, digits, '-' and '_', e.g. libvirt.migration.job-failed");
    } else if (!e.id.empty() && e.id.substr(0, e.id.find('.')) != layer_name) {
      error(m.get("id"), "id '" + e.id + "' must start with its layer '" + layer_name + ".'");
    }
    source(m, e);
    e.releases = m.required_string("releases");
    if (!e.releases.empty() && !valid_releases(e.releases)) {
      error(m.get("releases"), "releases '" + e.releases + "' is not '<project> <first>..<last>'",
            "e.g. 'nova 17.0.0..master' or 'qemu unknown..latest' when the first release is not established");
    } else if (!e.releases.empty() && layer != catalog_layer::kernel_os &&
               e.releases.rfind(layer_name, 0) != 0 &&
               !(layer == catalog_layer::nova && e.releases.rfind("oslo.", 0) == 0)) {
      // nova's layer also holds the oslo libraries' lines nova logs through.
      error(m.get("releases"), "releases of a " + layer_name + " entry must name " + layer_name,
            layer == catalog_layer::nova ? "or an oslo library: 'oslo.messaging unknown..latest'" : "");
    }
    e.format = m.required_string("format");
    e.hint = m.required_string("hint");
    e.meaning = m.required_string("meaning");
    if (m.has("hint") && e.hint.empty()) error(m.get("hint"), "hint must be a non-empty literal");
    example(m.get("example"), e, m);
    verdict(m.get("verdict"), e, m);
    e.regex = m.required_string("regex");
    if (e.regex.empty()) {
      // An entry without a compiled regex must never reach lookup().
      if (m.has("regex")) error(m.get("regex"), "regex must not be empty");
      return e;
    }
    e.re = std::make_shared<const entry_regex>(e.regex);
    if (trusted_) return e;
    compile(m.get("regex"), e);
    if (e.re && !e.example.empty()) check_example(m, e);
    return e;
  }

  void source(strict_map& m, catalog_entry& e) {
    const yaml_node node = m.get("source");
    if (!node.IsDefined()) {
      m.require("source");
      return;
    }
    strict_map s(node, src_.path, errors_);
    if (!s.ok()) return;
    s.reject_unknown({"file", "function"});
    e.source_file = s.required_string("file");
    e.source_function = s.required_string("function");
  }

  void example(const yaml_node& node, catalog_entry& e, strict_map& parent) {
    if (!node.IsDefined()) {
      parent.require("example");
      return;
    }
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"line", "real", "rendered"});
    e.example = m.required_string("line");
    if (m.has("real") == m.has("rendered")) {
      error(node, "example needs exactly one of 'real: <citation>' or 'rendered: <how>'",
            "real: the line was observed (cite evidence id or URL); rendered: composed from the format");
      return;
    }
    e.example_real = m.has("real");
    e.example_cite = m.required_string(e.example_real ? "real" : "rendered");
  }

  void verdict(const yaml_node& node, catalog_entry& e, strict_map& parent) {
    if (!node.IsDefined()) {
      parent.require("verdict");
      return;
    }
    if (node.IsScalar()) {
      const std::string v = node.Scalar();
      if (v == "context") e.verdict = catalog_verdict::context;
      else if (v == "wrapper") e.verdict = catalog_verdict::wrapper;
      else if (v == "benign") e.verdict = catalog_verdict::benign;
      else error(node, "unknown verdict '" + v + "'", "context, wrapper, benign, or {class: ..., cause: ...}");
      return;
    }
    strict_map m(node, src_.path, errors_);
    if (!m.ok()) return;
    m.reject_unknown({"class", "cause", "new"});
    e.verdict = catalog_verdict::classified;
    const std::string cls = m.required_string("class");
    e.cause = m.required_string("cause");
    if (!cls.empty() && (!parse_classification(cls, e.cls) || e.cls == classification::unknown)) {
      error(m.get("class"), "unknown class '" + cls + "'",
            "one of: cpu_incompatibility, non_convergence, device_passthrough, storage, network, capacity");
    } else if (!e.cause.empty() && e.cause.substr(0, e.cause.find('.')) != cls) {
      error(m.get("cause"), "cause '" + e.cause + "' must start with its class '" + cls + ".'");
    }
    if (auto n = m.optional_string("new")) {
      if (*n != "true" && *n != "false") error(m.get("new"), "'new' must be true or false");
      e.new_cause = *n == "true";
    }
  }

  void compile(const yaml_node& at, catalog_entry& e) {
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<const RE2>(e.regex, opts);  // for the reason when it fails
    if (!re->ok()) {
      diag d = yaml_diag(at, src_.path, "regex of " + e.id + " does not compile",
                         e.regex.find("(?<") != std::string::npos
                             ? "RE2 in Debian bookworm accepts only (?P<name>...)"
                             : "RE2 syntax: no lookaround or backreferences");
      d.reason = re->error();
      errors_.push_back(std::move(d));
      e.re.reset();
      return;
    }
    const auto& named = re->NamedCapturingGroups();
    if (e.verdict == catalog_verdict::wrapper && e.re->inner_group() == 0) {
      error(at, "wrapper " + e.id + " has no (?P<inner>...) capture",
            "a wrapper's inner capture is what the decoder looks up next");
    }
    if (static_cast<std::size_t>(re->NumberOfCapturingGroups()) != named.size()) {
      error(at, "regex of " + e.id + " has an unnamed group", "use (?:...) or (?P<name>...)");
    }
  }

  // The example is the entry's own test, run at load: the regex matches it,
  // and the hint occurs inside the match (the prefilter never drops a match).
  void check_example(strict_map& m, const catalog_entry& e) {
    const re2::StringPiece text(e.example);
    re2::StringPiece whole;
    if (!e.re->get()->Match(text, 0, text.size(), RE2::UNANCHORED, &whole, 1)) {
      error(m.get("example"), "regex of " + e.id + " does not match its example line");
      return;
    }
    if (std::string_view(whole.data(), whole.size()).find(e.hint) == std::string_view::npos) {
      error(m.get("hint"), "hint of " + e.id + " does not occur in the example's match",
            "the literal prefilter would drop this line; use a substring every match contains");
    }
  }

  const rule_source& src_;
  diags& errors_;
  bool trusted_ = false;
};

}  // namespace

std::string_view to_string(catalog_layer l) noexcept {
  switch (l) {
    case catalog_layer::nova: return "nova";
    case catalog_layer::libvirt: return "libvirt";
    case catalog_layer::qemu: return "qemu";
    case catalog_layer::kernel_os: return "kernel-os";
  }
  return "nova";
}

std::string_view to_string(catalog_verdict v) noexcept {
  switch (v) {
    case catalog_verdict::classified: return "classified";
    case catalog_verdict::context: return "context";
    case catalog_verdict::wrapper: return "wrapper";
    case catalog_verdict::benign: return "benign";
  }
  return "context";
}

const re2::RE2* entry_regex::get() const {
  std::call_once(once_, [this] { compile(); });
  return re_ != nullptr && re_->ok() ? re_.get() : nullptr;
}

int entry_regex::inner_group() const {
  std::call_once(once_, [this] { compile(); });
  return inner_;
}

void entry_regex::compile() const {
  RE2::Options opts;
  opts.set_log_errors(false);
  re_ = std::make_shared<const RE2>(source_, opts);
  if (!re_->ok()) return;
  const auto& named = re_->NamedCapturingGroups();
  if (auto it = named.find("inner"); it != named.end()) inner_ = it->second;
}

message_catalog message_catalog::load(const std::vector<rule_source>& sources, diags& errors,
                                      bool trusted) {
  message_catalog cat;
  std::vector<const rule_source*> files;
  for (const auto& s : sources) {
    if (s.relative.rfind(kPrefix, 0) == 0) files.push_back(&s);
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const rule_source* a, const rule_source* b) { return a->relative < b->relative; });
  for (const rule_source* s : files) {
    catalog_reader reader(*s, errors, trusted);
    if (s->relative == kExcluded) {
      reader.exclusions(cat.exclusions_);
    } else {
      reader.entries(cat.entries_);
    }
  }
  std::vector<catalog_entry> unique;
  for (auto& e : cat.entries_) {
    auto dup = std::find_if(unique.begin(), unique.end(), [&](const catalog_entry& u) { return u.id == e.id; });
    if (dup != unique.end()) {
      errors.push_back({severity::error, "catalog entry " + e.id + ": duplicate id",
                        "already defined at " + dup->yaml_file + ":" + std::to_string(dup->yaml_line),
                        e.yaml_file, e.yaml_line, e.yaml_column, "ids are stable forever; pick a new one"});
      continue;
    }
    unique.push_back(std::move(e));
  }
  cat.entries_ = std::move(unique);
  auto add_new = [](std::vector<std::string>& to, const std::vector<std::string>& names) {
    for (const auto& n : names) {
      if (std::find(to.begin(), to.end(), n) == to.end()) to.push_back(n);
    }
  };
  cat.captures_.reserve(cat.entries_.size());
  for (const auto& e : cat.entries_) {
    cat.captures_.push_back(capture_names(e));
    add_new(cat.all_captures_, cat.captures_.back());
    if (e.verdict == catalog_verdict::wrapper) add_new(cat.wrapper_captures_, cat.captures_.back());
  }
  // Built from the final entry list: its pattern indexes are entry indexes.
  cat.hints_ = std::make_shared<const hint_index>(cat.entries_);
  return cat;
}

diags message_catalog::check_causes(std::span<const std::string> known_causes) const {
  diags out;
  for (const auto& e : entries_) {
    if (e.verdict != catalog_verdict::classified || e.cause.empty()) continue;
    const bool known = std::find(known_causes.begin(), known_causes.end(), e.cause) != known_causes.end();
    if (!known && !e.new_cause) {
      out.push_back({severity::error, "catalog entry " + e.id + ": unknown cause '" + e.cause + "'", {},
                     e.yaml_file, e.yaml_line, e.yaml_column,
                     "name an existing cause rule (migsleuth rules list), or declare it: new: true"});
    } else if (known && e.new_cause) {
      out.push_back({severity::error, "catalog entry " + e.id + ": cause '" + e.cause +
                                          "' is declared new but a cause rule has that id", {},
                     e.yaml_file, e.yaml_line, e.yaml_column, "drop 'new: true'"});
    }
  }
  return out;
}

}  // namespace migsleuth::rulepack
