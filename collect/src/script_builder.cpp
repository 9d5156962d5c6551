#include "script_builder.hpp"

#include <algorithm>

#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::collect {
namespace {

bool bare_safe(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.' || c == '/' || c == ',' || c == ':' || c == '=' ||
           c == '+' || c == '%';
  });
}

// The word as the shell must see it.
std::string script_form(const word& w) {
  std::string out;
  for (const part& p : w.parts) {
    switch (p.what) {
      case part::kind::literal:
        out += shell_quote(p.text);
        break;
      case part::kind::variable:
        out += "\"$" + p.text + "\"";
        break;
      case part::kind::root:
        out += "\"$root\"";
        break;
    }
  }
  return out;
}

// The word as the checker judges it: a variable is the gap <name>, the root
// prefix (empty outside tests) is nothing. A literal is quoted for the
// checker's own shell-word split.
std::string shown_form(const word& w) {
  std::string out;
  bool quoted_literal = false;
  std::string literal;
  for (const part& p : w.parts) {
    if (p.what == part::kind::literal) {
      literal += p.text;
      quoted_literal = true;
    } else if (p.what == part::kind::variable) {
      literal += "<" + p.text + ">";
    }
  }
  // Gaps (<name>) must stay unquoted to be read as gaps; a literal word that
  // needs quotes holds no gap.
  const bool has_gap = std::any_of(w.parts.begin(), w.parts.end(),
                                   [](const part& p) { return p.what == part::kind::variable; });
  out = (quoted_literal && !has_gap) ? shell_quote(literal) : literal;
  return out;
}

std::string joined(const command& c, std::string (*form)(const word&)) {
  std::string out;
  for (const word& w : c) {
    if (!out.empty()) out += ' ';
    out += form(w);
  }
  return out;
}

}  // namespace

word lit(std::string_view s) { return word{{part{part::kind::literal, std::string(s)}}}; }
word var(std::string_view name) { return word{{part{part::kind::variable, std::string(name)}}}; }
word host_path(std::string_view absolute) {
  return word{{part{part::kind::root, {}}, part{part::kind::literal, std::string(absolute)}}};
}
word host_path_var(std::string_view name) {
  return word{{part{part::kind::root, {}}, part{part::kind::variable, std::string(name)}}};
}

std::string shell_quote(std::string_view s) {
  if (bare_safe(s)) return std::string(s);
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

void script_builder::text(std::string_view lines) { out_ += lines; }

std::string script_builder::run(const command& c) { return run({}, c); }

std::string script_builder::run(const command& prefix, const command& c) {
  command whole = prefix;
  whole.insert(whole.end(), c.begin(), c.end());
  const std::string shown = joined(whole, shown_form);
  std::string why;
  if (!classifiers::is_read_only_shown_command(shown, why)) {
    if (error_.empty()) error_ = "collection command '" + shown + "' is not read-only: " + why;
    return "false";
  }
  if (std::find(checked_.begin(), checked_.end(), shown) == checked_.end()) {
    checked_.push_back(shown);
  }
  return joined(whole, script_form);
}

}  // namespace migsleuth::collect
