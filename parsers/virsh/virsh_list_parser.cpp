// `virsh list --all` captures: a table of domains with their state, e.g.
//    Id   Name                State
//   ------------------------------------
//    1    instance-0000002a   running
//    -    instance-0000002b   shut off
// One domain_state event per row. Which host really runs a domain is what an
// operator must verify before any state-changing remediation (`nova
// reset-state`), so the rows are kept as evidence. Like domjobinfo captures,
// a `date` line before the table gives the rows a time, and virsh's
// "error: ..." text is a warning.
#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "parser_factory.hpp"

namespace migsleuth::parsers {
namespace {

bool is_header(std::string_view t) noexcept {
  // " Id   Name   State" (any spacing); newer virsh may add columns after State.
  return t.substr(0, 2) == "Id" && t.find("Name") != std::string_view::npos &&
         t.find("State") != std::string_view::npos;
}

bool is_rule(std::string_view t) noexcept {
  return !t.empty() && t.find_first_not_of('-') == std::string_view::npos;
}

class virsh_list_parser final : public line_parser {
 public:
  explicit virsh_list_parser(line_context ctx) : ctx_(std::move(ctx)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    const std::string_view t = trim(line);
    if (t.empty()) {
      in_table_ = false;
      return;
    }
    const bool framing = host_.feed(t);
    if (t.substr(0, 6) == "error:") {
      in_table_ = false;
      result_.warnings.push_back("line " + std::to_string(line_no) + ": virsh " + std::string(t));
      return;
    }
    if (is_header(t)) {
      in_table_ = true;
      return;
    }
    if (is_rule(t)) return;
    if (parse_virsh_command(t)) {
      in_table_ = false;
      return;
    }
    if (auto d = parse_date_line(t)) {
      time_ = d->time;
      if (!d->zone_known) time_.add_seconds(-ctx_.utc_offset_seconds);
      return;
    }
    if (framing) return;  // a prompt line, the hostname it printed
    if (!in_table_ || !on_row(t, line, line_no)) ++result_.skipped_lines;
  }

  parse_result finish() override {
    result_.content_host = host_.host();
    result_.content_host_from = host_.why();
    return std::move(result_);
  }

 private:
  // "<id|->  <name>  <state words...>"
  bool on_row(std::string_view t, std::string_view line, std::uint32_t line_no) {
    const auto id_end = t.find_first_of(" \t");
    if (id_end == std::string_view::npos) return false;
    const std::string_view id = t.substr(0, id_end);
    if (id != "-" && id.find_first_not_of("0123456789") != std::string_view::npos) return false;
    std::string_view rest = trim(t.substr(id_end));
    const auto name_end = rest.find_first_of(" \t");
    if (name_end == std::string_view::npos) return false;  // a row cut after the name
    const std::string_view name = rest.substr(0, name_end);
    const std::string_view state = trim(rest.substr(name_end));
    event ev;
    ev.time = time_;
    ev.kind = event_kind::domain_state;
    ev.source = input_kind::virsh_list;
    ev.host = ctx_.host;
    ev.where = {ctx_.input, line_no};
    ev.text = std::string(line);
    ev.message = "virsh list: " + std::string(name) + " " + std::string(state);
    if (looks_like_uuid(name)) {
      ev.instance = lower_ascii(name);
    } else {
      ev.domain = std::string(name);
    }
    ev.values.emplace_back("domain", std::string(name));
    ev.values.emplace_back("state", std::string(state));
    ev.values.emplace_back("id", std::string(id));
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
    return true;
  }

  line_context ctx_;
  parse_result result_;
  capture_host host_;
  timestamp time_;
  bool in_table_ = false;
};

}  // namespace

std::unique_ptr<line_parser> make_virsh_list_parser(line_context ctx) {
  return std::make_unique<virsh_list_parser>(std::move(ctx));
}

}  // namespace migsleuth::parsers
