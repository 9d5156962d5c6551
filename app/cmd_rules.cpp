// `migsleuth rules list|lint|test [DIR]`: the rule author's loop; `rules
// check-command CMD...`: the read-only checker on its own.
#include <algorithm>

#include <fmt/format.h>

#include "commands.hpp"
#include "output_file.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::app {

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

}  // namespace

int run_rules(const rules_options& opt) {
  if (opt.action == "check-command") return check_commands(opt.commands, opt.gaps);
  diags errors;
  // A DIR is checked as a pack on its own, like `rules lint rules/` in this
  // repository, whose files are also the embedded ones.
  auto shapes = opt.dir.empty() ? parsers::shape_set::load({}, errors)
                                : parsers::shape_set::load_dir_only(opt.dir, errors);
  auto book = opt.dir.empty() ? classifiers::rule_book::load({}, errors)
                              : classifiers::rule_book::load_dir_only(opt.dir, errors);
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
    const int rc = write_stdout(fmt::format("{} shape(s), {} cause rule(s), {} error(s)\n",
                                            shapes->size(), book.size(), errors.size()));
    if (rc != kExitOk) return rc;
    return errors.empty() ? kExitOk : kExitUsage;
  }
  const diags failures = book.test_samples();
  for (const auto& d : failures) fmt::print(stderr, "{}", format_diag(d));
  const int rc = write_stdout(
      fmt::format("{} cause rule(s) tested, {} sample failure(s)\n", book.size(), failures.size()));
  if (rc != kExitOk) return rc;
  return errors.empty() && failures.empty() ? kExitOk : kExitUsage;
}

}  // namespace migsleuth::app
