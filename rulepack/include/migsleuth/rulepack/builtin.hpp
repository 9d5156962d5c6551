// The default rule packs, embedded at build time from rules/ (see
// cmake/EmbedRules.cmake). Paths are relative to rules/, e.g.
// "shapes/nova-compute.yaml" or "causes/network/migration-port-refused.yaml".
#pragma once

#include <span>
#include <string_view>

namespace migsleuth::rulepack {

struct embedded_file {
  std::string_view path;
  std::string_view text;
};

std::span<const embedded_file> builtin_files();

// The same files parsed at build time (pack_tree_compiler.cpp): `text` is the
// encoded tree of yaml_tree.hpp, in path order. builtin_sources() hands each
// file its tree, so a run decodes the packs instead of parsing their YAML.
std::span<const embedded_file> builtin_trees();

// "<first 12 hex of a SHA-256 over every embedded path and text> (N files)":
// the rule-pack version that `migsleuth --version` prints.
std::string_view builtin_version();

}  // namespace migsleuth::rulepack
