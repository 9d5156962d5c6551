// Lines of a file no kind claims (a pasted ticket excerpt, a quoted reply, a
// bare error text, a wiki page) that a cause rule may recognise. Kind
// detection needs the shape of a whole log; an operator often has three lines
// of one. Each line the fragment filter accepts becomes an event with no time
// and no instance; the pipeline makes findings of them. Every other line is
// counted as not understood, as for any unrecognised file.
#include <memory>

#include "migsleuth/core/event.hpp"
#include "parser_factory.hpp"

namespace migsleuth::parsers {
namespace {

// A pasted excerpt of a few lines is the point; a huge unrecognised file
// whose every line mentions a migration error is not, and must stay bounded.
constexpr std::size_t kMaxFragmentEvents = 200;

// What a ticket or a mail adds before a log line: "> " quoting (nested too)
// and the indentation of a code block.
std::string_view unquoted(std::string_view line) {
  for (;;) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return {};
    line.remove_prefix(start);
    if (line.front() != '>') return line;
    line.remove_prefix(1);
  }
}

class fragment_parser final : public line_parser {
 public:
  explicit fragment_parser(line_context ctx) : ctx_(std::move(ctx)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    const std::string_view text = unquoted(line);
    if (text.empty() || !(*ctx_.fragment_filter)(text)) {
      ++result_.skipped_lines;
      return;
    }
    if (result_.events.size() >= kMaxFragmentEvents) {
      ++result_.skipped_lines;
      ++over_;
      return;
    }
    event ev;
    ev.source = input_kind::unrecognized;
    ev.host = ctx_.host;
    ev.where = {ctx_.input, line_no};
    ev.text = std::string(line);
    ev.message = std::string(text);
    cap_kept_text(ev);
    result_.events.push_back(std::move(ev));
  }

  parse_result finish() override {
    if (!result_.events.empty()) {
      result_.warnings.push_back(
          "no log format recognised; read as a pasted fragment: " +
          std::to_string(result_.events.size()) +
          " line(s) a cause rule may recognise were kept (no time, instance or request is read "
          "from them: findings, not attempts)");
    }
    if (over_ > 0) {
      result_.warnings.push_back(std::to_string(over_) + " more such line(s) past the first " +
                                 std::to_string(kMaxFragmentEvents) + " were not kept");
    }
    return std::move(result_);
  }

 private:
  line_context ctx_;
  parse_result result_;
  std::size_t over_ = 0;
};

}  // namespace

std::unique_ptr<line_parser> make_fragment_parser(line_context ctx) {
  return std::make_unique<fragment_parser>(std::move(ctx));
}

}  // namespace migsleuth::parsers
