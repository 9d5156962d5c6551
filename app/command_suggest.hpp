// A subcommand typed wrong ("anlyze", "scna", "rules lnt") gets the one it
// was close to, instead of CLI11's "A subcommand is required".
#pragma once

#include <CLI/CLI.hpp>

namespace migsleuth::app {

// Walks argv's leading words down the subcommand tree. When a word is no
// subcommand of a command that requires one, prints "error: unknown command
// 'X'; did you mean 'Y'?" (or the list of commands) and returns false.
// Options stop the walk: CLI11 then reports what is wrong with them.
bool check_subcommand_words(const CLI::App& app, int argc, const char* const* argv);

// Damerau-Levenshtein distance (adjacent transpositions count 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace migsleuth::app
