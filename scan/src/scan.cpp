// `run_scan`: bundles -> shard filter -> resume check -> ordered worker pool
// -> JSONL + database + summary. The per-bundle analysis is exactly
// `pipeline::run` on the bundle's path, as `analyze BUNDLE` does.
#include <algorithm>
#include <chrono>
#include <new>
#include <set>

#include "bundle_pool.hpp"
#include "bundle_result.hpp"
#include "jsonl_sink.hpp"
#include "migsleuth/report/report.hpp"
#include "migsleuth/scan/scan.hpp"
#include "sqlite_sink.hpp"

namespace migsleuth::scan {
namespace {

std::string time_text(timestamp t) { return t.known() ? format_rfc3339(t) : std::string(); }

// The message body of an event (headers such as time, pid and request would
// split one error into many templates), or its whole text when it has none.
std::string_view body_of(const event& e) {
  return e.message.empty() ? std::string_view(e.text) : std::string_view(e.message);
}

// The line an unexplained failure is grouped by: the one its summary quotes
// ("The most telling error line ... is: <message>", the failure line that
// carries the innermost error), found among the cited lines by its message.
// Not the last line cited: that is most often nova's generic closing
// "Migration operation has aborted", which every unknown cause ends with and
// which would collapse them all into one group. The last cited line is the
// fallback when the summary quotes none (another wording, a stuck attempt).
std::string error_template(const incident& inc, const verdict& v) {
  if (v.evidence.empty()) return {};
  std::string_view text = v.evidence.back().text;
  std::size_t quoted_size = 0;
  bool quoted = false;
  for (const auto& cited : v.evidence) {
    for (const auto& e : inc.events) {
      if (!(e.where == cited.where)) continue;
      const std::string_view body = body_of(e);
      // The longest quoted body wins: a short message could occur inside a long one.
      if (!body.empty() && body.size() > quoted_size &&
          v.summary.find(body) != std::string::npos) {
        text = body;
        quoted_size = body.size();
        quoted = true;
      }
      if (!quoted && &cited == &v.evidence.back()) text = body;
    }
  }
  std::set<std::string> hosts;
  if (!inc.source.empty()) hosts.insert(inc.source);
  if (!inc.destination.empty()) hosts.insert(inc.destination);
  for (const auto& e : inc.events) {
    if (!e.host.empty()) hosts.insert(e.host);
  }
  const std::vector<std::string> names(hosts.begin(), hosts.end());
  return mask_template(text, names);
}

incident_record make_record(const bundle& b, const incident& inc, const verdict& v,
                            std::span<const input> inputs) {
  incident_record r;
  const bool succeeded = inc.result == outcome::succeeded;
  r.row.outcome = std::string(to_string(inc.result));
  r.row.classification = succeeded ? std::string() : std::string(to_string(v.cls));
  r.row.cause = v.cause;
  r.row.source = inc.source;
  r.row.destination = inc.destination;
  if (!succeeded && v.cls == classification::unknown) r.row.error_template = error_template(inc, v);
  r.id = inc.id;
  r.instance_uuid = inc.instance;
  r.instance_name = inc.domain;
  r.request_id = inc.request_id;
  r.migration_id = inc.migration_id;
  r.started_at = time_text(inc.started);
  r.ended_at = time_text(inc.ended);
  r.confidence = succeeded ? 1.0 : v.confidence;
  r.summary = v.summary;
  const report::leading_field lead[] = {{"bundle", b.path},
                                        {"error_template", r.row.error_template}};
  r.json = report::write_incident_line(inc, v, inputs, lead);
  if (!r.json.empty() && r.json.back() == '\n') r.json.pop_back();
  for (const auto& e : v.evidence) {
    r.evidence.push_back({e.host,
                          e.where.input < inputs.size() ? inputs[e.where.input].path : "",
                          static_cast<std::int64_t>(e.where.line), time_text(e.time), e.text,
                          e.rule});
  }
  return r;
}

// The line an unknown finding is grouped by: its decisive line's message as
// the catalog read it (the outermost layer: no time, pid or request id to
// split one error into many templates), else the first line cited.
std::string finding_template(const loose_finding& lf) {
  std::string_view text;
  if (!lf.f.decoded.empty()) {
    text = lf.f.decoded.front().text;
  } else if (!lf.f.evidence.empty()) {
    text = lf.f.evidence.front().text;
  }
  std::set<std::string> hosts;
  if (!lf.host.empty()) hosts.insert(lf.host);
  for (const auto& e : lf.f.evidence) {
    if (!e.host.empty()) hosts.insert(e.host);
  }
  const std::vector<std::string> names(hosts.begin(), hosts.end());
  return mask_template(text, names);
}

finding_record make_finding_record(const bundle& b, const loose_finding& lf,
                                   std::span<const input> inputs) {
  finding_record r;
  r.row.classification = std::string(to_string(lf.f.cls));
  r.row.cause = lf.f.rule;
  if (lf.f.cls == classification::unknown) r.row.error_template = finding_template(lf);
  r.id = lf.id;
  r.confidence = lf.f.confidence;
  r.summary = lf.f.summary;
  // "record" first: `jq 'select(.record=="finding")'` picks these, and
  // incident lines (which have no such field) stay as they were.
  const report::leading_field lead[] = {
      {"record", "finding"}, {"bundle", b.path}, {"error_template", r.row.error_template}};
  r.json = report::write_finding_line(lf, inputs, lead);
  if (!r.json.empty() && r.json.back() == '\n') r.json.pop_back();
  return r;
}

bundle_result analyze_bundle(const bundle& b, const scan_options& opt,
                             const pipeline::rule_packs& rules) {
  bundle_result r;
  try {
    ingest::ingest_options in = opt.ingest;
    in.paths = {b.path};
    in.jobs = 1;  // parallel across bundles, not within one: --jobs threads in all
    in.cancel = opt.stop;  // a stop ends the bundle in flight within a read chunk
    const pipeline::analysis a = pipeline::run(in, opt.correlate, rules, opt.deployment);
    if (a.cancelled) {
      r.interrupted = true;
      return r;
    }
    for (const auto& i : a.inputs) {
      input_row row{i.path, i.host, std::string(to_string(i.kind)),
                    std::string(to_string(i.packing)), i.lines, i.skipped_lines, i.unreadable,
                    {}};
      for (const auto& w : i.warnings) row.warnings += w + "\n";
      if (i.unreadable && r.status == "ok") {
        r.status = "unreadable";
        r.reason = i.path + ": " + (i.warnings.empty() ? "cannot be read" : i.warnings.front());
      }
      r.inputs.push_back(std::move(row));
    }
    // Nothing recognized and something went wrong reading: a bundle that is
    // not what it claims (a corrupt archive, a cut download), not an empty one.
    const bool any_recognized = std::any_of(a.inputs.begin(), a.inputs.end(), [](const input& i) {
      return i.kind != input_kind::unrecognized;
    });
    const auto warned = std::find_if(a.inputs.begin(), a.inputs.end(),
                                     [](const input& i) { return !i.warnings.empty(); });
    if (r.status == "ok" && !any_recognized && warned != a.inputs.end()) {
      r.status = "unusable";
      r.reason = warned->path + ": " + warned->warnings.front();
    }
    for (std::size_t k = 0; k < a.incidents.size(); ++k) {
      r.incidents.push_back(make_record(b, a.incidents[k], a.verdicts[k], a.inputs));
    }
    for (const auto& lf : a.findings) r.findings.push_back(make_finding_record(b, lf, a.inputs));
  } catch (const std::bad_alloc&) {
    // A hostile bundle that needs more memory than there is costs itself,
    // not the scan: the other bundles in flight go on.
    r = bundle_result{};
    r.status = "error";
    r.reason = "out of memory while analyzing this bundle";
  } catch (const std::exception& e) {
    // Nothing of a bundle that threw is kept: half a bundle would look whole.
    r = bundle_result{};
    r.status = "error";
    r.reason = e.what();
  }
  return r;
}

}  // namespace

scan_result run_scan(const scan_options& opt, const pipeline::rule_packs& rules) {
  scan_result res;
  summary& s = res.totals;
  bundle_list list = find_bundles(opt.paths);
  s.skipped = std::move(list.skipped);
  std::vector<bundle> mine;
  for (auto& b : list.bundles) {
    if (in_shard(b, opt.part)) mine.push_back(std::move(b));
  }
  s.bundles = mine.size();

  std::unique_ptr<database> db;
  std::map<std::string, database::stored> stored;
  if (!opt.db_path.empty()) {
    bool writing = false;
    db = database::open(opt.db_path, res.error, &writing);
    if (!db && writing) {  // a full disk: the output cannot be written, as mid-scan
      res.write_error = std::move(res.error);
      res.error.clear();
      return res;
    }
    if (!db) {
      res.error = opt.db_path + ": " + res.error;
      return res;
    }
    if (!opt.rescan) stored = db->bundles();
  }
  std::vector<const database::stored*> resumed(mine.size(), nullptr);
  progress p;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    s.bytes += mine[i].bytes;
    const auto it = stored.find(mine[i].path);
    // A bundle stored by a release that kept no findings is analyzed again:
    // reusing its rows would drop its findings without a word.
    if (it != stored.end() && it->second.bytes == mine[i].bytes &&
        it->second.mtime_ns == mine[i].mtime_ns && it->second.findings_stored) {
      resumed[i] = &it->second;
    } else {
      ++p.bundles_total;
      p.bytes_total += mine[i].bytes;
    }
  }

