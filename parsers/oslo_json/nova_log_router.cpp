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

#include "migsleuth/parsers/parse.hpp"
#include "nova_compute/oslo_header.hpp"
#include "oslo_json/oslo_json.hpp"
#include "parser_factory.hpp"
#include "virsh/capture_lines.hpp"

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

}  // namespace

std::unique_ptr<line_parser> make_nova_log_parser(std::shared_ptr<const shape_set> shapes,
                                                  line_context ctx) {
  return std::make_unique<nova_log_router>(std::move(shapes), std::move(ctx));
}

}  // namespace migsleuth::parsers
