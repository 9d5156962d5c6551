#include "migsleuth/rulepack/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <limits>
#include <sstream>

namespace migsleuth::rulepack {

// ---- yaml_node: YAML::Node's answers over a yaml_tree ----

yaml_node yaml_node::root_of(std::shared_ptr<const yaml_tree> tree) {
  if (tree == nullptr || tree->root >= tree->nodes.size()) return {};
  const std::uint32_t root = tree->root;
  return {std::move(tree), root};
}

yaml_node yaml_node::zombie() {
  yaml_node n;
  n.state_ = state::zombie;
  return n;
}

const yaml_tree::node* yaml_node::data() const {
  if (state_ == state::zombie) throw YAML::InvalidNode(std::string());
  return state_ == state::real ? &tree_->nodes[index_] : nullptr;
}

yaml_type yaml_node::type() const {
  const yaml_tree::node* d = data();
  return d == nullptr ? yaml_type::null : d->type;
}

const std::string& yaml_node::Scalar() const {
  static const std::string kEmpty;
  const yaml_tree::node* d = data();
  return d != nullptr && d->type == yaml_type::scalar ? tree_->scalars[d->first] : kEmpty;
}

YAML::Mark yaml_node::Mark() const {
  const yaml_tree::node* d = data();
  return d == nullptr ? YAML::Mark::null_mark() : d->mark;
}

std::size_t yaml_node::size() const {
  const yaml_tree::node* d = data();
  if (d == nullptr) return 0;
  if (d->type == yaml_type::sequence) return d->count;
  if (d->type == yaml_type::map) return d->count / 2;
  return 0;
}

yaml_node yaml_node::operator[](std::size_t index) const {
  const yaml_tree::node* d = data();
  if (d == nullptr || d->type != yaml_type::sequence || index >= d->count) return zombie();
  return {tree_, tree_->children[d->first + index]};
}

yaml_node yaml_node::operator[](std::string_view key) const {
  const yaml_tree::node* d = data();
  if (d == nullptr || d->type != yaml_type::map) return zombie();
  for (std::uint32_t i = 0; i < d->count; i += 2) {
    const yaml_node k(tree_, tree_->children[d->first + i]);
    if (k.IsScalar() && k.Scalar() == key) return {tree_, tree_->children[d->first + i + 1]};
  }
  return zombie();
}

double yaml_node::as_double() const {
  const yaml_tree::node* d = data();
  if (d == nullptr || d->type != yaml_type::scalar) throw YAML::BadConversion(Mark());
  // yaml-cpp's own conversion, so "1e3", ".inf" or "0x10" read as they did.
  return YAML::Node(Scalar()).as<double>();
}

yaml_node::const_iterator yaml_node::begin() const {
  const yaml_tree::node* d = state_ == state::real ? &tree_->nodes[index_] : nullptr;
  if (d == nullptr || (d->type != yaml_type::sequence && d->type != yaml_type::map)) return {};
  return {tree_, d, 0};
}

yaml_node::const_iterator yaml_node::end() const {
  const yaml_tree::node* d = state_ == state::real ? &tree_->nodes[index_] : nullptr;
  if (d == nullptr || (d->type != yaml_type::sequence && d->type != yaml_type::map)) return {};
  return {tree_, d, d->count};
}

yaml_node::const_iterator::const_iterator(std::shared_ptr<const yaml_tree> tree,
                                          const yaml_tree::node* collection, std::uint32_t pos)
    : tree_(std::move(tree)), collection_(collection), pos_(pos) {
  load();
}

yaml_node::const_iterator& yaml_node::const_iterator::operator++() {
  pos_ += collection_->type == yaml_type::map ? 2 : 1;
  load();
  return *this;
}

void yaml_node::const_iterator::load() {
  if (collection_ == nullptr || pos_ >= collection_->count) {
    current_ = yaml_entry();
    return;
  }
  const std::uint32_t* kids = tree_->children.data() + collection_->first;
  if (collection_->type == yaml_type::sequence) {
    current_ = yaml_entry(yaml_node(tree_, kids[pos_]), zombie(), zombie());
  } else {
    current_ = yaml_entry(zombie(), yaml_node(tree_, kids[pos_]), yaml_node(tree_, kids[pos_ + 1]));
  }
}

// ---- parsing: yaml-cpp's events into a tree, as YAML::Load builds its nodes ----

namespace {

class tree_builder : public YAML::EventHandler {
 public:
  explicit tree_builder(yaml_tree& tree) : tree_(tree) {}

