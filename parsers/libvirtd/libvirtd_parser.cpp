// libvirtd daemon log (evidence FMT-19, FMT-20, CPU-09):
//   2016-01-26 10:30:51.197+0000: 8591: debug : qemuMonitorJSONCommandWithFd:264 : Send ...
// plain (/var/log/libvirt/libvirtd.log) or journald/rsyslog-wrapped
// ("Jan 11 18:28:18 host libvirtd[25283]: 2021-01-11 10:28:18.110+0000: ...").
//
// Kept: error and warning lines (log_line, level upper-cased), any line a
// libvirtd shape matches, and QEMU `query-migrate` replies seen in debug logs
// (qemuMonitorIOProcess "buf=" / qemuMonitorJSONIOProcessLine "Line [...]"),
// which become job_stats events with the same value names as domjobinfo.
// Debug and info lines are understood and dropped: a debug log is huge.
#include <cmath>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/json_text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "parser_factory.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::string_view kReturn = "{\"return\": {";
// Daemons whose journal lines are libvirt's own (monolithic and modular daemons).
constexpr std::string_view kDaemons[] = {"libvirtd[", "virtqemud[", "virtproxyd[", "libvirtd:"};

struct daemon_line {
  timestamp time;
  std::string_view thread, level, function, message;
};

// "<stamp>+0000: <thread>: <level> : <function>:<line> : <message>"
std::optional<daemon_line> parse_daemon_line(std::string_view s) noexcept {
  const auto t = parse_iso_datetime(s);
  if (!t || !t->has_zone || s.substr(t->consumed, 2) != ": ") return std::nullopt;
  daemon_line d;
  d.time = t->time;
  s.remove_prefix(t->consumed + 2);
  const auto colon = s.find(": ");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  d.thread = s.substr(0, colon);
  for (char c : d.thread) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  s.remove_prefix(colon + 2);
  const auto sep = s.find(" : ");
  if (sep == std::string_view::npos) return std::nullopt;
  d.level = s.substr(0, sep);
  s.remove_prefix(sep + 3);
  const auto sep2 = s.find(" : ");
  if (sep2 == std::string_view::npos) return std::nullopt;
  d.function = s.substr(0, s.substr(0, sep2).rfind(':'));
  d.message = s.substr(sep2 + 3);
  return d;
}

bool from_libvirt_daemon(std::string_view wrapped_line) noexcept {
  const std::string_view head = wrapped_line.substr(0, 200);
  for (auto d : kDaemons) {
    if (head.find(d) != std::string_view::npos) return true;
  }
  return false;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// QEMU MigrationStats -> the value names domjobinfo events use (base units).
void add_reply_values(simdjson::ondemand::object ret, fields& out) {
  for (auto field : ret) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return;
    simdjson::ondemand::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return;
    std::string text;
    if (key == "ram") {
      simdjson::ondemand::object ram;
      if (v.get_object().get(ram) != simdjson::SUCCESS) return;
      for (auto r : ram) {
        std::string_view rk;
        simdjson::ondemand::value rv;
        if (r.unescaped_key().get(rk) != simdjson::SUCCESS || r.value().get(rv)) return;
        double n = 0;
        if (!json::value_number(rv, n)) continue;
        const std::string whole = std::to_string(std::llround(n));
        if (rk == "total") out.emplace_back("memory_total_bytes", whole);
        if (rk == "remaining") out.emplace_back("memory_remaining_bytes", whole);
        if (rk == "transferred") out.emplace_back("memory_processed_bytes", whole);
        if (rk == "dirty-pages-rate") out.emplace_back("dirty_rate_pps", whole);
        if (rk == "page-size") out.emplace_back("page_size_bytes", whole);
        if (rk == "dirty-sync-count") out.emplace_back("iteration", whole);
        if (rk == "mbps") {
          // QEMU's mbps is megabits per second; the event says bytes per second.
          out.emplace_back("memory_bandwidth_bps", std::to_string(std::llround(n * 1e6 / 8)));
        }
      }
      continue;
    }
    if (!json::value_text(v, text)) return;
    if (key == "status") out.emplace_back("status", text);
    if (key == "total-time") out.emplace_back("time_elapsed_ms", text);
    if (key == "expected-downtime") out.emplace_back("expected_downtime_ms", text);
    if (key == "downtime") out.emplace_back("total_downtime_ms", text);
    if (key == "setup-time") out.emplace_back("setup_time_ms", text);
    if (key == "cpu-throttle-percentage") out.emplace_back("auto_converge_throttle_pct", text);
    if (key == "error-desc") out.emplace_back("error_message", text);
  }
}

