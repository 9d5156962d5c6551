// Lines of a file no kind claims (a pasted ticket excerpt, a quoted reply, a
// bare error text, a wiki page) that a cause rule may recognise. Kind
// detection needs the shape of a whole log; an operator often has three lines
// of one. Each line the fragment filter accepts becomes an event with no time
// and no instance; the pipeline makes findings of them. Every other line is
// counted as not understood, as for any unrecognised file.
#include <array>
#include <memory>
#include <string>

#include "migsleuth/core/event.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
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

// A pasted message, even a one-line JSON status holding one, is far shorter:
// a longer line (a file of zeros, a binary blob) is counted, not searched.
constexpr std::size_t kMaxFragmentLine = 256 * 1024;
// A wrapped line is joined to at most this many lines before it: a message
// that runs over more is rarely one error (and the window stays cheap).
constexpr std::size_t kJoinedLines = 2;
// A pasted line past this is no wrapped error message; it is not joined.
constexpr std::size_t kMaxJoinedLine = 2048;

// Pasted inside a single-quoted YAML or SQL string (a KubeVirt status, a
// database dump), every quote is doubled: "doesn''t". Messages never double
// one, so undoing it only restores the message as its program wrote it.
std::string undoubled_quotes(std::string text) {
  for (std::size_t at = text.find("''"); at != std::string::npos; at = text.find("''", at + 1)) {
    text.erase(at, 1);
  }
  return text;
}

class fragment_parser final : public line_parser {
 public:
  explicit fragment_parser(line_context ctx) : ctx_(std::move(ctx)) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    const std::string_view text = unquoted(line);
    if (text.size() > kMaxFragmentLine) {
      recent_count_ = 0;
      ++result_.skipped_lines;
      return;
    }
    if (text.empty()) {
      recent_count_ = 0;  // a blank line ends a paragraph: nothing wraps over it
      ++result_.skipped_lines;
      return;
    }
    bool kept = true;
    // Only a line that holds a doubled quote is copied: a file of long lines
    // (a bomb of zeros) must not cost a copy of each.
    const std::size_t alone = hints(text);
    std::string plain;
    if (text.find("''") != std::string_view::npos) plain = undoubled_quotes(std::string(text));
    if (!plain.empty() && hints(plain) > alone) {
      keep(line_no, plain, plain);
    } else if (alone > 0) {
      // A pasted nova line keeps where its user identity is, as the nova
      // parser's events do (event::user_identity): the report folds it alike.
      const auto header = parse_oslo_header(text);
      keep(line_no, std::string(line), std::string(text),
           {line, header ? header->user_identity : std::string_view()});
    } else {
      kept = false;
    }
    // Also when kept alone: its first half may be the end of a wrapped error.
    if (!joined_with_previous(text) && !kept) ++result_.skipped_lines;
    remember(text, line_no);
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
  std::size_t hints(std::string_view text) const { return (*ctx_.fragment_filter)(text); }

  // A terminal, a ticket's columns or a YAML folded scalar wrap one error
  // over lines: each line is tried joined with the one or two before it (one space between, as the wrap replaced it), first with
  // doubled quotes undone, then as pasted. A join is kept only when it holds
  // more recognisable text than its lines apart (a hint spans the wrap), so
  // "thanks" under an error line is not taken for its continuation. The
  // event cites the first line.
  bool joined_with_previous(std::string_view text) {
    if (text.size() > kMaxJoinedLine || recent_count_ == 0) return false;
    std::string joined(text);
    std::size_t apart = hints(text);
    for (std::size_t back = 1; back <= kJoinedLines && back <= recent_count_; ++back) {
      const auto& [prev, prev_line] = recent_[(recent_next_ + recent_.size() - back) % recent_.size()];
      joined = prev + " " + joined;
      apart += hints(prev);
      for (const std::string& candidate : {undoubled_quotes(joined), joined}) {
        if (hints(candidate) <= apart) continue;
        keep(prev_line, candidate, candidate);
        return true;
      }
    }
    return false;
  }

  void remember(std::string_view text, std::uint32_t line_no) {
    if (text.size() > kMaxJoinedLine) {
      recent_count_ = 0;
      return;
    }
    recent_[recent_next_] = {std::string(text), line_no};
    recent_next_ = (recent_next_ + 1) % recent_.size();
    recent_count_ = std::min(recent_count_ + 1, recent_.size());
  }

  // A view into the line as read, and the user identity within it (or empty).
  struct identity_in_line {
    std::string_view line, identity;
  };

  void keep(std::uint32_t line_no, std::string text, std::string message,
            identity_in_line identity = {}) {
    if (result_.events.size() >= kMaxFragmentEvents) {
      ++result_.skipped_lines;
      ++over_;
      return;
    }
    event ev;
    ev.source = input_kind::unrecognized;
    ev.host = ctx_.host;
    ev.where = {ctx_.input, line_no};
    ev.text = std::move(text);
    ev.message = std::move(message);
    cap_kept_text(ev);
    ev.user_identity = span_in_copy(identity.line, identity.identity, ev.text);
    result_.events.push_back(std::move(ev));
  }

  line_context ctx_;
  parse_result result_;
  std::size_t over_ = 0;
  // The last lines (unquoted text, line number), a ring of kJoinedLines.
  std::array<std::pair<std::string, std::uint32_t>, kJoinedLines> recent_;
  std::size_t recent_next_ = 0;
  std::size_t recent_count_ = 0;
};

}  // namespace

std::unique_ptr<line_parser> make_fragment_parser(line_context ctx) {
  return std::make_unique<fragment_parser>(std::move(ctx));
}

}  // namespace migsleuth::parsers
