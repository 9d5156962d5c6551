// Orchestrates one pass per file on disk: open (decompressing by magic),
// probe the head, then either stream it as a log (read_stream.cpp) or, when
// the head is a tar header, member by member (archive_ingest.cpp). Hosts that
// an archive only names late are settled at the end, in finish_hosts().
#include "migsleuth/parsers/ingest.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "ingest/archive_reader.hpp"
#include "ingest/read_stream.hpp"
#include "ingest/sosreport.hpp"
#include "ingest/walk.hpp"

namespace migsleuth::parsers {
namespace {

std::int64_t offset_for(const ingest_options& opt, const std::string& host) {
  for (const auto& tz : opt.time_zones) {
    if (tz.host == host) return tz.offset_seconds;
  }
  return 0;
}

std::string archive_stem(std::string_view name) {
  for (std::string_view s : {".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz",
                             ".tbz2", ".tzst", ".tar"}) {
    if (name.size() > s.size() && name.substr(name.size() - s.size()) == s) {
      return std::string(name.substr(0, name.size() - s.size()));
    }
  }
  return std::string(name);
}

void read_one(const found_file& f, ingest_state& st) {
  file_origin o;
  o.path = f.path;
  o.host = std::make_shared<host_slot>(host_slot{f.host, f.host_from, f.host_rank});
  o.sos_root = f.sos_root;
  o.kind_note = f.kind_note;
  o.warnings = f.notes;
  if (!f.skip_reason.empty()) {
    list_unread(o, f.skip_reason, f.unreadable, st);
    return;
  }
  std::string error;
  auto src = open_source(f.path, st.opt.max_decompressed_bytes, error);
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
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    inputs[i].host = st.slots[i]->host;
    inputs[i].host_from = st.slots[i]->from;
    if (!st.sos_roots[i].empty()) roots_of[inputs[i].host].insert(st.sos_roots[i]);
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    input& in = inputs[i];
    const auto clash = roots_of.find(in.host);
    if (obfuscated_host(in.host) && clash != roots_of.end() && clash->second.size() > 1) {
      const std::string& root = st.sos_roots[i];
      const std::string tag = root.substr(root.find_last_of("/!") + 1);
      in.host_from += "; '" + in.host + "' looks obfuscated by sos clean and " +
                      std::to_string(clash->second.size()) +
                      " sosreports use it, so it is qualified with its sosreport";
      in.host += "@" + (tag.empty() ? root : tag);
    }
    const std::string& parsed_as = st.hosts_used[i];
    if (offset_for(st.opt, in.host) != offset_for(st.opt, parsed_as)) {
      in.warnings.push_back("--tz for '" + in.host +
                            "' was not applied: the archive named this host only after this "
                            "file was read; give --tz for '" + parsed_as + "' instead");
    }
  }
  for (auto& ev : st.out.events) {
    if (ev.where.input < inputs.size()) ev.host = inputs[ev.where.input].host;
  }
}

}  // namespace

analysis_input ingest(const ingest_options& options, std::shared_ptr<const shape_set> shapes) {
  analysis_input out;
  ingest_state st{options, std::move(shapes), out, {}, {}, {}};
  for (const auto& f : walk_paths(options.paths)) read_one(f, st);
  finish_hosts(st);
  std::sort(out.links.begin(), out.links.end());
  out.links.erase(std::unique(out.links.begin(), out.links.end()), out.links.end());
  return out;
}

}  // namespace migsleuth::parsers
