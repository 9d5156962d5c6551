// The one way a file becomes an input, whether it came from disk or from a
// tar member: probe the head for the kind, stream every line to that kind's
// parser, account for it in inputs[]. Shared by ingest.cpp (files on disk)
// and archive_ingest.cpp (members).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "parser_seam.hpp"
#include "work_budget.hpp"

namespace migsleuth::ingest {

inline constexpr std::size_t kProbeBytes = 64U << 10;

// Who a file belongs to while it is read. Inside an archive the host file
// (sos_commands/host/hostname) may come after the logs in stream order, so
// members point at a slot that the hostname member refines later; ingest()
// copies the slot's final answer into inputs and events at the end.
struct host_slot {
  shared_text host;  // shared by its inputs
  shared_text from;  // how it was attributed, reported as host_from (shared by its inputs)
  int rank = 0;      // 3 sos hostname file, 2 etc/hostname, 1 sosreport name, 0 folder/archive,
                     // -1 the folder given on the command line (maybe the bundle)
  void offer(shared_text h, shared_text why, int r) {
    if (h.empty() || r <= rank) return;
    host = std::move(h);
    from = std::move(why);
    rank = r;
  }
};

// Each input's host slot, as runs of consecutive inputs that share one: the
// files of one folder do, so 1,000,000 files in 10 folders are 10 runs.
class slot_runs {
 public:
  struct run {
    std::shared_ptr<host_slot> slot;
    std::size_t inputs = 0;
  };
  void push_back(std::shared_ptr<host_slot> slot, std::size_t inputs = 1) {
    if (inputs == 0) return;
    if (!runs_.empty() && runs_.back().slot == slot) {
      runs_.back().inputs += inputs;
    } else {
      runs_.push_back({std::move(slot), inputs});
    }
  }
  void append(slot_runs&& more) {
    for (auto& r : more.runs_) push_back(std::move(r.slot), r.inputs);
    more.runs_.clear();
  }
  const std::vector<run>& runs() const noexcept { return runs_; }

 private:
  std::vector<run> runs_;
};

struct file_origin {
  std::string path;                   // as reported: a path, or "archive!member"
  input_path shown;                   // `path` held by its folder, when the walk held it so
  std::string read_path;              // where the bytes are, when not `path` (standard input)
  std::shared_ptr<host_slot> host;    // never null
  std::string sos_root;               // which sosreport it is in (empty: none)
  std::string kind_note;              // replaces "no known layout" (hostname, date files)
  std::vector<std::string> warnings;  // e.g. sos's .tailed, a sanitized member name
};

// Appends `from`'s events to `to`, taking the list whole when `to` is empty:
// grown event by event beside `from`, both lists (and the new one's doubling
// slack) were held at once, the peak of a log of many long lines (issue 20).
inline void take_events(std::vector<event>& to, std::vector<event>& from) {
  if (to.empty()) {
    to = std::move(from);
  } else {
    for (auto& ev : from) to.push_back(std::move(ev));
  }
  std::vector<event>().swap(from);
}

// What one ingest() run accumulates; the vectors run parallel to out.inputs.
struct ingest_state {
  const ingest_options& opt;
  std::shared_ptr<const shape_set> shapes;
  analysis_input& out;
  slot_runs slots;  // one per input
  // Only the inputs in a sosreport, with their ids (increasing): most are not.
  std::vector<std::pair<input_id, std::string>> sos_roots;
  // The host each input was parsed as, for --tz (empty without --tz: every
  // input was parsed as UTC).
  std::vector<std::string> hosts_used;
  deferred_events* deferred = nullptr;  // set: deferrable events go there (defer_log_lines)
  std::size_t part = 0;                 // the file's position in the walk, for `deferred`
  std::size_t piece = 0;                // a split file's range (1, 2, ...), for `deferred`
  // The file on disk's share of the work (decompressed bytes, members);
  // null only where nothing is decompressed (a split plain log's ranges).
  work_budget* budget = nullptr;
};

// Content over names: a syslog file says which host logged it. A folder or
// archive name that disagrees is reported, and an unattributed file takes it.
void check_content_host(file_origin& o, std::string_view head);

// A capture that names its own host (shell prompt, virsh URI): taken when
// the path names none, else a warning if they disagree.
void adopt_content_host(file_origin& o, const parse_result& r);

// The --tz offset given for `host` (local = UTC + offset), 0 when none.
std::int64_t tz_offset_for(const ingest_options& opt, std::string_view host);

// What the parser of `o`'s input `id` is told (host, --tz offset, file name).
line_context context_for(const file_origin& o, input_id id, const ingest_options& opt);

// Frees the buffers the calling thread reuses from file to file (a head, a
// 1 MiB chunk, a first read, a range's chunk): a pool thread's go when it
// ends, the thread that called ingest() keeps none through the analysis.
void release_thread_buffers();

// Reads up to `n` bytes (fewer only at the end of the stream).
std::string read_head(byte_source& src, std::size_t n = kProbeBytes);

// Appends an input for `o` (host from its slot) and returns its id.
input_id push_input(input in, const file_origin& o, ingest_state& st);

// Lists a file that is not read, with why; `unreadable` sets exit code 3.
void list_unread(const file_origin& o, std::string warning, bool unreadable, ingest_state& st,
                 std::string kind_reason = "not read");

// Reads a decompressed stream as one input: `head` holds its first bytes
// (already read for probing), `rest` the remainder.
void read_log(const file_origin& o, std::string head, byte_source& rest, compression packing,
              ingest_state& st);

// Reads a tar stream (`tar` is already decompressed) member by member:
// logs are parsed, nested tarballs opened up to a bounded depth, nothing
// extracted. `o` is the archive itself; its input is listed first.
void read_archive(const file_origin& o, byte_source& tar, compression packing, int depth,
                  ingest_state& st);

}  // namespace migsleuth::ingest
