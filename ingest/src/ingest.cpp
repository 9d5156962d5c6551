// Orchestrates one pass per file on disk: open (decompressing by magic),
// probe the head, then either stream it as a log (read_stream.cpp) or, when
// the head is a tar header, member by member (archive_ingest.cpp). Hosts that
// an archive only names late are settled at the end, in finish_hosts().
#include "migsleuth/ingest/ingest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "archive_reader.hpp"
#include "folder_handle.hpp"
#include "migsleuth/core/worker_pool.hpp"
#include "part_merge.hpp"
#include "prefix_reads.hpp"
#include "read_stream.hpp"
#include "sosreport.hpp"
#include "split_file.hpp"
#include "time_zones.hpp"
#include "walk.hpp"

namespace migsleuth::ingest {
namespace {

std::string archive_stem(std::string_view name) {
  for (std::string_view s : {".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz",
                             ".tbz2", ".tzst", ".tar"}) {
    if (name.size() > s.size() && name.substr(name.size() - s.size()) == s) {
      return std::string(name.substr(0, name.size() - s.size()));
    }
  }
  return std::string(name);
}

// `shared`: the slot of the file's folder, when the walk held it by its
// folder (its attribution is the folder's); else the file gets its own.
file_origin origin_of(const found_file& f, std::shared_ptr<host_slot> shared = nullptr) {
  file_origin o;
  o.path = f.path;
  o.shown = f.shown;
  o.read_path = f.read_path;
  o.host = shared ? std::move(shared)
                  : std::make_shared<host_slot>(host_slot{f.host, f.host_from, f.host_rank});
  o.sos_root = f.sos_root;
  o.kind_note = f.kind_note;
  o.warnings = f.notes;
  return o;
}

// `folder_fd`: the open folder of a file the walk held by its folder, or -1.
void read_one(const found_file& f, std::shared_ptr<host_slot> shared, ingest_state& st,
              int folder_fd) {
  file_origin o = origin_of(f, std::move(shared));
  if (!f.skip_reason.empty()) {
    list_unread(o, f.skip_reason, f.unreadable, st);
    return;
  }
  std::string error;
  auto src = f.read_path.empty() ? open_source(f.path, *st.budget, error, f.bytes, folder_fd)
                                 : open_source(f.read_path, *st.budget, error, f.bytes);
  if (!src) {
    list_unread(o, error, true, st);
    return;
  }
  std::string head = read_head(*src);
  if (!looks_like_tar(head)) {
    read_log(o, std::move(head), *src, src->packing(), st);
    return;
  }
  // A tarball handed over next to others ("bundle/cmp-a.tar.xz") is named
  // after its host; one inside a host folder belongs to that folder.
  const std::string name = f.path.substr(f.path.find_last_of('/') + 1);
  // Its hostname member may refine its host: a slot of its own, not its
  // folder's.
  o.host = std::make_shared<host_slot>(*o.host);
  if (const std::string sos = host_from_sos_name(name); !sos.empty()) {
    o.host->offer(sos, "sosreport name '" + name + "'", 1);
  } else if (f.in_given_folder || f.host.empty()) {
    *o.host = host_slot{archive_stem(name), "archive name '" + name + "'", 0};
  }
  replay_source tar(std::move(head), *src);
  read_archive(o, tar, src->packing(), 1, st);
}

// Copies each slot's final host into its inputs and events. Two sosreports
// cleaned apart by `sos clean` may both call their host host0: such names are
// qualified with their sosreport so that two machines never merge.
void finish_hosts(ingest_state& st) {
  auto& inputs = st.out.inputs;
  std::map<std::string, std::set<std::string>> roots_of;
  std::map<const host_slot*, std::size_t> sharing;  // inputs per slot
  for (const auto& run : st.slots.runs()) sharing[run.slot.get()] += run.inputs;
  std::size_t at = 0;
  for (const auto& run : st.slots.runs()) {
    const host_slot& slot = *run.slot;
    for (std::size_t k = 0; k < run.inputs && at < inputs.size(); ++k, ++at) {
      input& in = inputs[at];
      in.host = slot.host;
      in.host_from = slot.from;
      // A tarball named only by its file name, whose members all sit in host
      // folders of their own (migsleuth collect's HOST/..., a case tarball of
      // cmp-a/ and cmp-b/), is no host itself: its name is not a machine.
      if (slot.rank == 0 && sharing[&slot] == 1 &&
          in.host_from.rfind("archive name '", 0) == 0) {
        in.host.clear();
        in.host_from = "none: every member is filed under a host folder of its own";
      }
    }
  }
  for (const auto& [id, root] : st.sos_roots) roots_of[inputs[id].host].insert(root);
  auto sos_root = st.sos_roots.begin();  // ids increase
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    input& in = inputs[i];
    while (sos_root != st.sos_roots.end() && sos_root->first < i) ++sos_root;
    const bool in_sos = sos_root != st.sos_roots.end() && sos_root->first == i;
    const auto clash = roots_of.find(in.host);
    if (in_sos && obfuscated_host(in.host) && clash != roots_of.end() &&
        clash->second.size() > 1) {
      const std::string& root = sos_root->second;
      const std::string tag(input_file_name(root));
      in.host_from += "; '" + in.host + "' looks obfuscated by sos clean and " +
                      std::to_string(clash->second.size()) +
                      " sosreports use it, so it is qualified with its sosreport";
      in.host += "@" + (tag.empty() ? root : tag);
    }
    if (st.hosts_used.empty()) continue;  // no --tz: every file was parsed as UTC
    const std::string& parsed_as = st.hosts_used[i];
    if (tz_offset_for(st.opt, in.host) != tz_offset_for(st.opt, parsed_as)) {
      in.warnings.push_back("--tz for '" + in.host +
                            "' was not applied: the archive named this host only after this "
                            "file was read; give --tz for '" + parsed_as + "' instead");
    }
  }
  for (auto& ev : st.out.events) {
    if (ev.where.input < inputs.size()) ev.host = inputs[ev.where.input].host;
  }
}

// Files up to this size on disk are read in walk order (one read each).
constexpr std::uint64_t kSmallFile = 64U << 10;

// read_one for a file read while the walk goes on (prefix_reads.hpp): one
// listed unread, or a small plain file that is no archive. Neither takes
// anything from the work budget. False: nothing was read (the file is read
// after the walk). `bytes`: its size.
bool read_one_small(const found_file& f, std::shared_ptr<host_slot> shared, ingest_state& st,
                    int folder_fd, bool held_by_folder, std::uint64_t& bytes) {
  if (!f.skip_reason.empty()) {
    list_unread(origin_of(f, std::move(shared)), f.skip_reason, f.unreadable, st);
    return true;
  }
  // A file the walk held by its folder was a regular file when listed; a
  // link kept whole was let through by the walk (link_entry).
  auto src = open_small_plain({f.path, folder_fd, !held_by_folder, kSmallFile}, bytes);
  if (!src) return false;
  std::string head = read_head(*src);
  if (looks_like_tar(head)) return false;
  read_log(origin_of(f, std::move(shared)), std::move(head), *src, compression::none, st);
  return true;
}

// Files held by their folder share its host slot (one per folder, not per
// file), made at the first of them read. Its attribution is the folder's:
// that of a folder whose host the walk may still change (settle_bundle_root)
// is only taken once the walk is over.
class folder_slots {
 public:
  std::shared_ptr<host_slot> of(std::uint32_t folder, const found_file& f) {
    if (folder == walk_list::kNoFolder) return nullptr;
    const std::lock_guard lock(mu_);
    if (slots_.size() <= folder) slots_.resize(folder + 1);
    auto& slot = slots_[folder];
    if (!slot) slot = std::make_shared<host_slot>(host_slot{f.host, f.host_from, f.host_rank});
    return slot;
  }

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<host_slot>> slots_;
};

// The analysis-wide totals (SECURITY.md "Limits"): four files' worth of
// decompressed bytes and members, unless given.
work_amounts total_work(const ingest_options& o) {
  const auto four_times = [](std::uint64_t v) { return v > UINT64_MAX / 4 ? UINT64_MAX : 4 * v; };
  return {o.max_total_decompressed_bytes != 0 ? o.max_total_decompressed_bytes
                                              : four_times(o.max_decompressed_bytes),
          o.max_total_archive_members != 0 ? o.max_total_archive_members
                                           : four_times(o.max_archive_members)};
}

template <typename T>
void release(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

// Each reading thread keeps the folder of its last file open (folder_handle):
// small files are taken in walk order, so the next one is mostly in the same
// folder. The key names the analysis too, as a thread may read for several.
std::atomic<std::uint32_t> analyses{0};
thread_local folder_handle reading_folder;

// Closes the calling thread's folder and frees its reading buffers when the
// reading ends (the pool's own threads let theirs go as they end): it reads
// too, and the analysis goes on on it.
struct reading_folder_closer {
  reading_folder_closer() = default;
  reading_folder_closer(const reading_folder_closer&) = delete;
  reading_folder_closer& operator=(const reading_folder_closer&) = delete;
  ~reading_folder_closer() {
    reading_folder.close();
    release_thread_buffers();
  }
};

// One unit of work: a whole file, or one range of a split file.
// (Eight bytes: a million-file bundle has a million tasks.)
struct task {
  std::uint32_t file = 0;
  std::uint32_t range = kWhole;
  static constexpr std::uint32_t kWhole = UINT32_MAX;
};

// The threads that read: `jobs`, or one per core.
std::size_t reading_threads(unsigned jobs) {
  return jobs != 0 ? jobs : std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace

analysis_input ingest(const ingest_options& options, std::shared_ptr<const shape_set> shapes) {
  auto deferred = options.defer_log_lines ? std::make_shared<deferred_events>() : nullptr;
  analysis_input out;
  out.deferred = deferred;
  ingest_state merged{options, shapes, out, {}, {}, {}, nullptr, 0};
  walk_order_merge merge(merged);
  folder_slots slots;
  const std::uint64_t analysis = analyses.fetch_add(1, std::memory_order_relaxed);
  const reading_folder_closer closer;

  // The walk, on one thread, and the files at its head read on the others
  // as it lists them (prefix_reads.hpp).
  walk_list files;
  listing_progress progress;
  files.share(&progress);
  prefix_reads head(files, progress, options.cancel);
  const auto read_early = [&](const listed_file& l, std::uint64_t& bytes) {
    const found_file& f = l.file;
    // A host the walk may still change (the folder given may turn out to be
    // the bundle), or standard input (spooled): after the walk. So is a file
    // kept whole to be read (a sosreport's, a link): a sosreport's small
    // files come before its logs, and read first they only moved its peak.
    const bool by_folder = l.folder != walk_list::kNoFolder;
    if (f.host_rank < 0 || !f.read_path.empty() || (!by_folder && f.skip_reason.empty())) {
      return false;
    }
    const int fd = by_folder ? reading_folder.at_file(analysis << 32 | l.folder, f.path) : -1;
    auto part = std::make_unique<file_part>();
    // No ledger: nothing read here is charged to the budget.
    work_budget budget(options.max_decompressed_bytes, options.max_archive_members);
    ingest_state st{options, shapes, part->out, {}, {}, {}, deferred.get(), l.index, 0, &budget};
    if (!read_one_small(f, slots.of(l.folder, f), st, fd, by_folder, bytes)) return false;
    part->take_state(st);
    merge.settle(l.index, std::move(part));
    return true;
  };
  for_each_task(reading_threads(options.jobs), options.jobs, nullptr, [&](std::size_t t) {
    if (t == 0) {
      const prefix_reads::walk_end end(head);
      list_paths(files, options.paths, options.stdin_path);
      merge.reserve(files.size());
    }
    head.read(read_early);
  });
  files.share(nullptr);

  // The rest as before: sizes, then largest first.
  stat_listed_sizes(files, options.jobs);
  std::vector<std::unique_ptr<split_file>> splits(files.size());
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (head.was_read(i)) continue;
    order.push_back(i);
    if (options.split_bytes != 0 && files.bytes(i) > 2 * options.split_bytes) {
      const found_file f = files.at(i);
      splits[i] = split_file::plan(origin_of(f, slots.of(files.folder_of(i), f)), i, options,
                                   shapes, deferred.get());
    }
  }
  // Bytes on disk (a compressed file counts its compressed size): threads
  // take files largest first, so that no thread is left alone with a large
  // file at the end. Files smaller than one read keep walk order, after the
  // larger ones: by size they gained no balance, and each one read ahead of
  // its turn waited for it (a tenth of a million-file tree, a few hundred
  // bytes each).
  const auto weight = [&](std::size_t i) {
    return files.bytes(i) < kSmallFile ? 0 : files.bytes(i);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return weight(a) > weight(b); });
  std::vector<task> tasks;
  tasks.reserve(order.size());
  for (const std::size_t i : order) {
    const std::size_t ranges = splits[i] ? splits[i]->ranges() : 0;
    const auto file = static_cast<std::uint32_t>(i);
    if (ranges == 0) tasks.push_back({file, task::kWhole});
    for (std::size_t k = 0; k < ranges; ++k) tasks.push_back({file, static_cast<std::uint32_t>(k)});
  }
  release(order);

  work_ledger ledger(tasks.size(), total_work(options),
                     {options.max_decompressed_bytes, options.max_archive_members});
  const auto folder_fd = [&](std::size_t i) {
    const std::uint32_t k = files.folder_of(i);
    return k == walk_list::kNoFolder ? -1
                                     : reading_folder.at(analysis << 32 | k, files.folder(k).path);
  };
  const auto read_whole = [&](std::size_t i, work_budget& budget) {
    auto part = std::make_unique<file_part>();
    ingest_state st{options, shapes, part->out, {}, {}, {}, deferred.get(), i, 0, &budget};
    const found_file f = files.at(i);
    read_one(f, slots.of(files.folder_of(i), f), st, folder_fd(i));
    part->take_state(st);
    merge.settle(i, std::move(part));
  };
  const auto read_task = [&](std::size_t t) {
    const std::size_t i = tasks[t].file;
    // Every task holds its place in the ledger, even one that decompresses
    // nothing: later tasks wait for it to say how much it used.
    work_budget budget(options.max_decompressed_bytes, options.max_archive_members, &ledger, t);
    if (tasks[t].range == task::kWhole) {
      read_whole(i, budget);
      return;
    }
    if (!splits[i]->read_range(tasks[t].range)) return;  // another range is still read
    auto part = std::make_unique<file_part>();
    ingest_state st{options, shapes, part->out, {}, {}, {}, deferred.get(), i};
    if (splits[i]->finish(st)) {
      part->take_state(st);
      splits[i].reset();
      merge.settle(i, std::move(part));
    } else {
      if (deferred) deferred->discard(i);
      splits[i].reset();
      read_whole(i, budget);
    }
  };
  // The core pool's rules (worker_pool.hpp): tasks taken in this order
  // (largest first), `options.jobs` threads with this one (0: one per core),
  // the first exception (std::bad_alloc on a hostile input) rethrown here
  // after the join, nothing taken once `cancel` is set. A task once taken is
  // always run (a cancelled one returns at its first chunk): a later task may
  // wait in the ledger for its place.
  for_each_task(tasks.size(), options.jobs, options.cancel, read_task);
  // What only the reading needed goes before the merge: with 100,000 files
  // the walk's list alone is tens of MB.
  const std::size_t listed = files.size();
  files.clear();
  release(tasks);
  release(splits);

  out.cancelled = cancel_requested(options);
  // Files a cancelled run never read are listed as they were (empty).
  merge.merge_rest(listed);
  finish_hosts(merged);
  derive_time_zones(out, options);
  std::sort(out.links.begin(), out.links.end());
  out.links.erase(std::unique(out.links.begin(), out.links.end()), out.links.end());
  return out;
}

void for_each_deferred(const analysis_input& in, const std::function<void(event&)>& fn,
                       const deferred_events::wanted_fn& wanted) {
  if (!in.deferred) return;
  in.deferred->for_each([&](event& ev) {
    if (ev.where.input < in.inputs.size()) ev.host = in.inputs[ev.where.input].host;
    if (ev.local_clock) {
      if (auto it = in.local_clock_shift.find(ev.host); it != in.local_clock_shift.end()) {
        ev.time.add_seconds(-it->second);
      }
    }
    fn(ev);
  }, wanted);
}

}  // namespace migsleuth::ingest
