// report-v1 JSON (../shared/contract/report-v1.schema.json). Required fields
// keep their meaning; extra fields (notes, timeline, attribution reasons) are
// additions the contract allows.
#include <fmt/format.h>

#include <map>

#include "json_out.hpp"
#include "migsleuth/core/worker_pool.hpp"
#include "render_common.hpp"
#include "migsleuth/report/report.hpp"

namespace migsleuth::report {

void json_out::number2(double v) { raw(fmt::format("{:.2f}", v)); }
void json_out::number3(double v) { raw(fmt::format("{:.3f}", v == 0.0 ? 0.0 : v)); }

namespace {

void write_input(json_out& j, const input& in) {
  j.begin_object();
  j.key("path");
  // One buffer for every input's path: a million inputs, no string each.
  thread_local std::string path;
  path.clear();
  in.path.append_to(path);
  j.string(path);
  j.key("host");
  j.string_or_null(in.host);
  j.key("host_attribution");
  j.string(in.host_from);
  j.key("kind");
  j.string(to_string(in.kind));
  j.key("kind_reason");
  j.string(in.kind_reason);
  if (!in.clock.empty()) {
    j.key("clock");  // which UTC offset its naive times got, and why
    j.string(in.clock);
  }
  j.key("compression");
  j.string(to_string(in.packing));
  j.key("lines");
  j.integer(static_cast<std::int64_t>(in.lines));
  j.key("skipped_lines");
  j.integer(static_cast<std::int64_t>(in.skipped_lines));
  j.key("warnings");
  j.begin_array();
  for (const auto& w : in.warnings) j.string(w);
  j.end_array();
  j.end_object();
}

void write_time(json_out& j, timestamp t) {
  if (t.known()) {
    j.string(format_rfc3339(t));
  } else {
    j.null();
  }
}

void write_evidence(json_out& j, const evidence_line& e, std::span<const input> inputs) {
  j.begin_object();
  j.key("host");
  j.string_or_null(e.host);
  j.key("path");
  j.string(e.where.input < inputs.size() ? inputs[e.where.input].path.str() : std::string());
  j.key("line");
  j.integer(e.where.line);
  j.key("time");
  write_time(j, e.time);
  j.key("text");
  j.string(e.text);
  j.key("rule");
  j.string_or_null(e.rule);
  // A line of an `openstack -f json` capture: the field it holds, by key
  // path. Only then: `text` is the source line either way.
  if (!e.field.empty()) {
    j.key("field");
    j.begin_object();
    j.key("key_path");
    j.string(e.field.key_path);
    j.key("value");
    j.string_or_null(e.field.value);
    j.key("record");
    j.string_or_null(e.field.record);
    j.end_object();
  }
  j.end_object();
}

void write_confirm(json_out& j, std::span<const confirm_command> commands) {
  j.begin_array();
  for (const auto& c : commands) {
    j.begin_object();
    j.key("where");
    j.string(to_string(c.where));
    j.key("command");
    j.string(c.command);
    j.key("why");
    j.string(c.why);
    j.end_object();
  }
  j.end_array();
}

// A top-level `findings[]` entry: the shapes of an incident's fields of the
// same names, plus why no attempt holds it.
// The decisive line's layers as the message catalog read them (outermost
// first) and whether the class is inferred from the mechanism.
void write_decoded(json_out& j, const std::vector<decoded_layer>& layers, bool inferred) {
  j.key("decoded");
  j.begin_array();
  for (const auto& l : layers) {
    j.begin_object();
    j.key("layer");
    j.string(l.layer);
    j.key("entry");
    j.string(l.entry);
    j.key("verdict");
    j.string(l.verdict);
    j.key("text");
    j.string(l.text);
    j.end_object();
  }
  j.end_array();
  j.key("inferred");
  j.boolean(inferred);
}

void write_loose_finding(json_out& j, const loose_finding& lf, std::span<const input> inputs,
                         std::span<const leading_field> leading = {}) {
  j.begin_object();
  for (const auto& [name, value] : leading) {
    j.key(name);
    j.string_or_null(value);
  }
  j.key("id");
  j.string(lf.id);
  j.key("classification");
  j.string(to_string(lf.f.cls));
  j.key("cause");
  j.string_or_null(lf.f.rule);
  j.key("confidence");
  j.number2(lf.f.confidence);
  j.key("host");
  j.string_or_null(lf.host);
  j.key("instance_uuid");
  j.string_or_null(lf.instance);
  j.key("summary");
  j.string(lf.f.summary);
  j.key("why_no_attempt");
  j.string(lf.why_loose);
  write_decoded(j, lf.f.decoded, lf.f.inferred);
  j.key("evidence");
  j.begin_array();
  for (const auto& e : lf.f.evidence) write_evidence(j, e, inputs);
  j.end_array();
  j.key("confirm_commands");
  write_confirm(j, lf.f.confirm);
  j.key("remediation");
  j.begin_array();
  for (const auto& r : lf.f.remediation) j.string(r);
  j.end_array();
  j.end_object();
}

void write_skew(json_out& j, const clock_skew& s) {
  j.begin_object();
  j.key("reference_host");
  j.string_or_null(s.reference);
  j.key("host");
  j.string_or_null(s.host);
  j.key("pairs");
  j.integer(s.pairs);
  j.key("lower_seconds");
  if (s.has_lower) {
    j.number3(s.lower);
  } else {
    j.null();
  }
  j.key("upper_seconds");
  if (s.has_upper) {
    j.number3(s.upper);
  } else {
    j.null();
  }
  j.key("offset_seconds");
  j.number3(s.offset);
  j.key("applied");
  j.boolean(s.applied);
  j.key("basis");
  j.string(s.basis);
  j.end_object();
}

void write_timeline(json_out& j, const incident& inc, std::span<const input> inputs) {
  j.begin_array();
  for (const auto& ev : inc.events) {
    j.begin_object();
    j.key("time");
    write_time(j, ev.time);
    if (inc.skew.applied && ev.host == inc.skew.host && ev.time.known()) {
      timestamp t = ev.time;
      t.micros -= static_cast<std::int64_t>(inc.skew.offset * 1e6);
      j.key("time_on_source_clock");
      write_time(j, t);
    }
    j.key("host");
    j.string_or_null(ev.host);
    j.key("role");
    j.string(lane_name(lane_of(inc, ev)));  // the lane the human formats show
    j.key("kind");
    j.string(to_string(ev.kind));
    j.key("path");
    j.string(ev.where.input < inputs.size() ? inputs[ev.where.input].path.str() : std::string());
    j.key("line");
    j.integer(ev.where.line);
    j.key("text");
    j.string(ev.text);
    if (ev.text_budget_cut) {
      // Only on such entries: every other report stays as it was.
      j.key("text_budget_cut");
      j.boolean(true);
    }
    j.end_object();
  }
  j.end_array();
}

}  // namespace

// The contract's incident object; `analyze` (pretty, inside the report) and
// `scan` (one line per incident) share it so the two cannot drift apart.
void write_incident_json(json_out& j, const incident& inc, const verdict& v,
                         std::span<const input> inputs, std::span<const leading_field> leading) {
  const bool succeeded = inc.result == outcome::succeeded;
  j.begin_object();
  for (const auto& [name, value] : leading) {
    j.key(name);
    j.string_or_null(value);
  }
  j.key("id");
  j.string(inc.id);
  j.key("instance_uuid");
  j.string(inc.instance);
  j.key("instance_name");
  j.string_or_null(inc.domain);
  j.key("request_id");
  j.string_or_null(inc.request_id);
  j.key("migration_id");
  j.string_or_null(inc.migration_id);
  j.key("source_host");
  j.string_or_null(inc.source);
  j.key("destination_host");
  j.string_or_null(inc.destination);
  j.key("started_at");
  write_time(j, inc.started);
  j.key("ended_at");
  write_time(j, inc.ended);
  j.key("outcome");
  j.string(to_string(inc.result));
  j.key("phase");
  j.string(to_string(inc.phase));
  j.key("post_copy_at");
  write_time(j, inc.post_copy_at);
  j.key("guest_host");
  j.string_or_null(inc.guest_host);
  j.key("classification");
  if (succeeded) {
    j.null();
  } else {
    j.string(to_string(v.cls));
  }
  j.key("cause");
  j.string_or_null(v.cause);
  j.key("confidence");
  j.number2(succeeded ? 1.0 : v.confidence);
  j.key("summary");
  j.string(v.summary);
  write_decoded(j, v.decoded, v.inferred);
  j.key("secondary");
  j.begin_array();
  for (const auto& f : v.secondary) {
    j.begin_object();
    j.key("classification");
    j.string(to_string(f.cls));
    j.key("cause");
    j.string(f.rule);
    j.key("confidence");
    j.number2(f.confidence);
    j.key("summary");
    j.string(f.summary);
    j.end_object();
  }
  j.end_array();
  j.key("evidence");
  j.begin_array();
  for (const auto& e : v.evidence) write_evidence(j, e, inputs);
  j.end_array();
  j.key("confirm_commands");
  write_confirm(j, v.confirm);
  j.key("remediation");
  j.begin_array();
  for (const auto& r : v.remediation) j.string(r);
  j.end_array();
  j.key("notes");
  j.begin_array();
  for (const auto& n : inc.notes) j.string(n);
  for (const auto& n : v.notes) j.string(n);  // the analyzers' facts (device inventory)
  j.end_array();
  j.key("clock_skew");
  write_skew(j, inc.skew);
  j.key("timeline");
  write_timeline(j, inc, inputs);
  j.end_object();
}

std::string write_incident_line(const incident& inc, const verdict& v,
                                std::span<const input> inputs,
                                std::span<const leading_field> leading) {
  json_out j(/*compact=*/true);
  write_incident_json(j, inc, v, inputs, leading);
  return j.take();
}

std::string write_finding_line(const loose_finding& lf, std::span<const input> inputs,
                               std::span<const leading_field> leading) {
  json_out j(/*compact=*/true);
  write_loose_finding(j, lf, inputs, leading);
  return j.take();
}

namespace {

// One host under the name every other part of the report uses, and the
// other names the data gave it, each with what joined it.
void write_host(json_out& j, const host_identity& h) {
  j.begin_object();
  j.key("name");
  j.string(h.name);
  j.key("name_from");
  j.string(h.why);
  j.key("has_files");
  j.boolean(h.has_inputs);
  j.key("aliases");
  j.begin_array();
  for (const auto& a : h.aliases) {
    j.begin_object();
    j.key("name");
    j.string(a.name);
    j.key("why");
    j.string(a.why);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace

// Which deployment each host's confirm commands are written for, and why
// (classifiers/deployment.hpp). Additive to report-v1.
static void write_deployments(json_out& j, std::span<const host_deployment> hosts) {
  j.key("deployments");
  j.begin_array();
  for (const auto& d : hosts) {
    j.begin_object();
    j.key("host");
    j.string(d.host);
    j.key("name");
    j.string(to_string(d.kind));
    j.key("why");
    j.string(d.why);
    j.end_object();
  }
  j.end_array();
}

namespace {

// Inputs per batch rendered on the pool: about 115 KB of JSON each, so
// the batches in flight (twice the jobs) stay under a MB.
constexpr std::size_t kInputBatch = 256;

// A million-file bundle's report is mostly its inputs (about 450 bytes each):
// with jobs, batches of them are rendered on the pool while this thread
// splices the finished ones in order and writes them out. The same bytes as
// one thread writes.
void write_inputs(json_out& j, const report_data& r) {
  j.key("inputs");
  j.begin_array();
  const std::size_t n = r.inputs.size();
  if (r.jobs == 1 || n < 2 * kInputBatch) {
    for (const auto& in : r.inputs) write_input(j, in);
    j.end_array();
    return;
  }
  ordered_hooks<std::string> hooks;
  hooks.work = [&](std::size_t b) {
    json_out part = j.batch_in_array(b == 0);
    for (std::size_t i = b * kInputBatch; i < std::min(n, (b + 1) * kInputBatch); ++i) {
      write_input(part, r.inputs[i]);
    }
    return part.take_batch();
  };
  hooks.emit = [&](std::size_t, std::string* text) {
    j.splice(*text);
    return true;
  };
  run_ordered((n + kInputBatch - 1) / kInputBatch, r.jobs, nullptr, hooks);
  j.end_array();
}

void write_report(json_out& j, const report_data& r) {
  j.begin_object();
  j.key("schema");
  j.string("migsleuth.report/v1");
  j.key("tool");
  j.begin_object();
  j.key("name");
  j.string("migsleuth");
  j.key("version");
  j.string(r.version);
  j.end_object();
  write_inputs(j, r);
  j.key("hosts");
  j.begin_array();
  for (const auto& h : r.hosts) write_host(j, h);
  j.end_array();
  j.key("incidents");
  j.begin_array();
  std::int64_t failed = 0;
  std::map<std::string, std::int64_t> by_class;
  for (std::size_t i = 0; i < r.incidents.size(); ++i) {
    const incident& inc = r.incidents[i];
    const verdict& v = r.verdicts[i];
    write_incident_json(j, inc, v, r.inputs, {});
    if (inc.result == outcome::failed) ++failed;
    if (inc.result != outcome::succeeded) ++by_class[std::string(to_string(v.cls))];
  }
  j.end_array();
  j.key("findings");
  j.begin_array();
  for (const auto& lf : r.findings) write_loose_finding(j, lf, r.inputs);
  j.end_array();
  write_deployments(j, r.deployments);
  j.key("summary");
  j.begin_object();
  j.key("incidents");
  j.integer(static_cast<std::int64_t>(r.incidents.size()));
  j.key("findings");
  j.integer(static_cast<std::int64_t>(r.findings.size()));
  j.key("failed");
  j.integer(failed);
  j.key("by_classification");
  j.begin_object();
  for (const auto& [cls, n] : by_class) {
    j.key(cls);
    j.integer(n);
  }
  j.end_object();
  j.end_object();
  j.end_object();
}

}  // namespace

std::string write_json(const report_data& r) {
  json_out j;
  write_report(j, r);
  return j.take();
}

void write_json(const report_data& r, const json_sink& sink) {
  json_out j(/*compact=*/false, sink);
  write_report(j, r);
  j.finish();
}

}  // namespace migsleuth::report
