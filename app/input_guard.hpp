// migsleuth never writes its inputs (SECURITY.md "What it never does"). Every
// command calls check_outputs() before it reads anything: an output path that
// is an input, reaches one (symlink, hard link, bind mount: same device and
// inode), or lies inside an input folder is refused with exit 2.
#pragma once

#include <string>
#include <vector>

namespace migsleuth::app {

struct output_target {
  std::string option;  // as the user wrote it: "-o", "--jsonl", "--db"
  std::string path;    // "" and "-" (standard output) are never refused
};

// The refusal message ("error: ... migsleuth never writes its inputs"), or ""
// when no output touches an input. Inputs that do not exist are skipped (the
// reader warns about them).
std::string output_input_conflict(const std::vector<output_target>& outputs,
                                  const std::vector<std::string>& inputs);

// Prints the refusal and returns kExitUsage, or returns kExitOk.
int check_outputs(const std::vector<output_target>& outputs,
                  const std::vector<std::string>& inputs);

}  // namespace migsleuth::app
