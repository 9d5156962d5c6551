#include "engine/condition.hpp"

#include <cctype>

namespace migsleuth::classifiers {
namespace {

bool glob_match(std::string_view glob, std::string_view name) noexcept {
  // Only `*` is special, as in Sigma's `1 of selection_*`.
  std::size_t g = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star = g++;
      mark = n;
    } else if (g < glob.size() && glob[g] == name[n]) {
      ++g;
      ++n;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

bool is_word_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '*' || c == '-';
}

}  // namespace

// Recursive descent over the tokens; precedence not > and > or, as in Sigma.
class condition_parser {
 public:
  condition_parser(std::string_view text, const std::vector<std::string>& names, condition& out)
      : names_(names), out_(out) {
    tokenize(text);
  }

  bool run(std::string& why) {
    if (!error_.empty()) {
      why = error_;
      return false;
    }
    if (tokens_.empty()) {
      why = "condition is empty";
      return false;
    }
    const std::size_t root = parse_or();
    if (error_.empty() && pos_ != tokens_.size()) {
      error_ = "unexpected '" + tokens_[pos_] + "'";
    }
    if (!error_.empty()) {
      why = error_;
      return false;
    }
    out_.root_ = root;
    out_.positive_.assign(names_.size(), false);
    out_.negative_.assign(names_.size(), false);
    out_.mark(root, false);
    return true;
  }

 private:
  void tokenize(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.emplace_back(1, c);
        ++i;
      } else if (is_word_char(c)) {
        std::size_t j = i;
        while (j < text.size() && is_word_char(text[j])) ++j;
        tokens_.emplace_back(text.substr(i, j - i));
        i = j;
      } else {
        error_ = std::string("unexpected character '") + c + "'";
        return;
      }
    }
  }

  [[nodiscard]] bool at(std::string_view word) const {
    return pos_ < tokens_.size() && tokens_[pos_] == word;
  }

  std::size_t add(condition::op kind, std::vector<std::size_t> children, std::size_t sel = 0) {
    out_.nodes_.push_back({kind, sel, std::move(children)});
    return out_.nodes_.size() - 1;
  }

  std::size_t parse_or() {
    std::vector<std::size_t> parts{parse_and()};
    while (error_.empty() && at("or")) {
      ++pos_;
      parts.push_back(parse_and());
    }
    return parts.size() == 1 ? parts[0] : add(condition::op::any, std::move(parts));
  }

  std::size_t parse_and() {
    std::vector<std::size_t> parts{parse_unary()};
    while (error_.empty() && at("and")) {
      ++pos_;
      parts.push_back(parse_unary());
    }
    return parts.size() == 1 ? parts[0] : add(condition::op::all, std::move(parts));
  }

  std::size_t parse_unary() {
    if (at("not")) {
      ++pos_;
      return add(condition::op::negate, {parse_unary()});
    }
    return parse_primary();
  }

  std::size_t parse_primary() {
    if (pos_ >= tokens_.size()) {
      error_ = "condition ends too early";
      return 0;
    }
    const std::string tok = tokens_[pos_++];
    if (tok == "(") {
      const std::size_t inner = parse_or();
      if (error_.empty() && !at(")")) error_ = "missing ')'";
      ++pos_;
      return inner;
    }
    if ((tok == "1" || tok == "any" || tok == "all") && at("of")) {
      ++pos_;
      if (pos_ >= tokens_.size()) {
        error_ = "'" + tok + " of' needs a selection name pattern or 'them'";
        return 0;
      }
      const std::string glob = tokens_[pos_++];
      std::vector<std::size_t> parts;
      for (std::size_t i = 0; i < names_.size(); ++i) {
        if (glob == "them" || glob_match(glob, names_[i])) {
          parts.push_back(add(condition::op::selection, {}, i));
        }
      }
      if (parts.empty()) {
        error_ = "'" + glob + "' names no selection";
        return 0;
      }
      return add(tok == "all" ? condition::op::all : condition::op::any, std::move(parts));
    }
    if (tok == ")" || tok == "and" || tok == "or" || tok == "of") {
      error_ = "unexpected '" + tok + "'";
      return 0;
    }
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == tok) return add(condition::op::selection, {}, i);
    }
    error_ = "unknown selection '" + tok + "'";
    return 0;
  }

  const std::vector<std::string>& names_;
  condition& out_;
  std::vector<std::string> tokens_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool condition::eval(const std::vector<bool>& hits) const {
  return !nodes_.empty() && eval_node(root_, hits);
}

bool condition::eval_node(std::size_t index, const std::vector<bool>& hits) const {
  const node& n = nodes_[index];
  switch (n.kind) {
    case op::selection:
      return n.selection < hits.size() && hits[n.selection];
    case op::negate:
      return !eval_node(n.children[0], hits);
    case op::all:
      for (std::size_t c : n.children) {
        if (!eval_node(c, hits)) return false;
      }
      return true;
    case op::any:
      for (std::size_t c : n.children) {
        if (eval_node(c, hits)) return true;
      }
      return false;
  }
  return false;
}

void condition::mark(std::size_t index, bool negated) {
  const node& n = nodes_[index];
  if (n.kind == op::selection) {
    (negated ? negative_ : positive_)[n.selection] = true;
    return;
  }
  for (std::size_t c : n.children) mark(c, n.kind == op::negate ? !negated : negated);
}

bool parse_condition(std::string_view text, const std::vector<std::string>& names,
                     condition& out, std::string& why) {
  out = condition();
  condition_parser parser(text, names, out);
  return parser.run(why);
}

}  // namespace migsleuth::classifiers
