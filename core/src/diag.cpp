#include "migsleuth/core/diag.hpp"

#include <fmt/format.h>

namespace migsleuth {

std::string format_diag(const diag& d) {
  const char* label = d.level == severity::error     ? "error"
                      : d.level == severity::warning ? "warning"
                                                     : "note";
  std::string out = fmt::format("{}: {}\n", label, d.message);
  if (!d.reason.empty()) out += fmt::format("  reason: {}\n", d.reason);
  if (!d.file.empty()) {
    out += fmt::format("  --> {}", d.file);
    if (d.line > 0) out += fmt::format(":{}", d.line);
    if (d.column > 0) out += fmt::format(":{}", d.column);
    out += '\n';
  }
  if (!d.help.empty()) out += fmt::format("  help: {}\n", d.help);
  return out;
}

}  // namespace migsleuth
