// `migsleuth rules list|lint|test [DIR]`: the rule author's loop; `rules
// check-command CMD...`: the read-only checker on its own.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "commands.hpp"
#include "output_file.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "migsleuth/rulepack/catalog.hpp"
#include "migsleuth/rulepack/sources.hpp"

namespace migsleuth::app {
namespace {

constexpr std::string_view kCatalogPrefix = "catalog/";

// The message catalog of the same pack, its cause ids checked against the
// cause rules just loaded plus, for a DIR, the embedded ones (a pack may
// add catalog entries for causes the binary already has).
rulepack::message_catalog load_catalog(const rules_options& opt,
                                       const classifiers::rule_book& book, diags& errors) {
  std::vector<rulepack::rule_source> sources;
  if (opt.dir.empty()) {
    sources = rulepack::builtin_sources(kCatalogPrefix);
  } else {
    rulepack::append_dir_sources(opt.dir, kCatalogPrefix, sources, errors);
  }
  auto catalog = rulepack::message_catalog::load(sources, errors);
  std::vector<std::string> causes;
  for (const auto& r : book.list()) causes.push_back(r.id);
  if (!opt.dir.empty()) {
    diags ignored;  // the embedded packs are linted by `rules lint` without DIR
    const auto embedded =
        classifiers::rule_book::load({}, ignored, classifiers::pack_checks::trust_embedded);
    for (const auto& r : embedded.list()) causes.push_back(r.id);
  }
  for (auto& d : catalog.check_causes(causes)) errors.push_back(std::move(d));
  return catalog;
}

std::size_t classified_entries(const rulepack::message_catalog& catalog) {
  return static_cast<std::size_t>(
      std::count_if(catalog.entries().begin(), catalog.entries().end(), [](const auto& e) {
        return e.verdict == rulepack::catalog_verdict::classified;
      }));
}

}  // namespace

namespace {

// `rules check-command CMD...`: the checker every confirm command passes,
// for a rule author (or an operator) to ask directly.
int check_commands(const std::vector<std::string>& commands, bool gaps) {
  int rc = kExitOk;
  for (const auto& c : commands) {
    std::string why;
    if (gaps ? classifiers::is_read_only_shown_command(c, why)
             : classifiers::is_read_only_command(c, why)) {
      fmt::print("read-only: {}\n", c);
    } else {
      fmt::print("refused:   {}\n  reason: {}\n", c, why);
      rc = kExitRefused;
    }
  }
  return rc;
}

// `rules decode LINE...`: what the layered decoder and the catalog make of
// each line, for a rule author checking a wording and an operator asking why.
int decode_lines(const std::vector<std::string>& given) {
  diags errors;
  const auto book =
      classifiers::rule_book::load({}, errors, classifiers::pack_checks::trust_embedded);
  std::vector<std::string> lines;
  for (const auto& g : given) {
    if (g != "-") {
      lines.push_back(g);
      continue;
    }
    char buf[65536];
    std::string pending;
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, stdin)) > 0;) pending.append(buf, n);
    for (std::size_t at = 0; at < pending.size();) {
      const std::size_t end = std::min(pending.find('\n', at), pending.size());
      lines.push_back(pending.substr(at, end - at));
      at = end + 1;
    }
  }
  std::string out;
  int rc = kExitOk;
  for (const auto& line : lines) {
    const auto d = book.decode_text(line);
    out += fmt::format("{}\n", line);
    if (d.layers.empty()) {
      out += "  no catalog entry recognises this line\n";
      rc = kExitRefused;
    }
    for (const auto& l : d.layers) {
      out += fmt::format("  {:<9} {:<10} {}: {}\n", l.layer, l.verdict, l.entry, l.text);
    }
    if (!d.layers.empty()) {
      out += d.decided_by.empty() ? "  decided: no layer names a cause\n"
                                  : fmt::format("  decided: {} -> {}\n", d.decided_by, d.cause);
    }
  }
  if (const int w = write_stdout(out); w != kExitOk) return w;
  return rc;
}

}  // namespace

int run_rules(const rules_options& opt) {
  if (opt.action == "check-command") return check_commands(opt.commands, opt.gaps);
  if (opt.action == "decode") return decode_lines(opt.commands);
  diags errors;
  // A DIR is checked as a pack on its own, like `rules lint rules/` in this
  // repository, whose files are also the embedded ones.
  auto shapes = opt.dir.empty() ? parsers::shape_set::load({}, errors)
                                : parsers::shape_set::load_dir_only(opt.dir, errors);
  auto book = opt.dir.empty()
                  ? classifiers::rule_book::load({}, errors, classifiers::pack_checks::full)
                  : classifiers::rule_book::load_dir_only(opt.dir, errors);
  const auto catalog = load_catalog(opt, book, errors);
  // Both loaders look at DIR: one missing folder is one error, not two.
  diags unique;
  for (auto& d : errors) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&d](const diag& u) {
      return format_diag(u) == format_diag(d);
    });
    if (!seen) unique.push_back(std::move(d));
  }
  errors = std::move(unique);
  for (const auto& d : errors) fmt::print(stderr, "{}", format_diag(d));

  // What goes to stdout is written at once and checked (write_stdout).
  if (opt.action == "list") {
    std::string out;
    for (const auto& r : book.list()) {
      out += fmt::format("{:<48} {:<20} prio {:>3}  conf {:.2f}  {}\n", r.id, to_string(r.cls),
                         r.priority, r.confidence, r.title);
    }
    if (const int rc = write_stdout(out); rc != kExitOk) return rc;
    return errors.empty() ? kExitOk : kExitUsage;
  }
  if (opt.action == "lint") {
    const int rc = write_stdout(
        fmt::format("{} shape(s), {} cause rule(s), {} catalog entries ({} classified, {} "
                    "excluded), {} error(s)\n",
                    shapes->size(), book.size(), catalog.size(), classified_entries(catalog),
                    catalog.exclusions().size(), errors.size()));
    if (rc != kExitOk) return rc;
    return errors.empty() ? kExitOk : kExitUsage;
  }
  const diags failures = book.test_samples();
  for (const auto& d : failures) fmt::print(stderr, "{}", format_diag(d));
  // Each catalog example must decode through its own entry: an earlier or
  // more specific entry that takes it with another verdict is a conflict.
  const diags conflicts = catalog.test_examples();
  for (const auto& d : conflicts) fmt::print(stderr, "{}", format_diag(d));
  const int rc = write_stdout(
      fmt::format("{} cause rule(s) tested, {} sample failure(s)\n{} catalog example(s) tested, "
                  "{} conflict(s)\n",
                  book.size(), failures.size(), catalog.size(), conflicts.size()));
  if (rc != kExitOk) return rc;
  return errors.empty() && failures.empty() && conflicts.empty() ? kExitOk : kExitUsage;
}

}  // namespace migsleuth::app
