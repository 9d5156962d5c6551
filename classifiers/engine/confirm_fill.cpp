// Every confirm command, wherever it is made (rules, the arbiter, the
// analyzers, preflight, the pipeline), is filled here and checked as filled:
// values from logs are withheld when they could be options or are not host
// names where a host belongs (template_fill.cpp), and the filled line must
// pass the read-only checker with each withheld value as one opaque word.
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "engine/readonly.hpp"
#include "engine/readonly_spec.hpp"
#include "engine/template_fill.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace {

// Debug and sanitizer builds stop on a command made in code that is not
// read-only even with every value withheld: that is a bug, not bad input.
[[maybe_unused]] void command_bug(std::string_view tpl, const std::string& why) {
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__)
  std::fprintf(stderr, "bug: confirm command '%.*s' is not read-only: %s\n",
               static_cast<int>(tpl.size()), tpl.data(), why.c_str());
  std::abort();
#else
  (void)tpl;
  (void)why;
#endif
}

}  // namespace

std::optional<std::string> checked_command(std::string_view tpl, const bindings& values,
                                           std::string& why) {
  if (is_read_only_with_gaps(fill_template(tpl, values, fill_mode::check), why)) {
    return fill_template(tpl, values, fill_mode::command);
  }
  // A value made the filled line fail (a URI with a transport that runs a
  // command, say): show the form with every value withheld, which the
  // operator completes by hand, rather than a command that is not a query.
  std::string form_why;
  if (is_read_only_with_gaps(fill_template(tpl, {}, fill_mode::check), form_why)) {
    return fill_template(tpl, {}, fill_mode::command);
  }
  why = form_why;
  return std::nullopt;
}

bool is_read_only_shown_command(const std::string& shown, std::string& why) {
  // The labels fill_template writes: <name>, <destination host>, <instance uuid>.
  std::string check;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    std::size_t end = i + 1;
    const auto label_char = [&](std::size_t k) {
      const auto c = static_cast<unsigned char>(shown[k]);
      return std::isalnum(c) != 0 || c == '_' || (c == ' ' && k > i + 1);
    };
    if (shown[i] == '<' && end < shown.size() &&
        (std::isalpha(static_cast<unsigned char>(shown[end])) != 0 || shown[end] == '_')) {
      while (end < shown.size() && label_char(end)) ++end;
      if (end < shown.size() && shown[end] == '>') {
        check += readonly::kGapMark;
        i = end;
        continue;
      }
    }
    check += shown[i];
  }
  return is_read_only_with_gaps(check, why);
}

std::optional<std::string> make_confirm_command(
    std::string_view tpl, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string why;
  auto out = checked_command(tpl, values, why);
  if (!out) command_bug(tpl, why);
  return out;
}

}  // namespace migsleuth::classifiers
