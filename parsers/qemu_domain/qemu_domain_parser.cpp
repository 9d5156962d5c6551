// libvirt QEMU per-domain log (/var/log/libvirt/qemu/<domain>.log), FMT-15..18.
// Three line families: libvirt's own "YYYY-MM-DD HH:MM:SS.mmm+0000: msg", the
// backslash-continued QEMU command line that follows "starting up", and QEMU's
// stderr "YYYY-MM-DDTHH:MM:SS.uuuuuuZ qemu-system-x86_64: msg" (older QEMU
// writes stderr lines with no time at all; they take the last known time).
#include <algorithm>
#include <cctype>

#include "migsleuth/core/text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "parser_factory.hpp"
#include "shapes/shape_entry.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::string_view kStartingUp = "starting up";
constexpr std::string_view kInitiating = "initiating migration";
constexpr std::string_view kShuttingDown = "shutting down";

std::string domain_from_file_name(std::string_view name) {
  // "instance-0000002a.log", "instance-0000002a.log.1", "...log-20240301.gz"
  const auto dot = name.find(".log");
  return dot == std::string_view::npos ? std::string() : std::string(name.substr(0, dot));
}

// The argument of a command-line option `opt` ("-uuid"): libvirt >= 5 writes
// one option per line ("-uuid U \\"), older releases the whole command on one
// line ("LC_ALL=C ... /usr/libexec/qemu-kvm -name guest=... -uuid U ..."), so
// the option is a whole word anywhere in the line.
std::string_view option_value(std::string_view line, std::string_view opt) noexcept {
  for (std::size_t at = line.find(opt); at != std::string_view::npos;
       at = line.find(opt, at + 1)) {
    const std::size_t after = at + opt.size();
    if ((at == 0 || line[at - 1] == ' ') && after < line.size() && line[after] == ' ') {
      std::string_view rest = line.substr(after + 1);
      return rest.substr(0, rest.find_first_of(" \\"));
    }
  }
  return {};
}

std::string_view value_after(std::string_view line, std::string_view key) noexcept {
  const auto at = line.find(key);
  if (at == std::string_view::npos) return {};
  std::string_view rest = line.substr(at + key.size());
  const auto end = rest.find_first_of(", \\");
  return rest.substr(0, end);
}

class qemu_domain_parser final : public line_parser {
 public:
  qemu_domain_parser(std::shared_ptr<const shape_set> shapes, line_context ctx)
      : shapes_(std::move(shapes)),
        shape_list_(shapes_->for_kind(input_kind::qemu_domain)),
        ctx_(std::move(ctx)),
        domain_(domain_from_file_name(ctx_.file_name)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto t = parse_iso_datetime(line);
    if (t && !t->has_zone) {
      // libvirt and QEMU stamp their lines with a zone; a naive local time is
      // another program's line (nova's, in a file that concatenates logs): not
      // a QEMU message, and keeping each would make this file's memory unbounded.
      ++result_.skipped_lines;
      ++foreign_lines_;
      return;
    }
    if (t && t->has_zone) {
      last_time_ = t->time;
      std::string_view rest = line.substr(t->consumed);
      const bool libvirt_line = rest.substr(0, 2) == ": ";
      rest.remove_prefix(rest.empty() ? 0 : (libvirt_line ? 2 : 1));
      // Before the line is handled: "starting up" opens the command line
      // that follows it, whether or not it starts with an environment.
      in_command_line_ = false;
      if (libvirt_line) {
        on_libvirt_line(rest, line, line_no);
      } else {
        emit(event_kind::qemu_message, rest, line, line_no);
      }
      return;
    }
    if (in_command_line_ || line.substr(0, 7) == "LC_ALL=") {
      on_command_line(line);
      return;
    }
    if (line.substr(0, 22) == "char device redirected" || line.empty()) return;
    if (!last_time_.known() && result_.events.empty()) {
      ++result_.skipped_lines;  // nothing before this looked like a domain log
      return;
    }
    emit(event_kind::qemu_message, line, line, line_no);
  }

  parse_result finish() override {
    if (foreign_lines_ > 0) {
      result_.warnings.push_back(
          std::to_string(foreign_lines_) +
          " line(s) with a time but no time zone (not libvirt/QEMU lines; nova-compute's?) were "
          "not read: this file was taken as a QEMU domain log from its first lines; give each "
          "log as its own file");
    }
    // The command line (with -uuid / -incoming) follows the "starting up" line,
    // so identity is known only now; give it to every event of the file.
    for (auto& ev : result_.events) {
      if (ev.domain.empty()) ev.domain = domain_;
      if (ev.instance.empty()) ev.instance = instance_for(ev);
    }
    return std::move(result_);
  }

