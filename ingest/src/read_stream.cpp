// One pass per input: the head was read to probe the kind, then every line
// goes to that kind's parser. Memory is one chunk plus the events kept,
// whatever the size of the file or member.
#include "read_stream.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "detect.hpp"
#include "journal_json.hpp"
#include "line_feeder.hpp"
#include "migsleuth/core/text.hpp"
#include "parser_seam.hpp"
#include "pod_log.hpp"
#include "sosreport.hpp"
#include "split_file.hpp"

namespace migsleuth::ingest {
namespace {

// The host a syslog/journal line names: the token before the program tag in
// "May 21 14:02:12 cmp-a nova-compute[3012]: ...". Empty when the head holds
// no such line. Only the first lines are looked at.
std::string syslog_host(std::string_view head) {
  for (int n = 0; n < 50 && !head.empty(); ++n) {
    const auto nl = head.find('\n');
    const std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    bool wrapped = false;
    const std::string_view body = strip_syslog_prefix(line, wrapped);
    if (!wrapped) continue;
    std::string_view prefix = line.substr(0, static_cast<std::size_t>(body.data() - line.data()));
    while (!prefix.empty() && prefix.back() == ' ') prefix.remove_suffix(1);
    const auto tag = prefix.rfind(' ');
    if (tag == std::string_view::npos) continue;
    prefix = prefix.substr(0, tag);
    const auto sp = prefix.rfind(' ');
    const std::string_view host = sp == std::string_view::npos ? prefix : prefix.substr(sp + 1);
    if (!host.empty()) return std::string(host);
  }
  return {};
}

std::string_view short_name(std::string_view host) { return host.substr(0, host.find('.')); }

// A sosreport's host name or date file is read for what it holds (sosreport.hpp),
// not searched as a pasted log: its line is understood, not "not understood".
// The rest of a small file after its head, whole: a metadata file or a
// script's log is a few bytes; the work budget bounds a wrong one.
void append_rest(std::string& text, byte_source& rest) {
  std::string chunk(kProbeBytes, '\0');
  for (std::size_t got = 0; (got = rest.read(chunk.data(), chunk.size())) > 0;) {
    text.append(chunk.data(), got);
  }
}

void read_metadata(const file_origin& o, input in, std::string text, byte_source& rest,
                   ingest_state& st) {
  append_rest(text, rest);
  const sos_metadata m = read_sos_metadata(o.kind_note, text);
  in.kind_reason = m.reason;
  in.lines = m.lines;
  in.skipped_lines = m.not_understood;
  if (!rest.error().empty()) in.warnings.push_back(rest.error());
  push_input(std::move(in), o, st);
}

// The log `migsleuth collect` writes beside what it gathered (collect.log,
// first line "migsleuth collect on HOST, ...") tells what it ran and what it
// could not get: the collection's story, not the migration's. Its errors (a
// virsh that could not connect, a missing file) must not be searched as a
// pasted log for causes; what failed becomes warnings on it, so the report
// says which evidence the collection lacks.
bool is_collect_log(const file_origin& o, std::string_view head) {
  return input_file_name(o.path) == "collect.log" && head.starts_with("migsleuth collect on ");
}

void read_collect_log(const file_origin& o, input in, std::string text, byte_source& rest,
                      ingest_state& st) {
  append_rest(text, rest);
  in.kind_reason =
      "migsleuth collect's own log (what it ran on the host and what failed); read for the "
      "collection's gaps, not searched for causes";
  constexpr std::size_t kMaxGapWarnings = 20;
  std::size_t gaps = 0;
  std::string_view last_ran;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const std::string_view line = std::string_view(text).substr(start, nl - start);
    start = nl + 1;
    ++in.lines;
    if (line.starts_with("ran: ")) last_ran = line.substr(5);
    std::string gap;
    if (line.starts_with("  failed (exit ")) {
      gap = "collection step failed: " + std::string(last_ran) + " (" + std::string(trim(line)) +
            ")";
    } else if (line.starts_with("missing: ") || line.starts_with("no ")) {
      gap = "collection gap: " + std::string(line);
    }
    if (gap.empty()) continue;
    if (++gaps <= kMaxGapWarnings) in.warnings.push_back(std::move(gap));
  }
  if (gaps > kMaxGapWarnings) {
    in.warnings.push_back(std::to_string(gaps - kMaxGapWarnings) + " more collection gap(s) in it");
  }
  if (!rest.error().empty()) in.warnings.push_back(rest.error());
  push_input(std::move(in), o, st);
}

}  // namespace

std::int64_t tz_offset_for(const ingest_options& opt, std::string_view host) {
  for (const auto& tz : opt.time_zones) {
    if (tz.host == host) return tz.offset_seconds;
  }
  return 0;
}

