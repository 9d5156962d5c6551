// Finds the files under the given paths and attributes each to a host.
// Directory symlinks are not followed (no loops); FIFOs, sockets and devices
// are listed with a warning and never opened.
#pragma once

#include <string>
#include <vector>

namespace migsleuth::parsers {

struct found_file {
  std::string path;       // as it will be reported (root as given + relative part)
  std::string host;       // empty when it could not be attributed
  std::string host_from;  // how the host was attributed
  std::string skip_reason;  // non-empty: list it, do not open it
  bool unreadable = false;  // skipped because it could not be read (exit code 3)
};

std::vector<found_file> walk_paths(const std::vector<std::string>& roots);

// The host a path belongs to: the nearest ancestor folder that is not part of
// a log tree layout (var, log, nova, libvirt, qemu, containers, ...).
std::string host_from_path(const std::string& path);

}  // namespace migsleuth::parsers
