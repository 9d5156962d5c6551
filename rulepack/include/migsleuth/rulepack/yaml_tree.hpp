// One YAML document as the rule loaders read it: a read-only tree of null,
// scalar, sequence and map nodes, each with yaml-cpp's Mark (the file:line:col
// every diagnostic names). yaml_node answers the part of YAML::Node's
// interface the loaders use, with the same results, including a "zombie" for
// a key a map lacks (IsDefined() false, any other question throws
// YAML::InvalidNode) and a default node that is null with no mark.
//
// Why not YAML::Node: a tree can come from two places that must give the same
// answers. Text (a `--rules` pack, a test's own file) is parsed by yaml-cpp,
// events straight into this tree. The embedded packs were parsed by the same
// yaml-cpp at build time and stored encoded (pack_tree_compiler, see
// builtin.hpp); decoding that takes a few instructions a node, where
// scanning the text took most of every run's start-up.
//
//   yaml_parse_result r = parse_yaml_text(text);      // or decode_yaml_tree(blob)
//   if (r.failed) ... r.error_message, r.error_mark ...
//   for (const auto& item : r.root["shapes"]) ...;
#pragma once

#include <yaml-cpp/mark.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::rulepack {

enum class yaml_type : std::uint8_t { null, scalar, sequence, map };

// The nodes of one document, children of a collection contiguous in
// `children` (a map's as key, value, key, value: duplicate keys kept, in
// file order, as yaml-cpp keeps them). An alias is the anchored node's index.
struct yaml_tree {
  struct node {
    yaml_type type = yaml_type::null;
    YAML::Mark mark;
    std::uint32_t first = 0;  // scalar: index into scalars; collection: into children
    std::uint32_t count = 0;  // collection: children (a map: twice its pairs)
  };
  std::vector<node> nodes;
  std::vector<std::uint32_t> children;
  std::vector<std::string> scalars;
  std::uint32_t root = 0;
};

class yaml_entry;

class yaml_node {
 public:
  class const_iterator;

  yaml_node() = default;  // YAML::Node(): a null node with a null mark

  [[nodiscard]] bool IsDefined() const noexcept { return state_ != state::zombie; }
  [[nodiscard]] bool IsNull() const { return type() == yaml_type::null; }
  [[nodiscard]] bool IsScalar() const { return type() == yaml_type::scalar; }
  [[nodiscard]] bool IsSequence() const { return type() == yaml_type::sequence; }
  [[nodiscard]] bool IsMap() const { return type() == yaml_type::map; }
  // The scalar's text; "" for any other node.
  [[nodiscard]] const std::string& Scalar() const;
  [[nodiscard]] YAML::Mark Mark() const;
  // Elements of a sequence, pairs of a map, else 0.
  [[nodiscard]] std::size_t size() const;
  // A sequence's element, or a zombie.
  [[nodiscard]] yaml_node operator[](std::size_t index) const;
  // The value of a map's first pair whose key is this scalar, or a zombie.
  [[nodiscard]] yaml_node operator[](std::string_view key) const;
  // YAML::Node::as<double>(): throws a YAML::Exception when not a number.
  [[nodiscard]] double as_double() const;

  // A sequence yields its elements, a map its pairs (entry.first/.second),
  // anything else nothing: YAML::Node's iteration.
  [[nodiscard]] const_iterator begin() const;
  [[nodiscard]] const_iterator end() const;

  // The document's root node (a default node when it has none).
  static yaml_node root_of(std::shared_ptr<const yaml_tree> tree);

 private:
  enum class state : std::uint8_t { real, empty, zombie };
  yaml_node(std::shared_ptr<const yaml_tree> tree, std::uint32_t index)
      : tree_(std::move(tree)), index_(index), state_(state::real) {}
  static yaml_node zombie();
  [[nodiscard]] yaml_type type() const;
  [[nodiscard]] const yaml_tree::node* data() const;

  std::shared_ptr<const yaml_tree> tree_;
  std::uint32_t index_ = 0;
  state state_ = state::empty;
};

// What iterating yields, as YAML::iterator_value: for a sequence the element
// itself (first/second zombies), for a map a zombie with first/second set.
class yaml_entry : public yaml_node {
 public:
  yaml_entry() = default;
  yaml_entry(yaml_node self, yaml_node key, yaml_node value)
      : yaml_node(std::move(self)), first(std::move(key)), second(std::move(value)) {}
  yaml_node first;
  yaml_node second;
};

class yaml_node::const_iterator {
 public:
  const_iterator() = default;
  const yaml_entry& operator*() const { return current_; }
  const yaml_entry* operator->() const { return &current_; }
  const_iterator& operator++();
  bool operator==(const const_iterator& o) const { return pos_ == o.pos_; }
  bool operator!=(const const_iterator& o) const { return pos_ != o.pos_; }

 private:
  friend class yaml_node;
  const_iterator(std::shared_ptr<const yaml_tree> tree, const yaml_tree::node* collection,
                 std::uint32_t pos);
  void load();
  std::shared_ptr<const yaml_tree> tree_;  // the iterator outlives no node it yields
  const yaml_tree::node* collection_ = nullptr;
  std::uint32_t pos_ = 0;  // children of collection_ passed
  yaml_entry current_;
};

struct yaml_parse_result {
  yaml_node root;  // a default node when the text is empty or did not parse
  bool failed = false;
  std::string error_message;  // yaml-cpp's message, without the mark
  YAML::Mark error_mark;
};

// yaml-cpp's YAML::Load(text): the first document, the same errors.
yaml_parse_result parse_yaml_text(const std::string& text);

// The build-time form of parse_yaml_text(text)'s result, and back.
std::string encode_yaml_tree(const std::string& text);
// nullopt when `blob` is not one encode_yaml_tree() wrote.
std::optional<yaml_parse_result> decode_yaml_tree(std::string_view blob);

// The same document (types, scalars, marks, shape); for tests of the encoding.
bool same_yaml(const yaml_node& a, const yaml_node& b);

}  // namespace migsleuth::rulepack
