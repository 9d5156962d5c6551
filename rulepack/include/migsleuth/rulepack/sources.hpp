// Where rule files come from: the embedded defaults and any `--rules DIR`.
// A rule_source is the text of one YAML file plus the path diagnostics name.
//
//   auto files = builtin_sources("shapes/");       // embedded
//   append_dir_sources("/etc/migsleuth/rules", "shapes/", files, errors);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/diag.hpp"

namespace migsleuth::rulepack {

struct rule_source {
  std::string path;      // "rules/shapes/nova-compute.yaml" or a real file path
  std::string relative;  // path below the rules root, e.g. "causes/network/x.yaml"
  std::string text;
  // Embedded files only: `text` as parsed at build time (builtin_trees());
  // empty: parse `text`. Either way the same tree and the same diagnostics.
  std::string_view tree = {};
};

// Embedded files whose relative path starts with `prefix`, in path order.
std::vector<rule_source> builtin_sources(std::string_view prefix);

// *.yaml files below `dir`/`prefix`, recursively, in path order. Unreadable
// files and a missing directory become errors in `errors`.
void append_dir_sources(const std::string& dir, std::string_view prefix,
                        std::vector<rule_source>& out, diags& errors);

}  // namespace migsleuth::rulepack