  [[nodiscard]] bool has_root() const noexcept { return has_root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(make(yaml_type::null, mark, anchor));
  }
  // An alias is the anchored node itself (yaml-cpp shares it too).
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    add(anchor < anchors_.size() ? anchors_[anchor] : make(yaml_type::null, YAML::Mark(), 0));
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::uint32_t i = make(yaml_type::scalar, mark, anchor);
    tree_.nodes[i].first = static_cast<std::uint32_t>(tree_.scalars.size());
    tree_.scalars.push_back(value);
    add(i);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open_.push_back({make(yaml_type::sequence, mark, anchor), {}});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open_.push_back({make(yaml_type::map, mark, anchor), {}});
  }
  void OnMapEnd() override { close(); }

 private:
  struct open_collection {
    std::uint32_t index;
    std::vector<std::uint32_t> kids;
  };

  std::uint32_t make(yaml_type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto i = static_cast<std::uint32_t>(tree_.nodes.size());
    tree_.nodes.push_back({type, mark, 0, 0});
    if (anchor != 0) {  // yaml-cpp numbers anchors 1, 2, ... in order
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, i);
      anchors_[anchor] = i;
    }
    return i;
  }

  void add(std::uint32_t i) {
    if (open_.empty()) {
      tree_.root = i;
      has_root_ = true;
    } else {
      open_.back().kids.push_back(i);
    }
  }

  // Children land in one contiguous run once the collection is complete.
  void close() {
    open_collection c = std::move(open_.back());
    open_.pop_back();
    yaml_tree::node& n = tree_.nodes[c.index];
    n.first = static_cast<std::uint32_t>(tree_.children.size());
    n.count = static_cast<std::uint32_t>(c.kids.size());
    tree_.children.insert(tree_.children.end(), c.kids.begin(), c.kids.end());
    add(c.index);
  }

  yaml_tree& tree_;
  std::vector<std::uint32_t> anchors_{0};
  std::vector<open_collection> open_;
  bool has_root_ = false;
};

}  // namespace

namespace {

// The tree, or null when the text holds no document or did not parse
// (`out` then says which).
std::shared_ptr<yaml_tree> parse_tree(const std::string& text, yaml_parse_result& out) {
  auto tree = std::make_shared<yaml_tree>();
  try {
    std::stringstream stream(text);  // as YAML::Load(const std::string&)
    YAML::Parser parser(stream);
    tree_builder builder(*tree);
    if (!parser.HandleNextDocument(builder) || !builder.has_root()) return nullptr;
  } catch (const YAML::Exception& e) {
    out.failed = true;
    out.error_message = e.msg;
    out.error_mark = e.mark;
    return nullptr;
  }
  return tree;
}

}  // namespace

yaml_parse_result parse_yaml_text(const std::string& text) {
  yaml_parse_result out;
  if (auto tree = parse_tree(text, out)) out.root = yaml_node::root_of(std::move(tree));
  return out;
}

// ---- the build-time form ----
//
// 'M' 1, then 0 (no document) | 1 tree | 2 error. Numbers are LEB128; marks
// are stored plus one (a null mark is -1). Error: message, mark. Tree: node,
// child and scalar counts, root, each node (type, mark, first, count), the
// children, each scalar (length, bytes).

