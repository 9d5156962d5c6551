// The files a walk found, held compactly: a bundle of 1,000,000 tiny files
// is 1,000,000 entries that live until every file is read. Files of one
// folder share its attribution (host, how, sosreport, given folder), so an
// ordinary file costs its name and size; a file with anything of its own (a
// reason not to read it, a note, a path of its own) is kept whole.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/input_path.hpp"

namespace migsleuth::ingest {

struct found_file {
  std::string path;       // as it will be reported (root as given + relative part)
  input_path shown;       // `path` as its folder and name, when the walk held it so
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
  std::uint64_t bytes = 0;         // size on disk when it is read (0: skipped)
};

// A list read while the walk still adds to it: ingest reads the files at
// its head as soon as they are listed (prefix_reads.hpp). The walk changes
// the list only under `mutex` and wakes `grew` after; a reader holds `mutex`
// while it looks at the list.
struct listing_progress {
  std::mutex mutex;
  std::condition_variable grew;
  bool ended = false;  // the walk is over: the list will not grow (set by its caller)
};

class walk_list {
 public:
  static constexpr std::uint32_t kNoFolder = UINT32_MAX;
  // A file listed by name whose size is not taken yet (stat_listed_sizes).
  static constexpr std::uint64_t kUnknownBytes = UINT64_MAX;

  // A folder whose files share `shared`'s attribution; `shared.path` is
  // what goes before a file's name ("bundle/cmp-a/").
  std::uint32_t add_folder(found_file shared);
  // A file whose attribution is all its folder's: kept as its name and size.
  void add_in_folder(std::uint32_t folder, std::string_view name, std::uint64_t bytes);
  // A file with something of its own, kept whole.
  void add(found_file f);

  std::size_t size() const noexcept { return entries_.size(); }
  found_file at(std::size_t i) const;
  // Sizes order the reading (largest first), plan splits, and tell the
  // reader when its first read already holds the whole file.
  std::uint64_t bytes(std::size_t i) const noexcept { return bytes_[i]; }
  void set_bytes(std::size_t i, std::uint64_t n) noexcept { bytes_[i] = n; }
  // The name of a compactly held file (empty for one kept whole).
  std::string_view name(std::size_t i) const noexcept;
  // A compactly held file found not readable after all (it vanished, or is
  // no longer a regular file): kept whole from now on, with why.
  void set_unread(std::size_t i, std::string reason, bool unreadable);
  // The folder of a compactly held file (kNoFolder: one kept whole). Files of
  // one folder may share what is derived from their attribution.
  std::uint32_t folder_of(std::size_t i) const noexcept { return entries_[i].folder; }
  std::size_t folders() const noexcept { return folders_.size(); }
  // What the files of folder `k` share (its path: what goes before a name).
  const found_file& folder(std::size_t k) const noexcept { return folders_[k]; }

  // A folder given on the command line that holds host folders is the
  // bundle: entries from `first` attributed to it (rank < 0) lose that host.
  void settle_bundle_root(std::size_t first, const std::string& given_name);

  void clear();

  // From now on every change takes `progress`'s mutex and wakes its readers
  // (null: the list is not shared).
  void share(listing_progress* progress) noexcept { shared_ = progress; }

 private:
  // The shared list's mutex (no lock when not shared), and its readers'
  // wake-up once the change is made.
  std::unique_lock<std::mutex> hold() const;
  void wake() const;

  struct entry {                 // 16 bytes
    path_names::kept_name name = nullptr;  // in names_ (compact); null: whole_[index]
    std::uint32_t index = 0;
    std::uint32_t folder = kNoFolder;
  };

  std::vector<found_file> folders_;
  std::vector<input_path> folder_paths_;  // by folder: what its files' paths share
  path_names names_;  // compact files' names, which their inputs' paths keep using
  std::deque<entry> entries_;   // no reallocation copies as it grows
  std::deque<std::uint64_t> bytes_;  // by entry
  std::vector<found_file> whole_;
  listing_progress* shared_ = nullptr;
};

}  // namespace migsleuth::ingest
