// nova-compute logs written by oslo.log's JSONFormatter (`use_json = True`,
// evidence FMT-14): one JSON object per line, or pretty-printed objects
// spanning lines. Each record gives the same event the text parser would give
// for the same message: same shapes, same identity links, same kinds.
//
// Differences from the text form that matter here: the time is `created`
// (epoch seconds, UTC, sub-second), `asctime` only as a fallback (naive, host
// clock, second precision); the instance UUID is not in the message but in
// `extra` (`instance_uuid`, or `instance` as an object or a repr string); the
// traceback is a field (a list of lines before oslo.log 8.0, one string after).
#include <algorithm>
#include <cmath>
#include <set>

#include "migsleuth/core/captures.hpp"
#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/json_text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "nova_compute/named_migration.hpp"
#include "oslo_json/oslo_json.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::size_t kMaxRecordBytes = 4U << 20;  // a pretty-printed record larger is garbage
constexpr std::string_view kMessageKey = "\"message\"";

bool at_least_warning(std::string_view level) noexcept {
  return level == "WARNING" || level == "ERROR" || level == "CRITICAL";
}

// The first canonical UUID in `s`, preferring one right after "uuid=".
std::string find_uuid(std::string_view s) {
  if (const auto at = s.find("uuid="); at != std::string_view::npos) {
    std::string_view u = s.substr(at + 5);
    if (!u.empty() && (u.front() == '\'' || u.front() == '"')) u.remove_prefix(1);
    if (looks_like_uuid(u.substr(0, 36))) return lower_ascii(u.substr(0, 36));
  }
  for (std::size_t i = 0; i + 36 <= s.size(); ++i) {
    if (s[i + 8] == '-' && looks_like_uuid(s.substr(i, 36))) return lower_ascii(s.substr(i, 36));
  }
  return {};
}

// The last non-empty line of a traceback: the exception summary a rule needs.
std::string last_line(std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find_last_of('\n', text.size() - 1);
    std::string_view tail = trim(nl == std::string_view::npos ? text : text.substr(nl + 1));
    if (!tail.empty()) return std::string(tail);
    if (nl == std::string_view::npos) break;
    text = text.substr(0, nl);
  }
  return {};
}

struct record {
  std::string message, asctime, logger, level, request_id, global_request_id, instance;
  std::string traceback_summary;
  double created = -1;
  bool is_log_record = false;  // had levelname and message
};

using simdjson::ondemand::object;
using simdjson::ondemand::value;

bool read_context(value v, record& r) {
  object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return true;  // null or {}: no context
  for (auto f : o) {
    std::string_view key;
    value fv;
    if (f.unescaped_key().get(key) != simdjson::SUCCESS || f.value().get(fv) != simdjson::SUCCESS) {
      return false;
    }
    if (key == "request_id") json::value_text(fv, r.request_id);
    if (key == "global_request_id") json::value_text(fv, r.global_request_id);
  }
  return true;
}

bool read_extra(value v, record& r) {
  object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return true;
  for (auto f : o) {
    std::string_view key;
    value fv;
    if (f.unescaped_key().get(key) != simdjson::SUCCESS || f.value().get(fv) != simdjson::SUCCESS) {
      return false;
    }
    if (key != "instance_uuid" && key != "instance") continue;
    object inst;
    if (fv.get_object().get(inst) == simdjson::SUCCESS) {
      // An Instance made primitive: its own "uuid" member, never another UUID
      // field of it (image_ref, ...).
      for (auto m : inst) {
        std::string_view mk;
        value mv;
        std::string text;
        if (m.unescaped_key().get(mk) != simdjson::SUCCESS ||
            m.value().get(mv) != simdjson::SUCCESS) {
          return false;
        }
        if (mk == "uuid" && json::value_text(mv, text) && looks_like_uuid(text) &&
            r.instance.empty()) {
          r.instance = lower_ascii(text);
        }
      }
      continue;
    }
    std::string text;  // instance_uuid, or a repr string "Instance(...,uuid=U,...)"
    if (json::value_text(fv, text) && r.instance.empty()) r.instance = find_uuid(text);
  }
  return true;
}

bool read_traceback(value v, record& r) {
  simdjson::ondemand::array lines;
  if (v.get_array().get(lines) == simdjson::SUCCESS) {  // oslo.log < 8.0: list of lines
    for (auto item : lines) {
      value iv;
      std::string line;
      if (item.get(iv) != simdjson::SUCCESS) return false;
      if (json::value_text(iv, line)) {
        if (auto tail = last_line(line); !tail.empty()) r.traceback_summary = tail;
      }
    }
    return true;
  }
  std::string text;
  if (!json::value_text(v, text)) return false;
  r.traceback_summary = last_line(text);
  return true;
}

