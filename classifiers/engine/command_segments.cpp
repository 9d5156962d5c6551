#include "engine/command_segments.hpp"

namespace migsleuth::classifiers {

bool split_raw(std::string_view line, std::vector<segment>& out) {
  segment cur;
  std::string word;
  char quote = 0;
  const auto end_word = [&] {
    if (!word.empty()) cur.words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      word += c;
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
      word += c;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += c;
      word += line[++i];
    } else if (c == ' ' || c == '\t') {
      end_word();
    } else if (c == '|' || c == ';' || (c == '&' && i + 1 < line.size() && line[i + 1] == '&')) {
      end_word();
      std::string op(1, c);
      if (i + 1 < line.size() && line[i + 1] == c) op += line[++i];
      cur.sep = op;
      out.push_back(std::move(cur));
      cur = {};
    } else {
      word += c;
    }
  }
  if (quote != 0) return false;
  end_word();
  out.push_back(std::move(cur));
  return true;
}

std::string join(const std::vector<segment>& segs) {
  std::string out;
  for (const auto& s : segs) {
    for (const auto& w : s.words) out += (out.empty() || out.back() == ' ' ? "" : " ") + w;
    if (!s.sep.empty()) out += " " + s.sep + " ";
  }
  return out;
}

}  // namespace migsleuth::classifiers
