// The catalog reads the sample bundles as the cause rules do: every cause a
// sample's golden report names (from a rule, not an analyzer) is decided by
// the catalog on some line of that bundle's plain-text logs, and the honest
// "unknown" sample decides nothing. This ties the catalog's verdicts to the
// judgement the rules and goldens already encode, before any code uses it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "migsleuth/core/diag.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using migsleuth::rulepack::message_catalog;

namespace {

// The embedded cause rules without `match:`: they decide from analyzer facts
// (numbers, inventories), not from a line the catalog could read.
std::set<std::string> rules_deciding_from_facts() {
  std::set<std::string> out;
  for (const auto& src : migsleuth::rulepack::builtin_sources("causes/")) {
    std::istringstream in(src.text);
    std::string id;
    bool reads_lines = false;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("id: ", 0) == 0) id = line.substr(4);
      reads_lines = reads_lines || line.rfind("match:", 0) == 0;
    }
    if (!reads_lines) out.insert(id);
  }
  return out;
}

// Causes of the golden report that a rule reading lines decides.
std::set<std::string> golden_rule_causes(const fs::path& expected) {
  static const std::set<std::string> from_facts = rules_deciding_from_facts();
  std::set<std::string> out;
  const std::string text = migsleuth::test::read_file(expected);
  static const std::regex cause(R"re("cause": "([a-z_]+\.[a-z0-9-]+)")re");
  for (std::sregex_iterator it(text.begin(), text.end(), cause), end; it != end; ++it) {
    const std::string id = (*it)[1];
    // Mechanism fallbacks (`inferred: true`, ids ending in -inferred) fire
    // exactly where no entry decides.
    const bool inferred = id.size() > 9 && id.compare(id.size() - 9, 9, "-inferred") == 0;
    if (from_facts.count(id) == 0 && !inferred) out.insert(id);
  }
  return out;
}

bool plain_text(const fs::path& p) {
  static const std::set<std::string> packed{".gz", ".xz", ".bz2", ".zst", ".tar", ".tgz", ".txz"};
  return packed.count(p.extension().string()) == 0;
}

// Causes the catalog decides on any line of the bundle's plain files; false
// when the bundle has no plain file, or has a packed one (a rotated .gz, a
// sosreport tarball) whose lines this test does not read: the golden tests
// read those end to end.
bool catalog_causes(const message_catalog& catalog, const fs::path& bundle, std::set<std::string>& out) {
  bool any = false;
  for (const auto& entry : fs::recursive_directory_iterator(bundle)) {
    if (!entry.is_regular_file()) continue;
    if (!plain_text(entry.path())) return false;
    any = true;
    std::ifstream in(entry.path(), std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      if (const auto* d = message_catalog::decision(catalog.decode(line))) out.insert(d->cause);
    }
  }
  return any;
}

}  // namespace

TEST_CASE("catalog samples: the catalog decides every rule cause the goldens name", "[rules][catalog]") {
  migsleuth::diags errors;
  const auto catalog = message_catalog::load(migsleuth::rulepack::builtin_sources("catalog/"), errors);
  REQUIRE(errors.empty());
  // The detector finds a rule that decides from facts (this test would
  // otherwise ask the catalog to decide what only numbers can).
  CHECK(rules_deciding_from_facts().count("non_convergence.progress-trend") == 1);
  const fs::path samples = fs::path(MIGSLEUTH_SOURCE_DIR) / "samples";
  int compared = 0;
  for (const auto& dir : fs::directory_iterator(samples)) {
    const fs::path expected = dir.path() / "expected.json";
    if (!fs::exists(expected) || !fs::is_directory(dir.path() / "bundle")) continue;
    std::set<std::string> decided;
    if (!catalog_causes(catalog, dir.path() / "bundle", decided)) continue;
    const std::string name = dir.path().filename().string();
    INFO("sample " << name);
    for (const auto& cause : golden_rule_causes(expected)) {
      INFO("golden cause " << cause);
      CHECK(decided.count(cause) == 1);
    }
    if (name.rfind("unknown-", 0) == 0) CHECK(decided.empty());
    ++compared;
  }
  CHECK(compared >= 20);
}
