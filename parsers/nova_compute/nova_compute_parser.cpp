// nova-compute (oslo.log text) parser. The header is parsed by hand; only the
// message body goes through the shapes' hints and regexes. Multi-line records
// (tracebacks, messages holding newlines) inherit the context of the record
// they continue, so a traceback's last line still carries the request id.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "migsleuth/core/captures.hpp"
#include "migsleuth/core/text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "nova_compute/identity_tracker.hpp"
#include "nova_compute/listing_memory.hpp"
#include "nova_compute/named_migration.hpp"
#include "parser_factory.hpp"
#include "shapes/shape_entry.hpp"
#include "shapes/shape_memo.hpp"

namespace migsleuth::parsers {
namespace {

inline void set_if_changed(std::string& to, std::string_view from) {
  if (std::string_view(to) != from) to.assign(from);
}

bool at_least_warning(std::string_view level) noexcept {
  return level == "WARNING" || level == "ERROR" || level == "CRITICAL";
}

// Traceback frames and blank lines say nothing a rule needs; the exception
// summary line at the end of a traceback does.
bool worth_keeping_continuation(std::string_view message) noexcept {
  if (message.empty()) return false;
  if (message.front() == ' ' || message.front() == '\t') return false;
  return message.substr(0, 9) != "Traceback";
}

// What a kept event holds of `s`: only what cap_kept_text would leave, so a
// megabyte line is never copied whole first; the event is marked cut.
std::string kept_copy(std::string_view s, event& ev) {
  if (s.size() > kKeptTextBytes) ev.text_cut = true;
  return capped_text(s);
}

bool printable_text(std::string_view line) noexcept {
  return std::none_of(line.begin(), line.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0 || (u < 0x20 && c != '\t' && c != '\r');
  });
}

// A line that begins with a date but is no valid header is a broken record
// (cut or corrupt), not the continuation of the previous one.
bool starts_like_record(std::string_view line) noexcept {
  return line.size() >= 5 && std::isdigit(static_cast<unsigned char>(line[0])) != 0 &&
         std::isdigit(static_cast<unsigned char>(line[3])) != 0 && line[4] == '-';
}

// "Jul 11 18:10:59 host nova_compute[129891]: ..." -> "nova_compute[129891]";
// also tags without a pid ("kernel:") and the journal's precise and ISO
// stamps (oslo_header.hpp). Empty when the line is not syslog.
std::string_view syslog_tag(std::string_view line) noexcept {
  const auto p = parse_syslog_prefix(line);
  return p ? p->tag : std::string_view();
}

// "Jul 11 18:10:59" at the start of a syslog line, in `year`: the stamp has
// none, so the caller gives the year of the nova record around it.
timestamp syslog_local_time(std::string_view line, int year) noexcept {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t m = kMonths.find(line.substr(0, 3));
  if (m == std::string_view::npos || m % 3 != 0 || line.size() < 15) return {};
  auto number = [&](std::size_t at) {
    const char a = line[at] == ' ' ? '0' : line[at];
    const char b = line[at + 1];
    if (std::isdigit(static_cast<unsigned char>(a)) == 0 ||
        std::isdigit(static_cast<unsigned char>(b)) == 0) {
      return -1;
    }
    return (a - '0') * 10 + (b - '0');
  };
  const int day = number(4), hour = number(7), minute = number(10), second = number(13);
  if (day < 1 || hour < 0 || minute < 0 || second < 0) return {};
  timestamp t;
  t.micros = (days_from_civil(year, static_cast<unsigned>(m / 3 + 1), static_cast<unsigned>(day)) *
                  86'400 +
              hour * 3'600 + minute * 60 + second) *
             1'000'000LL;
  return t;
}

// The kernel's OOM killer, in the same syslog file as nova's lines
// (/var/log/messages, a journal export): the one kernel message a migration
// verdict needs (a destination QEMU killed while it received the guest).
bool is_oom_kill(std::string_view body) noexcept {
  // "Out of memory: Killed process", "Memory cgroup out of memory: Killed process".
  return body.find("Out of memory") != std::string_view::npos ||
         body.find("out of memory: Killed process") != std::string_view::npos ||
         body.find("oom-kill") != std::string_view::npos ||
         body.find("or sacrifice child") != std::string_view::npos;
}

class nova_compute_parser final : public nova_range_parser {
 public:
  nova_compute_parser(std::shared_ptr<const shape_set> shapes, line_context ctx, bool range)
      : shapes_(std::move(shapes)),
        shape_list_(shapes_->for_kind(input_kind::nova_compute)),
        ctx_(std::move(ctx)),
        ids_(range ? identity_tracker::recorder() : identity_tracker()) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const oslo_header* known = ctx_.parsed != nullptr ? ctx_.parsed->find(line) : nullptr;
    std::optional<oslo_header> parsed;
    if (known == nullptr && (parsed = parse_oslo_header(line))) known = &*parsed;
    if (known != nullptr) {
      on_record_line(*known, line, line_no);
      return;
    }
    // A syslog file (/var/log/messages) mixes daemons: another daemon's line
    // is a valid line of that file, understood and irrelevant. Only a line
    // with the tag of the open nova record ("nova_compute[129891]") continues it.
    std::string_view body = line;
    if (const std::string_view tag = syslog_tag(line); !tag.empty()) {
      if (tag == "kernel") {
        on_kernel_line(line, line_no);
        return;
      }
      if (!in_record_ || tag != record_syslog_tag_) return;
      bool wrapped = false;
      body = strip_syslog_prefix(line, wrapped);
    }
    if (!in_record_ || !printable_text(body) || starts_like_record(body)) {
      ++result_.skipped_lines;
      return;
    }
    // Unprefixed continuation (FMT-11: "Refer to http://libvirt.org/..."): part
    // of the previous record's message.
    if (record_.keep && worth_keeping_continuation(body)) {
      event ev = base_event(line, line_no);
      ev.message = kept_copy(body, ev);
      ev.level = record_.level;
      apply_shapes(shape_list_, body, ev);
      keep(std::move(ev));
    }
  }

  void drain(std::vector<event>& out) override {
    for (auto& ev : result_.events) out.push_back(std::move(ev));
    result_.events.clear();
  }

  parse_result finish() override {
    result_.links = ids_.links();
    listings_.take_into(result_.events);
    return std::move(result_);
  }

  nova_range_result finish_range() override {
    nova_range_result r;
    r.result = std::move(result_);
    r.memory = range_memory(std::move(listings_), std::move(ids_));
    return r;
  }

 private:
  struct record_state {
    timestamp time;
    std::string pid, logger, level, request_id, global_request_id, instance;
    bool keep = false;  // WARNING or above: continuation lines are evidence too
  };

  void on_record_line(const oslo_header& h, std::string_view line, std::uint32_t line_no) {
    if (h.instance_malformed) {
      on_unidentified_line(h, line, line_no);
      return;
    }
    timestamp utc = h.local_time;
    utc.add_seconds(-ctx_.utc_offset_seconds);
    const bool continues = !h.has_context && in_record_ && record_.time == utc &&
                           record_.logger == h.logger && record_.pid == h.pid;
    if (!continues) {
      // The strings keep their buffers (no allocation per record), and
      // most records repeat the last one's pid, logger and level.
      record_.time = utc;
      set_if_changed(record_.pid, h.pid);
      set_if_changed(record_.logger, h.logger);
      set_if_changed(record_.level, h.level);
      set_if_changed(record_.request_id, h.request_id);
      set_if_changed(record_.global_request_id, h.global_request_id);
      record_.instance.assign(h.instance);
      lower_ascii_in_place(record_.instance);
      record_.keep = at_least_warning(h.level);
      // Only a wrapped header has a syslog prefix (parse_oslo_header strips it).
      set_if_changed(record_syslog_tag_, h.syslog_wrapped ? syslog_tag(line) : std::string_view());
      if (!record_syslog_tag_.empty()) learn_syslog_clock(line, h.local_time);
      in_record_ = true;
    }
    ids_.saw(record_.request_id, h.instance);
    // Decide before building anything: most lines matter to no migration.
    const bool may_shape = shapes_may_match(shape_list_, h.message);
    const bool evidence = continues ? record_.keep && worth_keeping_continuation(h.message)
                                    : at_least_warning(h.level);
    if (!may_shape && !evidence) return;
    const fields* values = nullptr;
    const std::size_t shape =
        may_shape ? memo_.match(shape_list_, h.message, values) : shape_list_.size();
    const bool shaped = shape < shape_list_.size();
    if (shaped && shape_list_[shape]->produces == event_kind::instance_listed) {
      remember_listing(*shape_list_[shape], *values, h, line, line_no);
      return;
    }
    if (!shaped && !evidence) return;
    event ev = base_event(line, line_no);
    ev.user_identity = span_in_copy(line, h.user_identity, ev.text);
    ev.level = std::string(h.level);
    ev.logger = std::string(h.logger);
    ev.message = kept_copy(h.message, ev);
    if (!h.instance.empty()) ev.instance = lower_ascii(h.instance);
    if (shaped) take_shape(*shape_list_[shape], *values, ev);
    keep(std::move(ev));
  }

  // "[instance: foo]": the line names an instance that is no UUID. It is a
  // line of its own, never a continuation of the open record: with the same
  // time, pid and logger it used to take that record's instance and request
  // and so speak for another attempt. It is marked so that correlate gives
  // it no instance by request, domain or time either. A context bracket
  // starts a record, so the open one ends: later lines cannot continue it.
  void on_unidentified_line(const oslo_header& h, std::string_view line, std::uint32_t line_no) {
    if (h.has_context) in_record_ = false;
    const bool may_shape = shapes_may_match(shape_list_, h.message);
    if (!may_shape && !at_least_warning(h.level)) return;
    event ev;
    ev.time = h.local_time;
    ev.time.add_seconds(-ctx_.utc_offset_seconds);
    ev.local_clock = true;
    ev.source = input_kind::nova_compute;
    ev.host = ctx_.host;
    ev.request_id = std::string(h.request_id);
    ev.global_request_id = std::string(h.global_request_id);
    ev.level = std::string(h.level);
    ev.logger = std::string(h.logger);
    ev.where = {ctx_.input, line_no};
    ev.text = kept_copy(line, ev);
    ev.user_identity = span_in_copy(line, h.user_identity, ev.text);
    ev.message = kept_copy(h.message, ev);
    ev.instance_unknown = true;
    const bool shaped = may_shape && apply_shapes(shape_list_, h.message, ev);
    if (shaped && ev.kind == event_kind::instance_listed) return;  // names no listed UUID
    if (shaped || at_least_warning(h.level)) keep(std::move(ev));
  }

  // The syslog stamp and nova's own may be in different zones (syslog in
  // local time, nova in UTC: samples/syslog-wrapped). A wrapped nova record
  // carries both, so their difference, to the quarter hour, dates the
  // kernel's lines on nova's clock.
  void learn_syslog_clock(std::string_view line, timestamp oslo_local) {
    if (line.empty() || std::isdigit(static_cast<unsigned char>(line[0])) != 0) return;  // ISO: exact
    const int year = std::stoi(format_rfc3339(oslo_local).substr(0, 4));
    const timestamp stamp = syslog_local_time(line, year);
    if (!stamp.known() || !oslo_local.known()) return;
    syslog_minus_oslo_ = nearest_quarter_hour((stamp.micros - oslo_local.micros) / 1'000'000);
  }

  // An OOM kill names no instance: correlate joins it to an attempt by host
  // and time (correlate/src/unowned.cpp), marked as such. Without a wrapped
  // nova record before it there is no year and no zone to date it by.
  void on_kernel_line(std::string_view line, std::uint32_t line_no) {
    const auto prefix = parse_syslog_prefix(line);
    if (!prefix || !is_oom_kill(prefix->message)) return;
    const std::string_view body = prefix->message;
    timestamp t;
    if (prefix->iso) {
      // journalctl -o short-iso: the stamp is exact, whatever nova's clock says.
      if (const auto iso = parse_iso_datetime(prefix->stamp)) t = iso->time;
    } else {
      if (!syslog_minus_oslo_ || !record_.time.known()) return;
      const int year = std::stoi(format_rfc3339(record_.time).substr(0, 4));
      t = syslog_local_time(line, year);
      if (!t.known()) return;
      t.add_seconds(-*syslog_minus_oslo_ - ctx_.utc_offset_seconds);
    }
    if (!t.known()) return;
    event ev;
    ev.time = t;
    ev.local_clock = !prefix->iso;
    ev.source = input_kind::nova_compute;
    ev.host = ctx_.host;
    ev.level = "ERROR";
    ev.logger = "kernel";
    ev.where = {ctx_.input, line_no};
    ev.text = kept_copy(line, ev);
    ev.message = kept_copy(body, ev);
    keep(std::move(ev));
  }

  void keep(event ev) {
    if (ev.instance.empty() && !ev.instance_unknown) ids_.needs(ev.request_id);
    note_named_migration(ev);
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
  }

  // What listing_memory keeps of a listing line, written into the event it
  // holds for that instance (listing_memory::sighting): a host's sync lists
  // each of its instances every few minutes, and a new event cost six
  // strings allocated and freed per line. Every field is set, to what
  // base_event, take_shape and listing_memory::remember leave on a new event.
  void remember_listing(const shape_entry& s, const fields& values, const oslo_header& h,
                        std::string_view line, std::uint32_t line_no) {
    listed_.clear();
    for (const auto& [name, value] : values) {
      if (name == capture::listed) {
        listed_.assign(value);
        break;
      }
    }
    lower_ascii_in_place(listed_);
    event& ev = listings_.sighting(listed_);
    ev.time = record_.time;
    ev.local_clock = true;
    ev.kind = s.produces;
    ev.source = input_kind::nova_compute;
    set_if_changed(ev.host, ctx_.host);
    set_if_changed(ev.instance, listed_);
    set_if_changed(ev.request_id, s.request_unrelated ? std::string_view() : record_.request_id);
    set_if_changed(ev.global_request_id,
                   s.request_unrelated ? std::string_view() : record_.global_request_id);
    ev.domain.clear();
    set_if_changed(ev.level, h.level);
    set_if_changed(ev.logger, h.logger);
    set_if_changed(ev.shape, s.id);
    ev.where = {ctx_.input, line_no};
    ev.text.clear();
    ev.user_identity = {};
    ev.message.clear();
    ev.values.clear();
    ev.linked_by_time = false;
    ev.text_cut = line.size() > kKeptTextBytes || h.message.size() > kKeptTextBytes;
    ev.instance_unknown = false;
  }

  event base_event(std::string_view line, std::uint32_t line_no) const {
    event ev;
    ev.time = record_.time;
    ev.local_clock = true;
    ev.source = input_kind::nova_compute;
    ev.host = ctx_.host;
    ev.instance = record_.instance;
    ev.request_id = record_.request_id;
    ev.global_request_id = record_.global_request_id;
    ev.logger = record_.logger;
    ev.where = {ctx_.input, line_no};
    ev.text = kept_copy(line, ev);
    return ev;
  }

  std::shared_ptr<const shape_set> shapes_;
  const std::vector<const shape_entry*>& shape_list_;  // shapes_->for_kind
  line_context ctx_;
  parse_result result_;
  record_state record_;
  identity_tracker ids_;
  listing_memory listings_;
  shape_memo memo_;  // periodic tasks repeat their messages (shape_memo.hpp)
  std::string listed_;  // remember_listing's instance, lower case
  bool in_record_ = false;
  std::string record_syslog_tag_;  // tag of the open record's syslog wrapper, or ""
  std::optional<std::int64_t> syslog_minus_oslo_;  // seconds, from the last wrapped record
};

}  // namespace

std::unique_ptr<line_parser> make_nova_compute_parser(std::shared_ptr<const shape_set> shapes,
                                                      line_context ctx) {
  return std::make_unique<nova_compute_parser>(std::move(shapes), std::move(ctx), false);
}

std::unique_ptr<nova_range_parser> make_nova_compute_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx) {
  return std::make_unique<nova_compute_parser>(std::move(shapes), std::move(ctx), true);
}

}  // namespace migsleuth::parsers