namespace {

constexpr char kMagic = 'M';
constexpr char kVersion = 1;
enum : char { kNoDocument = 0, kTree = 1, kError = 2 };

void put(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_mark(std::string& out, const YAML::Mark& m) {
  for (int v : {m.pos, m.line, m.column}) put(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(v) + 1));
}

void put_text(std::string& out, std::string_view s) {
  put(out, s.size());
  out.append(s);
}

class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] bool at_end() const noexcept { return pos_ == in_.size(); }

  std::uint64_t number() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) break;
      const auto byte = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }
  std::uint32_t index(std::uint64_t limit) {
    const std::uint64_t v = number();
    if (v >= limit) ok_ = false;
    return ok_ ? static_cast<std::uint32_t>(v) : 0;
  }
  int mark_part() {
    const std::uint64_t v = number();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) ok_ = false;
    return ok_ ? static_cast<int>(v) - 1 : 0;
  }
  YAML::Mark mark() {
    YAML::Mark m;
    m.pos = mark_part();
    m.line = mark_part();
    m.column = mark_part();
    return m;
  }
  char byte() {
    if (pos_ >= in_.size()) ok_ = false;
    return ok_ ? in_[pos_++] : '\0';
  }
  std::string text() {
    const std::uint64_t n = number();
    if (!ok_ || n > in_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_yaml_tree(const std::string& text) {
  yaml_parse_result r;
  const std::shared_ptr<const yaml_tree> tree = parse_tree(text, r);
  std::string out{kMagic, kVersion};
  if (r.failed) {
    out.push_back(kError);
    put_text(out, r.error_message);
    put_mark(out, r.error_mark);
    return out;
  }
  if (tree == nullptr) {
    out.push_back(kNoDocument);
    return out;
  }
  const yaml_tree& t = *tree;
  out.push_back(kTree);
  put(out, t.nodes.size());
  put(out, t.children.size());
  put(out, t.scalars.size());
  put(out, t.root);
  for (const auto& n : t.nodes) {
    out.push_back(static_cast<char>(n.type));
    put_mark(out, n.mark);
    put(out, n.first);
    put(out, n.count);
  }
  for (std::uint32_t c : t.children) put(out, c);
  for (const auto& s : t.scalars) put_text(out, s);
  return out;
}

std::optional<yaml_parse_result> decode_yaml_tree(std::string_view blob) {
  reader in(blob);
  if (in.byte() != kMagic || in.byte() != kVersion) return std::nullopt;
  yaml_parse_result out;
  const char kind = in.byte();
  if (kind == kNoDocument) return in.ok() && in.at_end() ? std::optional(out) : std::nullopt;
  if (kind == kError) {
    out.failed = true;
    out.error_message = in.text();
    out.error_mark = in.mark();
    return in.ok() && in.at_end() ? std::optional(out) : std::nullopt;
  }
  if (kind != kTree) return std::nullopt;
  auto tree = std::make_shared<yaml_tree>();
  const std::uint64_t limit = blob.size();  // every count is bounded by the bytes behind it
  tree->nodes.resize(in.index(limit));
  tree->children.resize(in.index(limit));
  tree->scalars.resize(in.index(limit));
  tree->root = in.index(tree->nodes.size());
  for (auto& n : tree->nodes) {
    const auto type = static_cast<unsigned char>(in.byte());
    if (type > static_cast<unsigned char>(yaml_type::map)) return std::nullopt;
    n.type = static_cast<yaml_type>(type);
    n.mark = in.mark();
    const bool scalar = n.type == yaml_type::scalar;
    n.first = in.index(scalar ? tree->scalars.size() : tree->children.size() + 1);
    n.count = in.index(tree->children.size() + 1);
    if (!scalar && n.first + static_cast<std::uint64_t>(n.count) > tree->children.size()) {
      return std::nullopt;
    }
  }
  for (auto& c : tree->children) c = in.index(tree->nodes.size());
  for (auto& s : tree->scalars) s = in.text();
  if (!in.ok() || !in.at_end()) return std::nullopt;
  out.root = yaml_node::root_of(std::move(tree));
  return out;
}

bool same_yaml(const yaml_node& a, const yaml_node& b) {
  struct walk {
    static bool same(const yaml_node& x, const yaml_node& y, int depth) {
      if (depth > 256) return false;
      if (x.IsDefined() != y.IsDefined()) return false;
      if (!x.IsDefined()) return true;
      const YAML::Mark mx = x.Mark();
      const YAML::Mark my = y.Mark();
      if (mx.pos != my.pos || mx.line != my.line || mx.column != my.column) return false;
      if (x.IsNull() != y.IsNull() || x.IsScalar() != y.IsScalar() ||
          x.IsSequence() != y.IsSequence() || x.IsMap() != y.IsMap()) {
        return false;
      }
      if (x.Scalar() != y.Scalar() || x.size() != y.size()) return false;
      for (auto i = x.begin(), j = y.begin(); i != x.end() && j != y.end(); ++i, ++j) {
        if (x.IsMap()) {
          if (!same(i->first, j->first, depth + 1) || !same(i->second, j->second, depth + 1)) {
            return false;
          }
        } else if (!same(*i, *j, depth + 1)) {
          return false;
        }
      }
      return true;
    }
  };
  return walk::same(a, b, 0);
}

}  // namespace migsleuth::rulepack