class libvirtd_parser final : public line_parser {
 public:
  libvirtd_parser(std::shared_ptr<const shape_set> shapes, line_context ctx)
      : shapes_(std::move(shapes)),
        shape_list_(shapes_->for_kind(input_kind::libvirtd)),
        ctx_(std::move(ctx)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool wrapped = false;
    const std::string_view body = strip_syslog_prefix(line, wrapped);
    if (auto d = parse_daemon_line(body)) {
      in_record_ = true;
      on_daemon_line(*d, line, line_no);
      return;
    }
    if (wrapped) {
      // Modern libvirt logs to the journal without its own stamp; those lines
      // are warnings and errors by default (log_outputs "3:journald"). Other
      // daemons' lines in a shared syslog file are valid, just not ours.
      if (from_libvirt_daemon(line)) {
        event ev = base_event(timestamp{}, line, line_no);
        ev.message = std::string(body);
        apply_shapes(shape_list_, body, ev);
        cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
        result_.events.push_back(std::move(ev));
      }
      return;
    }
    // Unstamped lines after a stamped one continue its message (a domain XML
    // dumped at debug level); before any, the file is not what it claimed.
    if (!in_record_ && !line.empty()) ++result_.skipped_lines;
  }

  parse_result finish() override { return std::move(result_); }

 private:
  void on_daemon_line(const daemon_line& d, std::string_view line, std::uint32_t line_no) {
    if (d.level == "debug" && d.message.find(kReturn) != std::string_view::npos &&
        d.message.find("\"status\"") != std::string_view::npos) {
      on_migrate_reply(d, line, line_no);
      return;
    }
    const bool important = d.level == "error" || d.level == "warning";
    // The shapes' hints are literal substrings, cheap enough for every line.
    event ev = base_event(d.time, line, line_no);
    ev.level = upper(d.level);
    ev.message = std::string(d.message);
    const bool shaped = apply_shapes(shape_list_, d.message, ev);
    if (!shaped && !important) return;
    ev.values.emplace_back("function", std::string(d.function));
    ev.values.emplace_back("thread", std::string(d.thread));
    if (auto name = named_domain(d.message); !name.empty()) ev.domain = name;
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
  }

  void on_migrate_reply(const daemon_line& d, std::string_view line, std::uint32_t line_no) {
    const std::string_view msg = d.message;
    const std::string_view json_text = msg.substr(msg.find(kReturn));
    const auto end = json::object_end(json_text);
    if (end == std::string_view::npos) {
      ++result_.skipped_lines;  // the reply was cut
      return;
    }
    fields values;
    try {
      simdjson::padded_string padded(json_text.substr(0, end));
      simdjson::ondemand::document doc;
      simdjson::ondemand::object ret;
      if (parser_.iterate(padded).get(doc) != simdjson::SUCCESS ||
          doc["return"].get_object().get(ret) != simdjson::SUCCESS) {
        ++result_.skipped_lines;
        return;
      }
      add_reply_values(ret, values);
    } catch (...) {
      ++result_.skipped_lines;
      return;
    }
    bool has_status = false;
    for (const auto& [k, v] : values) has_status = has_status || k == "status";
    if (!has_status) return;  // another command's reply (query-status, ...)
    event ev = base_event(d.time, line, line_no);
    ev.kind = event_kind::job_stats;
    ev.level = "DEBUG";
    ev.message = std::string(msg);
    ev.values = std::move(values);
    ev.values.emplace_back("function", std::string(d.function));
    ev.values.emplace_back("source", "query-migrate");
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
  }

  // "vm=0x7f... name=instance-0000002a" in qemu driver debug/error lines.
  static std::string named_domain(std::string_view msg) {
    const auto vm = msg.find("vm=");
    if (vm == std::string_view::npos) return {};
    const auto at = msg.find(" name=", vm);
    if (at == std::string_view::npos) return {};
    std::string_view rest = msg.substr(at + 6);
    rest = rest.substr(0, rest.find_first_of(" ,"));
    return std::string(rest);
  }

  event base_event(timestamp t, std::string_view line, std::uint32_t line_no) const {
    event ev;
    ev.time = t;
    ev.kind = event_kind::log_line;
    ev.source = input_kind::libvirtd;
    ev.host = ctx_.host;
    ev.where = {ctx_.input, line_no};
    ev.text = std::string(line);
    return ev;
  }

  std::shared_ptr<const shape_set> shapes_;
  const std::vector<const shape_entry*>& shape_list_;  // shapes_->for_kind
  line_context ctx_;
  parse_result result_;
  simdjson::ondemand::parser parser_;
  bool in_record_ = false;
};

}  // namespace

std::unique_ptr<line_parser> make_libvirtd_parser(std::shared_ptr<const shape_set> shapes,
                                                  line_context ctx) {
  return std::make_unique<libvirtd_parser>(std::move(shapes), std::move(ctx));
}

}  // namespace migsleuth::parsers
