#include "command_suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace migsleuth::app {
namespace {

// Names a subcommand answers to: its name and its aliases ("analyse").
std::vector<std::string> names_of(const CLI::App& sub) {
  std::vector<std::string> out{sub.get_name()};
  for (const auto& a : sub.get_aliases()) out.push_back(a);
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

bool check_subcommand_words(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* cur = &app;
  std::string path = app.get_name();
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.empty() || word.front() == '-') return true;
    const auto subs = cur->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return true;  // a command's own positionals (paths, rule ids)
    const CLI::App* next = nullptr;
    const CLI::App* closest = nullptr;
    std::size_t best = 0;
    for (const CLI::App* sub : subs) {
      for (const auto& name : names_of(*sub)) {
        if (name == word) next = sub;
        const std::size_t dist = edit_distance(word, name);
        if (closest == nullptr || dist < best) {
          closest = sub;
          best = dist;
        }
      }
    }
    if (next != nullptr) {
      cur = next;
      path += " " + next->get_name();
      continue;
    }
    if (cur->get_require_subcommand_min() == 0) return true;
    // Two edits at most, and fewer than the word's length: "ls" is no typo of "lint".
    if (closest != nullptr && best <= 2 && best < word.size()) {
      fmt::print(stderr, "error: unknown command '{}'; did you mean '{} {}'?\n", word, path,
                 closest->get_name());
    } else {
      std::string all;
      for (const CLI::App* sub : subs) all += (all.empty() ? "" : ", ") + sub->get_name();
      fmt::print(stderr, "error: unknown command '{}'; {} takes one of: {}\n", word, path, all);
    }
    return false;
  }
  return true;
}

}  // namespace migsleuth::app
