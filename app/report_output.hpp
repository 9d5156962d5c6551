// `analyze`'s output side: which report formats (`--format text,json,...`),
// where they go (stdout, `-o FILE`, or `-o BASE` + one extension per format),
// colour, and `--explain` on stderr. Kept apart from cmd_analyze.cpp so the
// pipeline call and the writing stay small, separate edits.
#pragma once

#include <string>
#include <vector>

#include "commands.hpp"
#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/report/report.hpp"

namespace migsleuth::app {

// "text", "json,html", "auto" -> list of formats (auto = text), no repeats.
// False with a message when a name is unknown.
bool parse_formats(const std::string& spec, std::vector<std::string>& out, std::string& error);

// The file a format goes to: `-o PATH` itself for one format; for several,
// PATH (minus a known report extension) + ".txt" / ".json" / ".md" / ".html".
std::string output_path(const std::string& base, const std::string& format, bool several);

// Writes every requested report (app/output_file: temporary + rename, every
// write checked); returns kExitOk, kExitUsage when several formats lack -o, or
// kExitWriteFailed (with `error: cannot write PATH: reason`).
int write_reports(const analyze_options& opt, const report::report_data& r);

// What an operator means, as ripgrep or curl would read it: `-o -` is standard
// output, and `-o report.json` with no --format writes JSON (the extension
// says which: .json, .html, .md, .txt). Applied before anything else.
void settle_output(analyze_options& opt);

// `--explain` to stderr.
void print_explain(const report::report_data& r, const classifiers::rule_book& book);

}  // namespace migsleuth::app
