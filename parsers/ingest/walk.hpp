// Finds the files under the given paths and attributes each to a host.
// Links below a given path: folder links are never followed (no loops, no
// `ln -s /`), file links only when their target lies inside the given path;
// the others are listed with a warning and not read. FIFOs, sockets and
// devices are listed with a warning and never opened; a folder that cannot
// be listed is an entry of its own (unreadable, with the OS reason). Inside a sosreport tree only
// the files that matter are kept (sosreport.hpp), and the host comes from its
// hostname file before its name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::parsers {

struct found_file {
  std::string path;       // as it will be reported (root as given + relative part)
  std::string read_path;  // where the bytes are, when not `path` ("-": the spooled standard input)
  std::string host;       // empty when it could not be attributed
  std::string host_from;  // how the host was attributed
  std::string skip_reason;  // non-empty: list it, do not open it
  bool unreadable = false;  // skipped because it could not be read (exit code 3)
  int host_rank = 0;        // host_slot rank of the attribution (read_stream.hpp)
  std::string sos_root;     // the sosreport folder it is in, or empty
  std::string kind_note;    // sosreport hostname/date files: what they are
  std::vector<std::string> notes;  // warnings known before reading (sos .tailed)
  bool in_given_folder = false;    // directly in a folder named on the command line
};

// A root "-" is standard input, read from `stdin_path` (ingest_options).
std::vector<found_file> walk_paths(const std::vector<std::string>& roots,
                                   const std::string& stdin_path = {});

// The host a path belongs to: the nearest ancestor folder that is not part of
// a log tree layout (var, log, nova, libvirt, qemu, containers, ...).
std::string host_from_path(const std::string& path);

// The same, within a relative path only (a tar member name): empty when no
// folder of `rel` names a host.
std::string host_folder_in(std::string_view rel);

}  // namespace migsleuth::parsers
