// What we know about sosreport layouts (classic and containerized OpenStack
// computes, sos clean, OpenShift must-gather), kept as data like insights'
// specs/sos_archive.py: which paths hold logs we read, which hold the host
// name, how a sosreport names itself, and how tar member names are made safe.
//
// What it does not do: open files. walk.cpp (folders) and archive_ingest.cpp
// (tar members) ask it questions about paths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace migsleuth::ingest {

// A sosreport holds thousands of files; only these (relative to its root)
// are looked at and listed in inputs[]. Archive-named files are kept too:
// a sosreport may hold inner tarballs (--pack-dir, must-gather).
bool sos_path_matters(std::string_view rel) noexcept;

// True for names that look like tarballs (`.tar`, `.tar.gz`, `.tgz`, ...).
// A name only makes a file a candidate; the content decides.
bool archive_named(std::string_view name) noexcept;

// Rank of a file that names the host of its sosreport: 3 for
// sos_commands/host/hostname, 2 for etc/hostname, 0 when it names none.
int sos_host_file_rank(std::string_view rel) noexcept;

// "sosreport-cmp1-01234567-2024-03-05-abcdef.tar.xz" -> "cmp1"; a must-gather
// folder "sosreport-worker-0" -> "worker-0"; empty when not a sosreport name.
std::string host_from_sos_name(std::string_view name);

// sos clean replaces host names with host0, host1, ...: two sosreports
// cleaned apart may both say host0, so such names are qualified.
bool obfuscated_host(std::string_view host) noexcept;

// The first line of a hostname file, trimmed; empty if it is not a name.
std::string hostname_from_content(std::string_view content);

// Where the sosreport root ends in `path` (a member or file path): the
// prefix up to and including a `sosreport-*` folder, or the folder holding
// sos_commands/ or sos_reports/. npos when the path is in no sosreport.
std::size_t sos_root_end(std::string_view path) noexcept;

// What a sosreport file that is not a log is, for kind_reason: the host
// name file and the date captures. Empty for other paths.
std::string_view sos_kind_note(std::string_view rel) noexcept;

// What a sosreport metadata file (sos_kind_note non-empty) holds, read for
// what it says rather than as a log: the host name it names, the time sos
// ran. `not_understood` counts only lines that say neither.
struct sos_metadata {
  std::string reason;  // the note, plus what the content says
  std::uint64_t lines = 0;
  std::uint64_t not_understood = 0;
};
sos_metadata read_sos_metadata(std::string_view note, std::string_view text);

// sos renames a log it cut at its size limit to `<name>.tailed`.
bool sos_tailed(std::string_view name) noexcept;
inline constexpr std::string_view kTailedWarning =
    "sos kept only the tail of this log (it was larger than the sos size limit); its head is "
    "missing";

// A tar member name as we report it: no leading '/', no '.' or '..'
// components. `changed` says whether anything had to be removed.
std::string sanitize_member_name(std::string_view name, bool& changed);

}  // namespace migsleuth::ingest
