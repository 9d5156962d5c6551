#include "migsleuth/rulepack/strict_yaml.hpp"

#include <yaml-cpp/exceptions.h>

#include <algorithm>

namespace migsleuth::rulepack {

yaml_node parse_yaml(const rule_source& src, diags& errors) {
  std::optional<yaml_parse_result> parsed;
  if (!src.tree.empty()) parsed = decode_yaml_tree(src.tree);
  if (!parsed) parsed = parse_yaml_text(src.text);
  if (parsed->failed) {
    errors.push_back({severity::error, "invalid YAML", parsed->error_message, src.path,
                      parsed->error_mark.line + 1, parsed->error_mark.column + 1,
                      "check indentation and quoting (regexes in single quotes)"});
    return {};
  }
  return parsed->root;
}

diag yaml_diag(const yaml_node& at, const std::string& file, std::string message,
               std::string help) {
  const YAML::Mark m = at.Mark();
  const bool known = m.line >= 0 && !at.IsNull();
  return {severity::error, std::move(message), {}, file, known ? m.line + 1 : 0,
          known ? m.column + 1 : 0, std::move(help)};
}

strict_map::strict_map(const yaml_node& node, std::string file, diags& errors)
    : node_(node), file_(std::move(file)), errors_(&errors) {
  if (!node_.IsMap()) {
    error(node_, "expected a mapping");
    return;
  }
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const yaml_node key = it->first;
    if (!key.IsScalar()) {
      error(key, "mapping key must be a plain string");
      continue;
    }
    const std::string name = key.Scalar();
    const bool dup = std::any_of(entries_.begin(), entries_.end(),
                                 [&](const auto& e) { return e.first == name; });
    if (dup) {
      error(key, "duplicate key '" + name + "'", "yaml-cpp would keep one silently; remove one");
      continue;
    }
    entries_.emplace_back(name, it->second);
  }
}

void strict_map::error(const yaml_node& at, std::string message, std::string help) {
  ok_ = false;
  errors_->push_back(yaml_diag(at.IsDefined() ? at : node_, file_, std::move(message),
                               std::move(help)));
}

bool strict_map::has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const auto& e) { return e.first == key; });
}

yaml_node strict_map::get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return v;
  }
  return yaml_node();
}

void strict_map::require(std::string_view key) {
  if (!has(key)) error(node_, "missing required key '" + std::string(key) + "'");
}

std::string strict_map::required_string(std::string_view key) {
  if (!has(key)) {
    require(key);
    return {};
  }
  auto v = optional_string(key);
  return v ? *v : std::string();
}

std::optional<std::string> strict_map::optional_string(std::string_view key) {
  const yaml_node n = get(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (!n.IsScalar()) {
    error(n, "'" + std::string(key) + "' must be a string");
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<double> strict_map::optional_number(std::string_view key) {
  const yaml_node n = get(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  try {
    return n.as_double();
  } catch (const YAML::Exception&) {
    error(n, "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }
}

std::vector<std::string> strict_map::string_list(std::string_view key) {
  const yaml_node n = get(key);
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) {
    error(n, "'" + std::string(key) + "' must be a string or a list of strings");
    return out;
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, "'" + std::string(key) + "' items must be strings");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

void strict_map::reject_unknown(std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : entries_) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string help = "known keys:";
      for (auto a : allowed) help += " " + std::string(a);
      error(v.IsDefined() ? v : node_, "unknown key '" + k + "'", help);
    }
  }
}

}  // namespace migsleuth::rulepack
