// Templates of unexplained error lines, so that a failure mode no rule knows
// yet shows up as one group with a count instead of hundreds of lines that
// differ only by ids. Masking is hand-written (one forward pass, no regex):
// it runs on one line per unknown incident, and must never be fooled into
// quadratic work by a long line.
#include <algorithm>
#include <cctype>
#include <sstream>

#include "migsleuth/scan/scan.hpp"

namespace migsleuth::scan {
namespace {

constexpr std::size_t kMaxTemplate = 300;  // a template is a label, not evidence
constexpr double kMergeSimilarity = 0.5;   // Drain's default st is 0.4-0.5

bool is_alnum(char c) noexcept { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_hex(char c) noexcept { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) noexcept { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool host_char(char c) noexcept { return is_alnum(c) || c == '-' || c == '_'; }

// Host names first (longest first, whole names only): "cmp-b" and "cmp-b1"
// are different hosts, and a host name may contain digits we would mask.
std::string mask_hosts(std::string_view line, std::span<const std::string> hosts) {
  std::vector<std::string_view> names;
  for (const auto& h : hosts) {
    if (h.size() >= 2) names.push_back(h);
  }
  std::sort(names.begin(), names.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    bool hit = false;
    if (i == 0 || !host_char(line[i - 1])) {
      for (auto name : names) {
        if (line.substr(i, name.size()) != name) continue;
        const std::size_t end = i + name.size();
        if (end < line.size() && host_char(line[end])) continue;
        out += "<HOST>";
        i = end;
        hit = true;
        break;
      }
    }
    if (!hit) out += line[i++];
  }
  return out;
}

bool uuid_at(std::string_view s, std::size_t i) noexcept {
  static constexpr std::size_t kDashes[] = {8, 13, 18, 23};
  if (s.size() - i < 36) return false;
  for (std::size_t k = 0; k < 36; ++k) {
    const bool dash = std::find(std::begin(kDashes), std::end(kDashes), k) != std::end(kDashes);
    if (dash ? s[i + k] != '-' : !is_hex(s[i + k])) return false;
  }
  return i + 36 == s.size() || !is_alnum(s[i + 36]);
}

// Dotted quad; returns its length or 0.
std::size_t ipv4_at(std::string_view s, std::size_t i) noexcept {
  std::size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (j >= s.size() || s[j] != '.') return 0;
      ++j;
    }
    const std::size_t start = j;
    while (j < s.size() && is_digit(s[j]) && j - start < 3) ++j;
    if (j == start) return 0;
  }
  if (j < s.size() && is_alnum(s[j])) return 0;
  return j - i;
}

bool path_start(std::string_view s, std::size_t i) noexcept {
  if (s[i] != '/' || i + 1 >= s.size() || is_space(s[i + 1])) return false;
  if (i == 0) return true;
  const char p = s[i - 1];
  return is_space(p) || p == '\'' || p == '"' || p == '(' || p == '=' || p == ':' || p == '[' ||
         p == ',';
}

bool path_end(char c) noexcept {
  return is_space(c) || c == '\'' || c == '"' || c == ')' || c == ',' || c == ';' || c == ']';
}

}  // namespace

std::string mask_template(std::string_view line, std::span<const std::string> hosts) {
  const std::string s = mask_hosts(line, hosts);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  auto emit = [&](std::string_view what, std::size_t len) {
    out += what;
    i += len;
  };
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {  // runs of blanks are one space: alignment is not meaning
      if (!out.empty() && out.back() != ' ') out += ' ';
      ++i;
      continue;
    }
    if (path_start(s, i)) {
      std::size_t j = i;
      while (j < s.size() && !path_end(s[j])) ++j;
      while (j > i + 1 && (s[j - 1] == ':' || s[j - 1] == '.')) --j;  // "path: why", "path."
      emit("<PATH>", j - i);
      continue;
    }
    if (!is_alnum(c)) {
      out += c;
      ++i;
      continue;
    }
    // At the start of an alphanumeric word.
    if (uuid_at(s, i)) {
      emit("<UUID>", 36);
      continue;
    }
    if (const std::size_t n = ipv4_at(s, i); n > 0) {
      emit("<IP>", n);
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && is_alnum(s[end])) ++end;
    const std::string_view word(s.data() + i, end - i);
    if (word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X') &&
        std::all_of(word.begin() + 2, word.end(), is_hex)) {
      emit("<HEX>", word.size());
      continue;
    }
    // Long hex words with a digit: domain suffixes, user/project ids, hashes.
    if (word.size() >= 8 && std::all_of(word.begin(), word.end(), is_hex) &&
        std::any_of(word.begin(), word.end(), is_digit)) {
      emit("<HEX>", word.size());
      continue;
    }
    if (is_digit(c)) {  // a number, with its decimals; the unit after it stays
      std::size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
        ++j;
        while (j < s.size() && is_digit(s[j])) ++j;
      }
      emit("<NUM>", j - i);
      continue;
    }
    out += word;  // a word: digits inside it (ipv4, vda1) are part of its name
    i = end;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxTemplate) {
    out.resize(kMaxTemplate);
    out += "...";
  }
  return out;
}

namespace {

std::vector<std::string> tokens(const std::string& s) {
  std::vector<std::string> t;
  std::istringstream in(s);
  for (std::string w; in >> w;) t.push_back(std::move(w));
  return t;
}

}  // namespace

std::vector<template_group> group_templates(const std::map<std::string, std::uint64_t>& counts) {
  // Most frequent first (ties by text) so that a group's template is shaped
  // by its commonest member, and the result depends only on the multiset.
  std::vector<std::pair<std::string, std::uint64_t>> order(counts.begin(), counts.end());
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  struct cluster {
    std::vector<std::string> toks;
    template_group g;
  };
  std::vector<cluster> clusters;
  for (const auto& [tpl, n] : order) {
    std::vector<std::string> t = tokens(tpl);
    cluster* best = nullptr;
    double best_sim = 0;
    for (auto& c : clusters) {
      if (c.toks.size() != t.size() || t.empty() || c.toks[0] != t[0]) continue;
      std::size_t same = 0;
      for (std::size_t k = 0; k < t.size(); ++k) {
        if (c.toks[k] == t[k] || c.toks[k] == "<*>") ++same;
      }
      const double sim = static_cast<double>(same) / static_cast<double>(t.size());
      if (sim >= kMergeSimilarity && sim > best_sim) {
        best = &c;
        best_sim = sim;
      }
    }
    if (best == nullptr) {
      clusters.push_back({t, {tpl, n, 1}});
      continue;
    }
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (best->toks[k] != t[k]) best->toks[k] = "<*>";
    }
    best->g.count += n;
    ++best->g.variants;
  }
  std::vector<template_group> out;
  out.reserve(clusters.size());
  for (auto& c : clusters) {
    if (c.g.variants > 1) {
      std::string joined;
      for (const auto& w : c.toks) {
        if (!joined.empty()) joined += ' ';
        joined += w;
      }
      c.g.tpl = std::move(joined);
    }
    out.push_back(std::move(c.g));
  }
  std::stable_sort(out.begin(), out.end(), [](const template_group& a, const template_group& b) {
    return a.count != b.count ? a.count > b.count : a.tpl < b.tpl;
  });
  return out;
}

}  // namespace migsleuth::scan