void check_content_host(file_origin& o, std::string_view head) {
  const std::string logged_by = syslog_host(head);
  if (logged_by.empty() || logged_by == "localhost") return;
  if (o.host->host.empty()) {
    o.host = std::make_shared<host_slot>(
        host_slot{logged_by, "host field of its syslog lines ('" + logged_by + "')", 0});
    return;
  }
  if (short_name(logged_by) != short_name(o.host->host)) {
    o.warnings.push_back("its lines were logged by host '" + logged_by +
                         "' (syslog host field) but it is attributed to '" + o.host->host +
                         "' (" + o.host->from + "): check which host this file is from");
  }
}

void adopt_content_host(file_origin& o, const parse_result& r) {
  if (r.content_host.empty()) return;
  const bool same =
      !o.host->host.empty() && short_name(r.content_host) == short_name(o.host->host);
  // A folder given on the command line may be the bundle, not a host
  // (rank < 0): a prompt naming another host is surer then. The same name
  // (cmp-a.example.net in folder cmp-a) keeps the folder's, so one host
  // does not become two.
  if (o.host->host.empty() || (o.host->rank < 0 && !same)) {
    const std::string passed = o.host->host.empty()
                                   ? std::string()
                                   : " (the folder '" + o.host->host +
                                         "' given on the command line is taken for the bundle)";
    o.host = std::make_shared<host_slot>(
        host_slot{r.content_host, r.content_host_from + passed, 0});
    return;
  }
  if (!same) {
    o.warnings.push_back("the capture names host '" + r.content_host + "' (" +
                         r.content_host_from + ") but it is attributed to '" + o.host->host +
                         "' (" + o.host->from + "): check which host this capture is from");
  }
}

line_context context_for(const file_origin& o, input_id id, const ingest_options& opt) {
  line_context ctx;
  ctx.host = o.host->host;
  ctx.input = id;
  ctx.utc_offset_seconds = tz_offset_for(opt, ctx.host);
  ctx.file_name = std::string(input_file_name(o.path));
  if (opt.fragment_filter) ctx.fragment_filter = &opt.fragment_filter;
  return ctx;
}

namespace {

// Buffers a reading thread reuses from file to file (release_thread_buffers).
thread_local std::string head_buffer;
thread_local std::string chunk_buffer;
thread_local parsers::parsed_headers head_headers;

}  // namespace

void release_thread_buffers() {
  std::string().swap(head_buffer);
  std::string().swap(chunk_buffer);
  head_headers.release();
  release_first_read_buffer();
  release_range_buffer();
}

std::string read_head(byte_source& src, std::size_t n) {
  // Read into a buffer the thread reuses, kept as long as it is: a tiny
  // file's head costs its size, not 64 KiB zeroed and allocated.
  std::string& buffer = head_buffer;
  if (buffer.size() < n) buffer.resize(n);
  std::size_t have = 0;
  while (have < n) {
    const std::size_t got = src.read(buffer.data() + have, n - have);
    if (got == 0) break;
    have += got;
  }
  return std::string(buffer.data(), have);
}

input_id push_input(input in, const file_origin& o, ingest_state& st) {
  // The walk's folder and name when they still say `path` (16 bytes and no
  // copy), else a string of its own.
  in.path = o.shown == o.path ? o.shown : input_path(o.path);
  in.host = o.host->host;
  in.host_from = o.host->from;
  in.warnings.insert(in.warnings.begin(), o.warnings.begin(), o.warnings.end());
  st.out.any_unreadable = st.out.any_unreadable || in.unreadable;
  const auto id = static_cast<input_id>(st.out.inputs.size());
  st.out.inputs.push_back(std::move(in));
  st.slots.push_back(o.host);
  if (!o.sos_root.empty()) st.sos_roots.emplace_back(id, o.sos_root);
  if (!st.opt.time_zones.empty()) st.hosts_used.push_back(o.host->host);
  return id;
}

void list_unread(const file_origin& o, std::string warning, bool unreadable, ingest_state& st,
                 std::string kind_reason) {
  input in;
  in.kind_reason = std::move(kind_reason);
  in.unreadable = unreadable;
  in.warnings.push_back(std::move(warning));
  push_input(std::move(in), o, st);
}

