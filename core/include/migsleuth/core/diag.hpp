// Diagnostics a person can act on: error / reason / --> file:line:col / help.
// Libraries return these; only app/ prints them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace migsleuth {

enum class severity : std::uint8_t { error, warning, note };

struct diag {
  severity level = severity::error;
  std::string message;
  std::string reason;
  std::string file;  // empty when not tied to a file
  int line = 0;      // 1-based, 0 = unknown
  int column = 0;
  std::string help;
};

// "error: msg\n  reason: ...\n  --> file:line:col\n  help: ...\n"
std::string format_diag(const diag& d);

using diags = std::vector<diag>;

}  // namespace migsleuth
