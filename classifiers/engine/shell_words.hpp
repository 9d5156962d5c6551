// A small POSIX-shell tokenizer for confirmation commands: splits a command
// line into pipeline/list segments of words, resolving quotes, and rejects the
// constructs whose effect cannot be known from the text (command substitution,
// unquoted expansion, globs (but see kGlobMark), brace and history expansion, subshells, background jobs, here-documents) and every
// output redirection except into /dev/null or onto another descriptor. A `#` is
// an ordinary word: interactive zsh does not treat it as a comment, so the
// words after it are judged as the arguments they are there.
//
// What it does not do: decide whether a word list is a query (readonly.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::classifiers {

using shell_words = std::vector<std::string>;

// An unquoted '*' in a word that starts with '/' (an absolute path such as
// /var/log/nova/nova-compute.log*, which reads the rotated files too) is kept
// as this character: the shell expands it to absolute paths only, so never to
// an option, but it may make several words, which only tools that take any
// number of files accept (readonly.cpp). Every other glob is refused.
inline constexpr char kGlobMark = '\x1d';

// Segments split on `|`, `||`, `&&`, `;`. False with `why` when the line uses a
// construct outside the safe subset.
bool split_shell(std::string_view line, std::vector<shell_words>& segments, std::string& why);

}  // namespace migsleuth::classifiers
