// The rule loaders read YAML through rulepack::yaml_node, built either from
// yaml-cpp's events (text) or from the tree stored at build time (embedded
// packs). Both must give exactly what YAML::Load's YAML::Node gives: every
// file:line:col of a pack diagnostic comes from these answers.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "migsleuth/rulepack/builtin.hpp"
#include "migsleuth/rulepack/sources.hpp"
#include "migsleuth/rulepack/strict_yaml.hpp"
#include "migsleuth/rulepack/yaml_tree.hpp"

namespace {

using migsleuth::diags;
using migsleuth::rulepack::decode_yaml_tree;
using migsleuth::rulepack::encode_yaml_tree;
using migsleuth::rulepack::parse_yaml_text;
using migsleuth::rulepack::rule_source;
using migsleuth::rulepack::yaml_node;

bool same_mark(const YAML::Mark& a, const YAML::Mark& b) {
  return a.pos == b.pos && a.line == b.line && a.column == b.column;
}

std::optional<double> number_of(const yaml_node& n) {
  try {
    return n.as_double();
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

std::optional<double> number_of(const YAML::Node& n) {
  try {
    return n.as<double>();
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

// Asks `ours` and yaml-cpp's `theirs` every question a loader asks; the
// first differing answer fails with where it was.
void require_mirrors(const yaml_node& ours, const YAML::Node& theirs, const std::string& where) {
  INFO(where);
  REQUIRE(ours.IsDefined() == theirs.IsDefined());
  if (!theirs.IsDefined()) {
    REQUIRE_THROWS_AS(theirs.IsNull(), YAML::InvalidNode);
    REQUIRE_THROWS_AS(ours.IsNull(), YAML::InvalidNode);
    REQUIRE_THROWS_AS(ours.Mark(), YAML::InvalidNode);
    return;
  }
  REQUIRE(ours.IsNull() == theirs.IsNull());
  REQUIRE(ours.IsScalar() == theirs.IsScalar());
  REQUIRE(ours.IsSequence() == theirs.IsSequence());
  REQUIRE(ours.IsMap() == theirs.IsMap());
  REQUIRE(ours.Scalar() == theirs.Scalar());
  REQUIRE(same_mark(ours.Mark(), theirs.Mark()));
  REQUIRE(ours.size() == theirs.size());
  REQUIRE(number_of(ours) == number_of(theirs));
  if (theirs.IsSequence()) {
    std::size_t i = 0;
    auto mine = ours.begin();
    for (auto it = theirs.begin(); it != theirs.end(); ++it, ++mine, ++i) {
      REQUIRE(mine != ours.end());
      require_mirrors(*mine, *it, where + "[" + std::to_string(i) + "]");
      require_mirrors(ours[i], theirs[i], where + "[" + std::to_string(i) + "] by index");
    }
    REQUIRE(mine == ours.end());
    require_mirrors(ours[i], theirs[i], where + " past the end");
  } else if (theirs.IsMap()) {
    auto mine = ours.begin();
    for (auto it = theirs.begin(); it != theirs.end(); ++it, ++mine) {
      REQUIRE(mine != ours.end());
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "?";
      require_mirrors(mine->first, it->first, where + " key " + key);
      require_mirrors(mine->second, it->second, where + "." + key);
      if (it->first.IsScalar()) {
        // The first pair with that key, as yaml-cpp's lookup answers.
        require_mirrors(ours[key], theirs[key], where + "[" + key + "]");
      }
    }
    REQUIRE(mine == ours.end());
    require_mirrors(ours["no such key"], theirs["no such key"], where + " absent key");
  } else {
    REQUIRE(ours.begin() == ours.end());
  }
}

void require_same_as_yaml_cpp(const std::string& text) {
  INFO(text);
  YAML::Node theirs;
  std::optional<YAML::Exception> failure;
  try {
    theirs = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    failure = e;
  }
  const auto parsed = parse_yaml_text(text);
  const auto decoded = decode_yaml_tree(encode_yaml_tree(text));
  REQUIRE(decoded.has_value());
  for (const auto* r : {&parsed, &*decoded}) {
    REQUIRE(r->failed == failure.has_value());
    if (failure) {
      REQUIRE(r->error_message == failure->msg);
      REQUIRE(same_mark(r->error_mark, failure->mark));
    } else {
      require_mirrors(r->root, theirs, "root");
    }
  }
}

}  // namespace

TEST_CASE("rulepack.yaml_tree: every embedded pack's build-time tree is what yaml-cpp reads in its text",
          "[rulepack]") {
  const auto sources = migsleuth::rulepack::builtin_sources("");
  REQUIRE(sources.size() == migsleuth::rulepack::builtin_files().size());
  for (const auto& src : sources) {
    INFO(src.relative);
    REQUIRE_FALSE(src.tree.empty());  // start-up decodes it instead of parsing the text
    const auto decoded = decode_yaml_tree(src.tree);
    REQUIRE(decoded.has_value());
    REQUIRE_FALSE(decoded->failed);
    require_mirrors(decoded->root, YAML::Load(src.text), src.relative);
  }
}

TEST_CASE("rulepack.yaml_tree: yaml_node answers every question as YAML::Node does", "[rulepack]") {
  require_same_as_yaml_cpp(
      "id: network.port-refused\ntitle: 'A title: quoted'\npriority: 10\nconfidence: 0.7\n"
      "match:\n  refused:\n    source: nova-compute\n    hint: [refused, 'Connection refused']\n"
      "    regex: '(?P<port>\\d+)'\ncondition: refused and not other\n"
      "samples:\n  match:\n    - {source: nova-compute, line: 'x refused 49152'}\n  no-match: []\n");
  // Duplicate keys are kept in order (strict_map reports them); lookup takes the first.
  require_same_as_yaml_cpp("a: 1\nb: 2\na: 3\n");
  // Nulls: empty value, ~, null; a quoted 'null' is a string.
  require_same_as_yaml_cpp("a:\nb: ~\nc: null\nd: 'null'\ne: \"\"\n- \n");
  require_same_as_yaml_cpp("a:\nb: ~\nc: null\nd: 'null'\ne: \"\"\n");
  // Numbers as yaml-cpp converts them, and what it refuses.
  require_same_as_yaml_cpp("- 1e3\n- .inf\n- -0.5\n- 0x10\n- abc\n- '2'\n- [1]\n- {a: 1}\n- \n");
  // Anchors and aliases share the anchored node (marks included).
  require_same_as_yaml_cpp("base: &b {source: qemu-domain, host: any}\nfirst: *b\nlist: [*b, *b]\n");
  // Block scalars, folded text, flow collections, a non-scalar key.
  require_same_as_yaml_cpp("why: |\n  two\n  lines\nsummary: >\n  folded\n  text\n"
                           "flow: {x: [1, {y: 2}]}\n? [complex, key]\n: value\n");
  // No document, only a comment, a scalar document, and only the first of two.
  require_same_as_yaml_cpp("");
  require_same_as_yaml_cpp("# nothing\n");
  require_same_as_yaml_cpp("just text\n");
  require_same_as_yaml_cpp("a: 1\n---\nb: 2\n");
  // Syntax errors: the same message at the same mark.
  require_same_as_yaml_cpp("a: [1, 2\n");
  require_same_as_yaml_cpp("key: 'unterminated\n");
  require_same_as_yaml_cpp("a: 1\n\tb: 2\n");
  require_same_as_yaml_cpp("a: *nowhere\n");
}

TEST_CASE("rulepack.yaml_tree: a broken pack gets the same diagnostic from its build-time tree as from its text",
          "[rulepack]") {
  const std::string broken = "id: storage.x\nmatch:\n  a: {source: nova-compute\nsummary: s\n";
  const rule_source from_text{"rules/causes/storage/x.yaml", "causes/storage/x.yaml", broken, {}};
  const std::string blob = encode_yaml_tree(broken);
  const rule_source from_tree{from_text.path, from_text.relative, broken, blob};
  diags text_errors;
  diags tree_errors;
  const yaml_node a = migsleuth::rulepack::parse_yaml(from_text, text_errors);
  const yaml_node b = migsleuth::rulepack::parse_yaml(from_tree, tree_errors);
  REQUIRE(text_errors.size() == 1);
  REQUIRE(tree_errors.size() == 1);
  const auto& t = text_errors.front();
  const auto& u = tree_errors.front();
  CHECK(t.message == "invalid YAML");
  CHECK(t.line > 0);
  CHECK(u.message == t.message);
  CHECK(u.reason == t.reason);
  CHECK(u.file == t.file);
  CHECK(u.line == t.line);
  CHECK(u.column == t.column);
  CHECK(u.help == t.help);
  CHECK((a.IsNull() && b.IsNull() && a.Mark().is_null() && b.Mark().is_null()));
}

TEST_CASE("rulepack.yaml_tree: a stored tree that is not one falls back to the text", "[rulepack]") {
  const std::string text = "kind: nova-compute\nshapes: []\n";
  std::string blob = encode_yaml_tree(text);
  REQUIRE(decode_yaml_tree(blob).has_value());
  CHECK_FALSE(decode_yaml_tree(blob.substr(0, blob.size() - 1)).has_value());
  CHECK_FALSE(decode_yaml_tree(blob + "x").has_value());
  CHECK_FALSE(decode_yaml_tree("not a tree").has_value());
  // A node count (byte 3 on) larger than the blob could hold.
  const std::string wrong_index = blob.substr(0, 3) + "\xff\xff\x03" + blob.substr(4);
  CHECK_FALSE(decode_yaml_tree(wrong_index).has_value());
  const rule_source src{"rules/shapes/x.yaml", "shapes/x.yaml", text, "not a tree"};
  diags errors;
  const yaml_node root = migsleuth::rulepack::parse_yaml(src, errors);
  CHECK(errors.empty());
  REQUIRE(root.IsMap());
  CHECK(root["kind"].Scalar() == "nova-compute");
  CHECK(root["shapes"].IsSequence());
}