// Reads the fields a record needs; simdjson errors become `false`.
bool read_record(simdjson::ondemand::parser& parser, std::string_view json_text, record& r) {
  try {
    simdjson::padded_string padded(json_text);
    simdjson::ondemand::document doc;
    object o;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(o) != simdjson::SUCCESS) {
      return false;
    }
    bool has_level = false, has_message = false;
    for (auto f : o) {
      std::string_view key;
      value v;
      if (f.unescaped_key().get(key) != simdjson::SUCCESS ||
          f.value().get(v) != simdjson::SUCCESS) {
        return false;
      }
      bool ok = true;
      if (key == "message") {
        ok = json::value_text(v, r.message);
        has_message = true;
      } else if (key == "asctime") {
        ok = json::value_text(v, r.asctime);
      } else if (key == "name") {
        ok = json::value_text(v, r.logger);
      } else if (key == "levelname") {
        ok = json::value_text(v, r.level);
        has_level = true;
      } else if (key == "created") {
        if (!json::value_number(v, r.created)) r.created = -1;
      } else if (key == "traceback") {
        ok = read_traceback(v, r);
      } else if (key == "context") {
        ok = read_context(v, r);
      } else if (key == "extra") {
        ok = read_extra(v, r);
      }
      if (!ok) return false;
    }
    r.is_log_record = has_level && has_message;
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

oslo_json_parser::oslo_json_parser(std::shared_ptr<const shape_set> shapes, line_context ctx)
    : shapes_(std::move(shapes)),
      shape_list_(shapes_->for_kind(input_kind::nova_compute)),
      ctx_(std::move(ctx)) {}

oslo_json_parser::~oslo_json_parser() = default;

void oslo_json_parser::feed_line(std::string_view line, std::uint32_t line_no) {
  ++result_.lines;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!depth_.inside()) {
    bool wrapped = false;
    const std::string_view body = trim(strip_syslog_prefix(line, wrapped));
    if (body.empty()) return;  // blank lines between pretty-printed records
    if (body.front() != '{') {
      ++result_.skipped_lines;
      return;
    }
    pending_.clear();
    pending_lines_ = 0;
    pending_first_ = line_no;
    anchor_line_ = line_no;
    anchor_text_ = std::string(line);
    if (depth_.feed(body)) {  // the common case: one record on one line
      ++pending_lines_;
      parse_pending(body);
      return;
    }
    if (body != "{") {
      // Only pretty-printers open a record with a bare "{"; a one-line record
      // that does not close was cut (rotation, the line-length bound) and
      // must not swallow the records after it.
      depth_.reset();
      ++result_.skipped_lines;
      return;
    }
    pending_.append(body);
    ++pending_lines_;
    return;
  }
  ++pending_lines_;
  // Evidence must cite one real line: for a pretty-printed record, the one
  // holding its message.
  if (trim(line).substr(0, kMessageKey.size()) == kMessageKey) {
    anchor_line_ = line_no;
    anchor_text_ = std::string(line);
  }
  if (pending_.size() + line.size() + 1 > kMaxRecordBytes) {
    result_.skipped_lines += pending_lines_;
    result_.warnings.push_back("JSON record at line " + std::to_string(pending_first_) +
                               " is larger than 4 MiB; skipped");
    depth_.reset();
    pending_.clear();
    return;
  }
  pending_.push_back('\n');
  pending_.append(line);
  if (depth_.feed(line)) parse_pending(pending_);
}

void oslo_json_parser::drain(std::vector<event>& out) {
  for (auto& ev : result_.events) out.push_back(std::move(ev));
  result_.events.clear();
}

parse_result oslo_json_parser::finish() {
  if (depth_.inside()) {
    result_.skipped_lines += pending_lines_;
    result_.warnings.push_back("the file ends inside the JSON record that starts at line " +
                               std::to_string(pending_first_));
    depth_.reset();
  }
  result_.links = ids_.links();
  listings_.take_into(result_.events);
  return std::move(result_);
}

void oslo_json_parser::remember_listing(event ev) {
  ev.instance = lower_ascii(ev.value(capture::listed));
  listings_.remember(std::move(ev));
}

void oslo_json_parser::parse_pending(std::string_view json_text) {
  record r;
  // Made at the first record: most nova-compute files are text.
  if (!parser_) parser_ = std::make_unique<simdjson::ondemand::parser>();
  if (!read_record(*parser_, json_text, r) || !r.is_log_record) {
    result_.skipped_lines += pending_lines_;
    return;
  }
  timestamp t;
  bool local = false;
  if (r.created >= 0) {
    t.micros = std::llround(r.created * 1e6);  // epoch seconds: UTC whatever the host clock
  } else if (auto a = parse_iso_datetime(r.asctime)) {
    t = a->time;
    if (!a->has_zone) {
      t.add_seconds(-ctx_.utc_offset_seconds);
      local = true;
    }
  }
  ids_.saw(r.request_id, r.instance);
  event ev;
  ev.time = t;
  ev.local_clock = local;
  ev.source = input_kind::nova_compute;
  ev.host = ctx_.host;
  ev.instance = r.instance;
  ev.request_id = r.request_id;
  ev.global_request_id = r.global_request_id;
  ev.level = r.level;
  ev.logger = r.logger;
  ev.where = {ctx_.input, anchor_line_};
  ev.text = anchor_text_;
  event summary = ev;  // the traceback's last line continues the same record
  ev.message = r.message;
  const bool keep_record = at_least_warning(r.level);
  const bool shaped = apply_shapes(shape_list_, r.message, ev);
  if (shaped && ev.kind == event_kind::instance_listed) {
    remember_listing(std::move(ev));
  } else if (shaped || keep_record) {
    if (ev.instance.empty()) ids_.needs(ev.request_id);
    note_named_migration(ev);
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
  }
  if (!r.traceback_summary.empty()) {
    summary.message = r.traceback_summary;
    summary.values.emplace_back("traceback_summary", "true");
    if (apply_shapes(shape_list_, r.traceback_summary, summary) || keep_record) {
      if (summary.instance.empty()) ids_.needs(summary.request_id);
      cap_kept_text(summary);  // 8 KiB per line kept (core/event.hpp)
      result_.events.push_back(std::move(summary));
    }
  }
}

}  // namespace migsleuth::parsers
