// Read-only allowlists of the file and text tools: grep, cat, head, tail, ls,
// sort, sed, awk, ... Each lists only options that read and print; an option
// that writes (sort -o, file -C, sed -i), runs something (sort
// --compress-program, awk -f/system) or never ends (tail -f) is simply not on
// its list, in any spelling.
#include <re2/re2.h>

#include <algorithm>
#include <array>

#include "engine/readonly_spec.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

constexpr takes V = takes::value;
constexpr takes O = takes::optional;

constexpr option kGrep[] = {
    {'E', "extended-regexp"}, {'F', "fixed-strings"}, {'G', "basic-regexp"},
    {'P', "perl-regexp"},     {'i', "ignore-case"},   {0, "no-ignore-case"},
    {'y', ""},                {'v', "invert-match"},  {'w', "word-regexp"},
    {'x', "line-regexp"},     {'c', "count"},         {0, "color", O},
    {0, "colour", O},         {'L', "files-without-match"}, {'l', "files-with-matches"},
    {'o', "only-matching"},   {'q', "quiet"},         {0, "silent"},
    {'s', "no-messages"},     {'b', "byte-offset"},   {'H', "with-filename"},
    {'h', "no-filename"},     {'n', "line-number"},   {'T', "initial-tab"},
    {'Z', "null"},            {'z', "null-data"},     {'a', "text"},
    {'I', ""},                {'r', "recursive"},     {'R', "dereference-recursive"},
    {'e', "regexp", V},       {'m', "max-count", V},  {'A', "after-context", V},
    {'B', "before-context", V}, {'C', "context", V},  {0, "label", V},
    {0, "include", V},        {0, "exclude", V},      {0, "exclude-dir", V},
    {0, "line-buffered"},     {0, "binary-files", V},
};

constexpr option kCat[] = {
    {'A', "show-all"}, {'b', "number-nonblank"}, {'e', ""}, {'E', "show-ends"},
    {'n', "number"},   {'s', "squeeze-blank"},   {'t', ""}, {'T', "show-tabs"},
    {'u', ""},         {'v', "show-nonprinting"},
};

// zcat and friends: no options at all (zstdcat -o, for one, writes a file).
constexpr std::array<option, 0> kNone{};

constexpr option kHead[] = {
    {'n', "lines", V}, {'c', "bytes", V}, {'q', "quiet"}, {0, "silent"},
    {'v', "verbose"},  {'z', "zero-terminated"},
};

// No -f/-F/--follow/--retry/--pid/-s: tail must end.
constexpr option kTail[] = {
    {'n', "lines", V}, {'c', "bytes", V}, {'q', "quiet"}, {0, "silent"},
    {'v', "verbose"},  {'z', "zero-terminated"},
};

constexpr option kLs[] = {
    {'a', "all"},          {'A', "almost-all"},    {'l', ""},
    {'h', "human-readable"}, {'d', "directory"},   {'R', "recursive"},
    {'1', ""},             {'t', ""},              {'r', "reverse"},
    {'S', ""},             {'i', "inode"},         {'n', "numeric-uid-gid"},
    {'F', "classify"},     {'Z', "context"},       {'L', "dereference"},
    {'s', "size"},         {'X', ""},              {'U', ""},
    {'v', ""},             {'c', ""},              {'u', ""},
    {'g', ""},             {'o', ""},              {'G', "no-group"},
    {'p', ""},             {'q', "hide-control-chars"}, {'Q', "quote-name"},
    {'b', "escape"},       {'k', "kibibytes"},     {0, "full-time"},
    {0, "time-style", V},  {0, "color", O},        {0, "block-size", V},
    {0, "sort", V},        {0, "time", V},         {0, "si"},
};

constexpr option kStat[] = {
    {'L', "dereference"}, {'f', "file-system"}, {'c', "format", V},
    {0, "printf", V},     {'t', "terse"},
};