  const auto start = std::chrono::steady_clock::now();
  auto report_progress = [&] {
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (opt.on_progress) opt.on_progress(p);
  };
  auto add_bad = [&](const bundle& b, const std::string& status, const std::string& reason) {
    bad_bundle bad{b.path, status, reason};
    if (opt.on_bad) opt.on_bad(bad);
    s.bad.push_back(std::move(bad));
  };

  auto jsonl_went_bad = [&] {
    if (opt.jsonl != nullptr && !*opt.jsonl) res.jsonl_failed = true;
    return res.jsonl_failed;
  };

  pool_hooks hooks;
  hooks.skip = [&](std::size_t i) { return resumed[i] != nullptr; };
  hooks.work = [&](std::size_t i) { return analyze_bundle(mine[i], opt, rules); };
  hooks.tick = report_progress;
  hooks.emit = [&](std::size_t i, bundle_result* r) {
    const bundle& b = mine[i];
    if (r == nullptr) {  // already in the database: its stored rows stand for it
      ++s.resumed;
      if (resumed[i]->status != "ok") add_bad(b, resumed[i]->status, resumed[i]->reason);
      db->for_each_incident(resumed[i]->id, [&](const incident_row& row, const std::string& js) {
        s.add(row);
        if (opt.jsonl != nullptr) write_jsonl_line(*opt.jsonl, js);
      });
      db->for_each_finding(resumed[i]->id, [&](const finding_row& row, const std::string& js) {
        s.add(row);
        if (opt.jsonl != nullptr) write_jsonl_line(*opt.jsonl, js);
      });
      return !jsonl_went_bad();
    }
    if (r->interrupted) return false;  // half a bundle is not written: stop before it
    ++s.scanned;
    if (r->status != "ok") add_bad(b, r->status, r->reason);
    for (const auto& inc : r->incidents) s.add(inc.row);
    for (const auto& f : r->findings) s.add(f.row);
    if (opt.jsonl != nullptr) write_jsonl(*opt.jsonl, *r);
    // Output that goes nowhere is not worth analyzing more bundles for.
    if (jsonl_went_bad()) return false;
    if (db && !db->write(b, *r, res.write_error)) return false;
    ++p.bundles_done;
    p.bytes_done += b.bytes;
    report_progress();
    return true;
  };
  const bool complete = run_bundles(mine.size(), opt.jobs, opt.stop, hooks);
  if (opt.jsonl != nullptr) opt.jsonl->flush();
  jsonl_went_bad();
  res.interrupted = !complete && res.error.empty() && res.write_error.empty() && !res.jsonl_failed;
  report_progress();
  return res;
}

}  // namespace migsleuth::scan
