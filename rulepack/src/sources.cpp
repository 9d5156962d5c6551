#include "migsleuth/rulepack/sources.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "migsleuth/rulepack/builtin.hpp"

namespace migsleuth::rulepack {

namespace fs = std::filesystem;

std::vector<rule_source> builtin_sources(std::string_view prefix) {
  std::vector<rule_source> out;
  const auto trees = builtin_trees();
  for (const auto& f : builtin_files()) {
    if (f.path.substr(0, prefix.size()) != prefix) continue;
    // Both tables come from one listing of rules/ in path order.
    const auto tree = std::lower_bound(
        trees.begin(), trees.end(), f.path,
        [](const embedded_file& t, std::string_view path) { return t.path < path; });
    const bool found = tree != trees.end() && tree->path == f.path;
    out.push_back({"rules/" + std::string(f.path), std::string(f.path), std::string(f.text),
                   found ? tree->text : std::string_view()});
  }
  std::sort(out.begin(), out.end(),
            [](const rule_source& a, const rule_source& b) { return a.relative < b.relative; });
  return out;
}

void append_dir_sources(const std::string& dir, std::string_view prefix,
                        std::vector<rule_source>& out, diags& errors) {
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    errors.push_back({severity::error, "rules directory not found", ec ? ec.message() : "",
                      dir, 0, 0, "pass a directory holding shapes/ and causes/ folders"});
    return;
  }
  const fs::path base = root / std::string(prefix);
  if (!fs::is_directory(base, ec)) return;  // a dir may add causes only, or shapes only
  std::vector<rule_source> found;
  for (fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied,
                                           ec),
       end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".yaml") continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) {
      errors.push_back({severity::error, "cannot read rule file", "open failed",
                        it->path().string(), 0, 0, {}});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    found.push_back({it->path().string(), fs::relative(it->path(), root).generic_string(),
                     text.str(), {}});
  }
  if (ec) {
    errors.push_back({severity::error, "cannot walk rules directory", ec.message(), dir, 0, 0, {}});
  }
  std::sort(found.begin(), found.end(),
            [](const rule_source& a, const rule_source& b) { return a.path < b.path; });
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace migsleuth::rulepack