constexpr option kWc[] = {
    {'c', "bytes"}, {'m', "chars"}, {'l', "lines"}, {'w', "words"}, {'L', "max-line-length"},
};

constexpr option kCut[] = {
    {'b', "bytes", V},     {'c', "characters", V}, {'f', "fields", V},
    {'d', "delimiter", V}, {'s', "only-delimited"}, {0, "complement"},
    {'z', "zero-terminated"}, {0, "output-delimiter", V}, {'n', ""},
};

constexpr option kColumn[] = {
    {'t', "table"}, {'s', "separator", V}, {'o', "output-separator", V},
    {'x', "fillrows"}, {'c', "output-width", V},
};

constexpr option kJq[] = {
    {'r', "raw-output"},    {'c', "compact-output"}, {'e', "exit-status"},
    {'S', "sort-keys"},     {'M', "monochrome-output"}, {'C', "color-output"},
    {'j', "join-output"},   {'a', "ascii-output"},   {'s', "slurp"},
    {'n', "null-input"},    {0, "tab"},              {0, "indent", V},
};

constexpr option kTr[] = {
    {'c', "complement"}, {'C', ""}, {'d', "delete"}, {'s', "squeeze-repeats"}, {'t', "truncate-set1"},
};

// No -o/--output (writes), -T (temporary files where told), --compress-program (runs it).
constexpr option kSort[] = {
    {'b', "ignore-leading-blanks"}, {'d', "dictionary-order"}, {'f', "ignore-case"},
    {'g', "general-numeric-sort"},  {'i', "ignore-nonprinting"}, {'M', "month-sort"},
    {'h', "human-numeric-sort"},    {'n', "numeric-sort"},     {'r', "reverse"},
    {'V', "version-sort"},          {'k', "key", V},           {'t', "field-separator", V},
    {'u', "unique"},                {'z', "zero-terminated"},  {'s', "stable"},
    {'c', ""},                      {'C', ""},                 {'m', "merge"},
    {0, "debug"},
};

constexpr option kUniq[] = {
    {'c', "count"},        {'d', "repeated"},     {'f', "skip-fields", V},
    {'i', "ignore-case"},  {'s', "skip-chars", V}, {'u', "unique"},
    {'w', "check-chars", V}, {'z', "zero-terminated"},
};

// No -i/--in-place (edits), -f/--file (a script the line does not show).
constexpr option kSed[] = {
    {'n', "quiet"}, {0, "silent"}, {'e', "expression", V}, {'E', "regexp-extended"},
    {'r', ""},      {'s', "separate"}, {'z', "null-data"}, {'u', "unbuffered"},
};

// No -f (program files), -i/--include, -l/--load (extensions), -E/--exec.
constexpr option kAwk[] = {{'F', "field-separator", V}, {'v', "assign", V}};

// No -C (compiles a magic file: writes), -m/-f (other inputs), -p (resets atimes).
constexpr option kFile[] = {
    {'b', "brief"}, {'L', "dereference"}, {'h', "no-dereference"}, {'i', "mime"},
    {0, "mime-type"}, {0, "mime-encoding"}, {'z', "uncompress"}, {'Z', "uncompress-noreport"},
    {'k', "keep-going"}, {'s', "special-files"}, {'N', "no-pad"}, {'0', "print0"},
    {'r', "raw"}, {'e', "exclude", V},
};

constexpr option kReadlink[] = {
    {'f', "canonicalize"}, {'e', "canonicalize-existing"}, {'m', "canonicalize-missing"},
    {'n', "no-newline"},   {'q', "quiet"}, {'s', "silent"}, {'v', "verbose"}, {'z', "zero"},
};

constexpr option kRealpath[] = {
    {'e', "canonicalize-existing"}, {'m', "canonicalize-missing"}, {'L', "logical"},
    {'P', "physical"}, {'q', "quiet"}, {'s', "strip"}, {'z', "zero"},
    {0, "relative-to", V}, {0, "relative-base", V},
};

