// Strict reading of hand-written YAML rule files on top of yaml-cpp, which
// accepts duplicate keys silently (jbeder/yaml-cpp#60): every mapping is
// walked key by key; duplicates, unknown keys, missing required keys and
// wrong types become diagnostics with file:line:col. Nothing here throws.
//
//   strict_map m(node, "causes/x.yaml", errors);
//   std::string id = m.required_string("id");
//   m.reject_unknown({"id", "title", ...});
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/sources.hpp"
#include "migsleuth/rulepack/yaml_tree.hpp"

namespace migsleuth::rulepack {

// The document of `src` (its build-time tree when it has one, else its text
// through yaml-cpp); on a syntax error appends a diag and returns a null node.
yaml_node parse_yaml(const rule_source& src, diags& errors);

diag yaml_diag(const yaml_node& at, const std::string& file, std::string message,
               std::string help = {});

class strict_map {
 public:
  strict_map(const yaml_node& node, std::string file, diags& errors);

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] yaml_node get(std::string_view key) const;  // null node if absent

  std::string required_string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  std::optional<double> optional_number(std::string_view key);
  // A scalar or a sequence of scalars; absent -> empty.
  std::vector<std::string> string_list(std::string_view key);
  void require(std::string_view key);
  void reject_unknown(std::initializer_list<std::string_view> allowed);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] const yaml_node& node() const noexcept { return node_; }
  void error(const yaml_node& at, std::string message, std::string help = {});

 private:
  yaml_node node_;
  std::string file_;
  diags* errors_;
  bool ok_ = true;
  std::vector<std::pair<std::string, yaml_node>> entries_;
};

}  // namespace migsleuth::rulepack
