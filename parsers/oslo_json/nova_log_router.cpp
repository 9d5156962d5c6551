// A nova-compute input is oslo.log text, oslo.log JSON, or (rarely: the option
// changed, or a syslog file) both. The router decides per line, so detection
// need not say which, and merges the two parsers' results at the end.
//
// Mode is taken from the first non-blank line: a file that starts with '{' is
// JSON, where a bare "{" opens a pretty-printed record. In a text file only a
// line that is clearly a JSON log record (starts with '{' and names
// "levelname") goes to the JSON parser: a text message continued on a line
// that starts with '{' (a dict printed in a message, FMT-11) stays text.
#include <algorithm>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "oslo_json/oslo_json.hpp"
#include "parser_factory.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::string_view kLevelKey = "\"levelname\"";

class nova_log_router final : public line_parser {
 public:
  nova_log_router(std::shared_ptr<const shape_set> shapes, line_context ctx)
      : json_(shapes, ctx), text_(make_nova_compute_parser(shapes, ctx)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    if (json_.inside_record()) {
      json_.feed_line(line, line_no);
      return;
    }
    bool wrapped = false;
    const std::string_view body = trim(strip_syslog_prefix(line, wrapped));
    if (!decided_ && !body.empty()) {
      decided_ = true;
      json_mode_ = body.front() == '{';
    }
    const bool json_record = !body.empty() && body.front() == '{' &&
                             (json_mode_ || body.find(kLevelKey) != std::string_view::npos);
    if (json_record || (json_mode_ && body.empty())) {
      json_.feed_line(line, line_no);
    } else {
      text_->feed_line(line, line_no);
    }
  }

  void drain(std::vector<event>& out) override {
    json_.drain(out);
    text_->drain(out);
  }

  parse_result finish() override {
    parse_result a = json_.finish();
    parse_result b = text_->finish();
    a.lines += b.lines;
    a.skipped_lines += b.skipped_lines;
    for (auto& w : b.warnings) a.warnings.push_back(std::move(w));
    if (a.events.empty()) {
      a.events = std::move(b.events);  // the common case: a text log
    } else if (!b.events.empty()) {
      for (auto& ev : b.events) a.events.push_back(std::move(ev));
      std::stable_sort(a.events.begin(), a.events.end(), [](const event& x, const event& y) {
        return x.where.line < y.where.line;
      });
    }
    a.links.insert(a.links.end(), b.links.begin(), b.links.end());
    std::sort(a.links.begin(), a.links.end());
    a.links.erase(std::unique(a.links.begin(), a.links.end()), a.links.end());
    return a;
  }

 private:
  oslo_json_parser json_;
  std::unique_ptr<line_parser> text_;
  bool decided_ = false;
  bool json_mode_ = false;
};

// A range of a text file: what the router sends to the text parser goes
// there; a JSON record line (rare: use_json turned on mid-file) is only
// noted, as the JSON parser's state runs across ranges: the caller then
// reads the whole file in one piece.
class nova_log_range_router final : public nova_range_parser {
 public:
  nova_log_range_router(std::shared_ptr<const shape_set> shapes, line_context ctx)
      : text_(make_nova_compute_range_parser(std::move(shapes), std::move(ctx))) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    bool wrapped = false;
    const std::string_view body = trim(strip_syslog_prefix(line, wrapped));
    if (!body.empty() && body.front() == '{' && body.find(kLevelKey) != std::string_view::npos) {
      saw_json_ = true;
      return;
    }
    text_->feed_line(line, line_no);
  }

  void drain(std::vector<event>& out) override { text_->drain(out); }

  nova_range_result finish_range() override {
    nova_range_result r = text_->finish_range();
    r.saw_json = saw_json_;
    return r;
  }

 private:
  std::unique_ptr<nova_range_parser> text_;
  bool saw_json_ = false;
};

}  // namespace

bool nova_log_is_text(std::string_view head) {
  while (!head.empty()) {
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos) return false;  // the first line may go on past the head
    bool wrapped = false;
    const std::string_view body = trim(strip_syslog_prefix(head.substr(0, nl), wrapped));
    if (!body.empty()) return body.front() != '{';
    head.remove_prefix(nl + 1);
  }
  return false;
}

std::unique_ptr<nova_range_parser> make_nova_log_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx) {
  return std::make_unique<nova_log_range_router>(std::move(shapes), std::move(ctx));
}

std::unique_ptr<line_parser> make_nova_log_parser(std::shared_ptr<const shape_set> shapes,
                                                  line_context ctx) {
  return std::make_unique<nova_log_router>(std::move(shapes), std::move(ctx));
}

}  // namespace migsleuth::parsers