void read_log(const file_origin& origin, std::string head, byte_source& rest,
              compression packing, ingest_state& st) {
  file_origin o = origin;
  // A journal export is read as the lines journalctl would print for it, a
  // container log as the program's own lines (pod_log.hpp).
  const bool journal = is_journal_json(head);
  const pod_log_format pod = journal ? pod_log_format::none : pod_log_format_of(head);
  const std::string as_text = journal                      ? journal_head_as_text(head)
                              : pod != pod_log_format::none ? pod_log_head_as_text(head, pod)
                                                            : std::string();
  const bool unwrapped = journal || pod != pod_log_format::none;
  const std::string_view probe = unwrapped ? std::string_view(as_text) : std::string_view(head);
  check_content_host(o, probe);
  input in;
  in.packing = packing;
  // The headers the probe parses in `head` itself, for the parser fed it.
  parsers::parsed_headers& parsed = head_headers;
  parsed.clear();
  detection d = pod != pod_log_format::none ? detect_pod_log_kind(o.path, probe, pod)
                                            : detect_kind(o.path, probe, unwrapped ? nullptr : &parsed);
  if (journal) d.reason = "journalctl -o json export, read as its lines: " + d.reason;
  in.kind = d.kind;
  in.kind_reason = d.kind == input_kind::unrecognized && !o.kind_note.empty() ? o.kind_note
                                                                               : d.reason;
  if (d.kind == input_kind::unrecognized && !o.kind_note.empty()) {
    read_metadata(o, std::move(in), std::move(head), rest, st);
    return;
  }
  if (d.kind == input_kind::unrecognized && is_collect_log(o, head)) {
    read_collect_log(o, std::move(in), std::move(head), rest, st);
    return;
  }
  const auto id = static_cast<input_id>(st.out.inputs.size());
  const bool keep = st.opt.keep_text && st.opt.keep_text(o.path, head);
  if (st.opt.kept_only && !keep) {
    in.kind_reason += "; not read (not a capture this command uses)";
    push_input(std::move(in), o, st);
    return;
  }
  kept_text kept{id, {}, false};
  const auto keep_part = [&](std::string_view part) {
    if (!keep) return;
    const std::size_t room = st.opt.max_kept_bytes > kept.text.size()
                                 ? static_cast<std::size_t>(st.opt.max_kept_bytes - kept.text.size())
                                 : 0;
    if (part.size() > room) kept.cut = true;
    kept.text.append(part.substr(0, std::min(room, part.size())));
  };
  // A stream whose budget was used up before it gave a byte was not read.
  bool gave_bytes = !head.empty();
  keep_part(head);
  line_context ctx = context_for(o, id, st.opt);
  if (!unwrapped) ctx.parsed = &parsed;
  auto parser = make_parser(in.kind, st.shapes, std::move(ctx));
  if (journal) parser = wrap_journal_json(std::move(parser));
  if (pod != pod_log_format::none) {
    parser = wrap_pod_log(std::move(parser), pod, st.opt.max_line_bytes);
    if (in.kind == input_kind::nova_compute) {
      in.clock = "exact: each line's UTC offset from the container runtime's stamp on it";
    }
  }
  kept_text_budget budget;
  event_sink sink(st, &budget, o.host.get());
  line_feeder feeder(*parser, st.opt.max_line_bytes);
  feeder.feed(head);
  sink.take(*parser);
  parsed.clear();  // before the head's bytes go
  head.clear();
  head.shrink_to_fit();
  // One chunk per thread, reused file after file: a fresh 1 MiB buffer per
  // file cost more than reading a small file (20,000 tiny files) itself.
  // A tar member's bytes are parsed where libarchive holds them (read_view),
  // not copied into it first.
  std::string& chunk = chunk_buffer;
  if (chunk.size() < kChunk) chunk.resize(kChunk);
  for (;;) {
    if (cancel_requested(st.opt)) break;  // the result is thrown away (ingest: cancelled)
    const std::string_view got = rest.read_view(kChunk, chunk);
    if (got.empty()) break;
    gave_bytes = true;
    keep_part(got);
    feeder.feed(got);
    sink.take(*parser);
  }
  feeder.finish();
  if (!rest.error().empty()) in.warnings.push_back(rest.error());
  if (!gave_bytes && st.budget != nullptr && st.budget->used_up()) in.unreadable = true;
  if (feeder.long_lines() > 0) {
    in.warnings.push_back(std::to_string(feeder.long_lines()) + " line(s) longer than " +
                          std::to_string(st.opt.max_line_bytes) + " bytes were cut");
  }
  parse_result r = parser->finish();
  adopt_content_host(o, r);
  in.lines = r.lines;
  in.skipped_lines = r.skipped_lines;
  for (auto& w : r.warnings) in.warnings.push_back(std::move(w));
  sink.add(r.events);
  sink.flush();
  if (sink.cut_lines() > 0) in.warnings.push_back(kept_text_warning(sink.cut_lines()));
  for (auto& w : budget.warnings()) in.warnings.push_back(std::move(w));
  st.out.links.insert(st.out.links.end(), r.links.begin(), r.links.end());
  if (keep) {
    if (kept.cut) {
      in.warnings.push_back("only the first " + std::to_string(st.opt.max_kept_bytes) +
                            " bytes were kept for its XML/JSON reader");
    }
    st.out.kept.push_back(std::move(kept));
  }
  push_input(std::move(in), o, st);
}

}  // namespace migsleuth::ingest
