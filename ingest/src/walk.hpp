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

#include "walk_list.hpp"

namespace migsleuth::ingest {

// A root "-" is standard input, read from `stdin_path` (ingest_options).
// Files in path order (folders sorted, then walked in that order). Sizes of
// regular files are taken after the listing, on `jobs` threads (0: one per
// core; stat_listed_sizes).
walk_list walk_paths(const std::vector<std::string>& roots, const std::string& stdin_path = {},
                     unsigned jobs = 1);

// The same listing, added to `out`, without the sizes of the files listed
// by name (walk_list::kUnknownBytes): `out` may be shared with threads that
// read files while it grows (walk_list::share).
void list_paths(walk_list& out, const std::vector<std::string>& roots,
                const std::string& stdin_path = {});

// Sets the size of every file listed with walk_list::kUnknownBytes; one that
// is gone or no longer a regular file is listed unread, with the reason.
void stat_listed_sizes(walk_list& files, unsigned jobs);

// The host a path belongs to: the nearest ancestor folder that is not part of
// a log tree layout (var, log, nova, libvirt, qemu, containers, ...).
std::string host_from_path(const std::string& path);

// The same, within a relative path only (a tar member name): empty when no
// folder of `rel` names a host.
std::string host_folder_in(std::string_view rel);

}  // namespace migsleuth::ingest