 private:
  struct boot {
    std::size_t started_event = 0;  // index in result_.events
    std::string instance;
  };

  void on_libvirt_line(std::string_view msg, std::string_view line, std::uint32_t line_no) {
    if (msg.substr(0, kStartingUp.size()) == kStartingUp) {
      event& ev = emit(event_kind::qemu_started, msg, line, line_no);
      if (auto host = value_after(msg, "hostname: "); !host.empty()) {
        ev.values.emplace_back("hostname", std::string(host));
      }
      if (auto v = value_after(msg, "qemu version: "); !v.empty()) {
        ev.values.emplace_back("qemu_version", std::string(v));
      }
      boots_.push_back({result_.events.size() - 1, {}});
      in_command_line_ = true;
    } else if (msg.substr(0, kInitiating.size()) == kInitiating) {
      emit(event_kind::qemu_migration_out, msg, line, line_no);
    } else if (msg.substr(0, kShuttingDown.size()) == kShuttingDown) {
      event& ev = emit(event_kind::qemu_shutdown, msg, line, line_no);
      if (auto r = value_after(msg, "reason="); !r.empty()) {
        ev.values.emplace_back("reason", std::string(r));
      }
    } else {
      emit(event_kind::qemu_message, msg, line, line_no);
    }
  }

  void on_command_line(std::string_view line) {
    in_command_line_ = !line.empty() && line.back() == '\\';
    if (boots_.empty()) return;
    boot& b = boots_.back();
    event& started = result_.events[b.started_event];
    if (auto name = value_after(line, "-name guest="); !name.empty()) {
      domain_ = std::string(name);
      started.domain = domain_;
    }
    if (const std::string_view u = option_value(line, "-uuid"); !u.empty()) {
      if (looks_like_uuid(u)) {
        b.instance = lower_ascii(u);
        started.instance = b.instance;
      }
    }
    if (const std::string_view in = option_value(line, "-incoming"); !in.empty()) {
      started.kind = event_kind::qemu_incoming;
      started.values.emplace_back("incoming", std::string(in));
    }
    if (const std::string_view cpu = option_value(line, "-cpu"); !cpu.empty()) {
      started.values.emplace_back("cpu", std::string(value_after(line, "-cpu ")));
    }
  }

  // The instance of the boot an event belongs to (the last boot before it).
  std::string instance_for(const event& ev) const {
    std::string found;
    for (const auto& b : boots_) {
      if (result_.events[b.started_event].where.line <= ev.where.line) found = b.instance;
    }
    if (found.empty()) {
      for (const auto& b : boots_) {
        if (!b.instance.empty()) return b.instance;
      }
    }
    return found;
  }

  event& emit(event_kind kind, std::string_view msg, std::string_view line,
              std::uint32_t line_no) {
    event ev;
    ev.time = last_time_;
    ev.kind = kind;
    ev.source = input_kind::qemu_domain;
    ev.host = ctx_.host;
    ev.where = {ctx_.input, line_no};
    ev.text = std::string(line);
    ev.message = std::string(msg);
    ev.level = msg.find("warning:") != std::string_view::npos ? "WARNING" : "";
    if (kind == event_kind::qemu_message) apply_shapes(shape_list_, msg, ev);
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
    return result_.events.back();
  }

  std::shared_ptr<const shape_set> shapes_;
  const std::vector<const shape_entry*>& shape_list_;  // shapes_->for_kind
  line_context ctx_;
  parse_result result_;
  std::string domain_;
  std::vector<boot> boots_;
  timestamp last_time_;
  bool in_command_line_ = false;
  std::uint64_t foreign_lines_ = 0;
};

class counting_parser final : public line_parser {
 public:
  void feed_line(std::string_view, std::uint32_t) override {
    ++result_.lines;
    ++result_.skipped_lines;
  }
  parse_result finish() override { return std::move(result_); }

 private:
  parse_result result_;
};

}  // namespace

std::unique_ptr<line_parser> make_qemu_domain_parser(std::shared_ptr<const shape_set> shapes,
                                                     line_context ctx) {
  return std::make_unique<qemu_domain_parser>(std::move(shapes), std::move(ctx));
}

std::unique_ptr<line_parser> make_counting_parser() { return std::make_unique<counting_parser>(); }

}  // namespace migsleuth::parsers
