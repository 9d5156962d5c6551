#include "journal_json.hpp"

#include <simdjson.h>

#include <charconv>
#include <vector>

#include "migsleuth/parsers/json_text.hpp"

namespace migsleuth::ingest {
namespace {

struct journal_record {
  std::string realtime, host, ident, pid, message;
};

bool read_journal_record(simdjson::ondemand::parser& parser, std::string_view line,
                         journal_record& r) {
  try {
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object o;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(o) != simdjson::SUCCESS) {
      return false;
    }
    bool has_message = false;
    for (auto f : o) {
      std::string_view key;
      simdjson::ondemand::value v;
      if (f.unescaped_key().get(key) != simdjson::SUCCESS ||
          f.value().get(v) != simdjson::SUCCESS) {
        return false;
      }
      if (key == "MESSAGE") {
        // Bytes that are not UTF-8 come as an array of numbers: not a line.
        simdjson::ondemand::json_type t;
        if (v.type().get(t) != simdjson::SUCCESS || t != simdjson::ondemand::json_type::string) {
          return false;
        }
        if (!json::value_text(v, r.message)) return false;
        has_message = true;
      } else if (key == "__REALTIME_TIMESTAMP") {
        if (!json::value_text(v, r.realtime)) return false;
      } else if (key == "_HOSTNAME") {
        if (!json::value_text(v, r.host)) return false;
      } else if (key == "SYSLOG_IDENTIFIER") {
        if (!json::value_text(v, r.ident)) return false;
      } else if (key == "_PID" || (key == "SYSLOG_PID" && r.pid.empty())) {
        if (!json::value_text(v, r.pid)) return false;
      }
    }
    return has_message && !r.realtime.empty();
  } catch (const simdjson::simdjson_error&) {
    return false;
  }
}

// "2024-07-11T22:10:59.946512+0000" from microseconds since the epoch.
std::string iso_micros(std::string_view realtime) {
  std::int64_t micros = 0;
  const auto [end, ec] =
      std::from_chars(realtime.data(), realtime.data() + realtime.size(), micros);
  if (ec != std::errc() || end != realtime.data() + realtime.size()) return {};
  const std::string z = format_rfc3339(timestamp{micros});  // "...ssssssZ"
  return z.empty() ? z : z.substr(0, z.size() - 1) + "+0000";
}

// The lines journalctl -o short-iso-precise would print for the record.
std::vector<std::string> as_lines(const journal_record& r) {
  std::vector<std::string> out;
  const std::string stamp = iso_micros(r.realtime);
  if (stamp.empty()) return out;
  const std::string host = r.host.empty() ? std::string("localhost") : r.host;
  const std::string ident = r.ident.empty() ? std::string("unknown") : r.ident;
  // The kernel has no pid, and syslog_tag() reads "kernel" only without one.
  const std::string tag = r.pid.empty() || ident == "kernel" ? ident : ident + "[" + r.pid + "]";
  std::string_view msg = r.message;
  for (;;) {
    const auto nl = msg.find('\n');
    out.push_back(stamp + " " + host + " " + tag + ": " + std::string(msg.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    msg.remove_prefix(nl + 1);
    if (msg.empty()) break;
  }
  return out;
}

bool looks_like_record(std::string_view line) {
  return !line.empty() && line.front() == '{' &&
         line.find("\"__REALTIME_TIMESTAMP\"") != std::string_view::npos &&
         line.find("\"MESSAGE\"") != std::string_view::npos;
}

class journal_json_parser final : public line_parser {
 public:
  explicit journal_json_parser(std::unique_ptr<line_parser> inner) : inner_(std::move(inner)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    journal_record r;
    if (!looks_like_record(line) || !read_journal_record(parser_, line, r)) {
      ++not_records_;
      return;
    }
    for (const auto& l : as_lines(r)) inner_->feed_line(l, line_no);
    // The inner parser saw the line journalctl would print; the evidence is
    // the record as it is in the file, so that path:line holds it.
    const std::size_t from = pending_.size();
    inner_->drain(pending_);
    for (std::size_t i = from; i < pending_.size(); ++i) {
      if (pending_[i].where.line == line_no) cite_record(pending_[i], line);
    }
  }

  void drain(std::vector<event>& out) override {
    for (auto& ev : pending_) out.push_back(std::move(ev));
    pending_.clear();
    inner_->drain(out);
  }

  parse_result finish() override {
    std::vector<event> settled = std::move(pending_);
    parse_result r = inner_->finish();
    settled.insert(settled.end(), std::make_move_iterator(r.events.begin()),
                   std::make_move_iterator(r.events.end()));
    r.events = std::move(settled);
    r.lines += not_records_;
    r.skipped_lines += not_records_;
    return r;
  }

 private:
  static void cite_record(event& ev, std::string_view record) {
    ev.text = capped_text(record);
    ev.text_cut = ev.text_cut || ev.text.size() < record.size();
  }

  std::unique_ptr<line_parser> inner_;
  std::vector<event> pending_;  // drained from inner_, their text already the record
  simdjson::ondemand::parser parser_;
  std::uint64_t not_records_ = 0;
};

}  // namespace

bool is_journal_json(std::string_view head) {
  const auto start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  head.remove_prefix(start);
  return looks_like_record(head.substr(0, head.find('\n')));
}

std::string journal_head_as_text(std::string_view head) {
  simdjson::ondemand::parser parser;
  std::string out;
  for (;;) {
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos) break;  // a cut last record: not read here
    journal_record r;
    if (read_journal_record(parser, head.substr(0, nl), r)) {
      for (const auto& l : as_lines(r)) out += l + "\n";
    }
    head.remove_prefix(nl + 1);
  }
  return out;
}

std::unique_ptr<line_parser> wrap_journal_json(std::unique_ptr<line_parser> inner) {
  return std::make_unique<journal_json_parser>(std::move(inner));
}

}  // namespace migsleuth::ingest