constexpr option kDu[] = {
    {'s', "summarize"}, {'h', "human-readable"}, {'a', "all"}, {'c', "total"},
    {'k', ""}, {'m', ""}, {'x', "one-file-system"}, {'b', "bytes"},
    {'d', "max-depth", V}, {0, "apparent-size"}, {'L', "dereference"}, {'P', "no-dereference"},
    {0, "exclude", V},
};

bool uniq_operands(const invocation& inv, const context&, std::string& why) {
  return inv.operands.size() <= 1 || refuse(why, "uniq IN OUT writes OUT");
}

bool sed_operands(const invocation& inv, const context&, std::string& why) {
  static const RE2 kPrintOnly(R"((?:(?:\d+|\$|/[^/]*/)(?:,(?:\d+|\$|/[^/]*/))?)?p)");
  if (!inv.has_short('n') && !inv.has("silent")) {
    return refuse(why, "sed must be 'sed -n' with print-only scripts");
  }
  std::vector<std::string_view> scripts = inv.values("expression");
  if (scripts.empty() && !inv.operands.empty()) scripts.emplace_back(inv.operands.front());
  if (scripts.empty()) return refuse(why, "sed without a script");
  for (const auto s : scripts) {
    if (!RE2::FullMatch(s, kPrintOnly)) {
      return refuse(why, "sed script '" + std::string(s) + "' is not a print-only address");
    }
  }
  return true;
}

bool awk_operands(const invocation& inv, const context&, std::string& why) {
  if (inv.operands.empty()) return refuse(why, "awk without a program");
  // The first operand is the program; the rest are input files or VAR=value.
  const std::string& program = inv.operands.front();
  if (has_gap(program)) return refuse(why, "awk program is a value to fill in, not a program shown");
  if (program.find("system") != std::string::npos || program.find('>') != std::string::npos ||
      program.find('|') != std::string::npos || program.find('@') != std::string::npos) {
    return refuse(why, "awk program may run commands or write files (system, >, |, @load)");
  }
  return true;
}

constexpr tool_syntax syn(std::string_view name, std::span<const option> o,
                          syntax s = syntax::gnu) {
  return {name, s, o};
}

constexpr tool_spec kText[] = {
    {"grep", syn("grep", kGrep)},
    {"egrep", syn("egrep", kGrep)},
    {"fgrep", syn("fgrep", kGrep)},
    {"zgrep", syn("zgrep", kGrep)},
    {"zegrep", syn("zegrep", kGrep)},
    {"cat", syn("cat", kCat)},
    {"zcat", syn("zcat", kNone)},
    {"xzcat", syn("xzcat", kNone)},
    {"bzcat", syn("bzcat", kNone)},
    {"zstdcat", syn("zstdcat", kNone)},
    {"head", syn("head", kHead)},
    {"tail", syn("tail", kTail)},
    {"ls", syn("ls", kLs)},
    {"stat", syn("stat", kStat)},
    {"wc", syn("wc", kWc)},
    {"cut", syn("cut", kCut)},
    {"column", syn("column", kColumn)},
    {"jq", syn("jq", kJq)},
    {"tr", syn("tr", kTr)},
    {"sort", syn("sort", kSort)},
    {"uniq", syn("uniq", kUniq), uniq_operands},
    {"sed", syn("sed", kSed), sed_operands},
    {"awk", syn("awk", kAwk), awk_operands},
    {"gawk", syn("gawk", kAwk), awk_operands},
    {"mawk", syn("mawk", kAwk), awk_operands},
    {"file", syn("file", kFile)},
    {"readlink", syn("readlink", kReadlink)},
    {"realpath", syn("realpath", kRealpath)},
    {"du", syn("du", kDu)},
};

}  // namespace

std::span<const tool_spec> text_tools() noexcept { return kText; }

}  // namespace migsleuth::classifiers::readonly
