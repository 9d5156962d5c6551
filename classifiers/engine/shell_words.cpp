#include "engine/shell_words.hpp"

#include <algorithm>
#include <cctype>

namespace migsleuth::classifiers {
namespace {

class splitter {
 public:
  explicit splitter(std::string_view line) : s_(line) {}

  bool run(std::vector<shell_words>& out, std::string& why) {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == ' ' || c == '\t') {
        end_word();
        ++i_;
      } else if (c == '\n' || c == '\r') {
        return fail("a newline inside a command", why);
      } else if (c == '\'') {
        if (!single_quoted(why)) return false;
      } else if (c == '"') {
        if (!double_quoted(why)) return false;
      } else if (c == '\\') {
        if (i_ + 1 >= s_.size()) return fail("a trailing backslash", why);
        word_ += s_[i_ + 1];
        in_word_ = true;
        i_ += 2;
      } else if (c == '`') {
        return fail("command substitution (`...`)", why);
      } else if (c == '*' && in_word_ && !word_.empty() && word_[0] == '/') {
        word_ += kGlobMark;  // an absolute path's glob: see kGlobMark
        digits_only_ = false;
        ++i_;
      } else if (std::string_view("{}*?[]!").find(c) != std::string_view::npos) {
        // Brace expansion ({-o,/etc/passwd}) and globs make words the text does
        // not show, options among them; '!' is interactive history expansion.
        return fail(std::string("an unquoted '") + c + "' (expansion)", why);
      } else if (c == '$') {
        return fail("an unquoted '$' expansion", why);
      } else if (c == '(' || c == ')') {
        return fail("a subshell or grouping parenthesis", why);
      } else if (c == '|' || c == ';' || c == '&') {
        if (!separator(c, why)) return false;
      } else if (c == '>' || c == '<') {
        if (!redirection(why)) return false;
      } else {
        word_ += c;
        in_word_ = true;
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) digits_only_ = false;
        ++i_;
      }
    }
    end_word();
    if (current_.empty()) {
      return fail(segments_.empty() ? "an empty command" : "a command ending in an operator", why);
    }
    segments_.push_back(std::move(current_));
    out = std::move(segments_);
    return true;
  }

 private:
  static bool fail(const std::string& what, std::string& why) {
    why = "uses " + what;
    return false;
  }

  void end_word() {
    if (in_word_) current_.push_back(std::move(word_));
    word_.clear();
    in_word_ = false;
    digits_only_ = true;
  }

  bool single_quoted(std::string& why) {
    const std::size_t close = s_.find('\'', i_ + 1);
    if (close == std::string_view::npos) return fail("an unterminated single quote", why);
    word_.append(s_.substr(i_ + 1, close - i_ - 1));
    in_word_ = true;
    digits_only_ = false;
    i_ = close + 1;
    return true;
  }

  bool double_quoted(std::string& why) {
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      const char c = s_[i_];
      if (c == '$' || c == '`' || c == '!') return fail("expansion inside double quotes", why);
      if (c == '\\' && i_ + 1 < s_.size()) ++i_;
      word_ += s_[i_++];
    }
    if (i_ >= s_.size()) return fail("an unterminated double quote", why);
    ++i_;
    in_word_ = true;
    digits_only_ = false;
    return true;
  }

  bool separator(char c, std::string& why) {
    const bool doubled = i_ + 1 < s_.size() && s_[i_ + 1] == c;
    if (c == '&' && !doubled) return fail("a background job ('&')", why);
    if (c == ';' && doubled) return fail("';;'", why);
    if (c == '|' && i_ + 1 < s_.size() && s_[i_ + 1] == '&') return fail("'|&'", why);
    end_word();
    if (current_.empty()) return fail("an operator with no command before it", why);
    segments_.push_back(std::move(current_));
    current_.clear();
    i_ += doubled ? 2 : 1;
    return true;
  }

  // `N>&M`, `>/dev/null`, `2>/dev/null`, `&>/dev/null` and `< file` are allowed;
  // anything else that opens a file for writing is not.
  bool redirection(std::string& why) {
    if (in_word_ && !digits_only_) {
      end_word();
    } else if (in_word_) {
      word_.clear();  // a descriptor number such as the 2 of 2>&1
      in_word_ = false;
    }
    const char c = s_[i_++];
    std::string op(1, c);
    while (i_ < s_.size() && (s_[i_] == '>' || s_[i_] == '<' || s_[i_] == '|')) op += s_[i_++];
    if (c == '<') {
      if (op != "<") return fail("a here-document or read-write redirection ('" + op + "')", why);
      const std::string target = next_word();
      if (target.empty()) return fail("'<' without a file", why);
      return true;  // reading a file changes nothing
    }
    if (op != ">" && op != ">>") return fail("the redirection '" + op + "'", why);
    if (i_ < s_.size() && s_[i_] == '&') {
      ++i_;
      std::size_t j = i_;
      while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j])) != 0) ++j;
      if (j == i_ || op != ">") return fail("a redirection onto a descriptor that is not a number", why);
      i_ = j;
      return true;
    }
    const std::string target = next_word();
    if (target != "/dev/null") {
      return fail("output redirection into a file ('" + op + " " + target + "')", why);
    }
    return true;
  }

  std::string next_word() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    std::string w;
    while (i_ < s_.size() && std::string_view(" \t|;&<>()\n").find(s_[i_]) == std::string_view::npos) {
      w += s_[i_++];
    }
    return w;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string word_;
  bool in_word_ = false;
  bool digits_only_ = true;
  shell_words current_;
  std::vector<shell_words> segments_;
};

}  // namespace

bool split_shell(std::string_view line, std::vector<shell_words>& segments, std::string& why) {
  splitter s(line);
  return s.run(segments, why);
}

}  // namespace migsleuth::classifiers
