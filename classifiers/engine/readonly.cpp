// The read-only checker behind is_read_only_command(): the line is split as
// the shell would split it (shell_words.cpp), and every pipeline or list
// segment must be an allowlisted tool whose arguments, parsed the way that
// tool parses them, keep it a query (the tool tables: readonly_text.cpp,
// readonly_host.cpp, readonly_net.cpp, readonly_cloud.cpp). Wrappers (ssh,
// sudo, timeout) are judged by what they run. Anything not understood is
// refused: a confirmation command that might change state is a worse bug
// than one the rule author has to rewrite.
#include "engine/readonly.hpp"

#include <algorithm>

#include "engine/readonly_spec.hpp"
#include "engine/shell_words.hpp"
#include "migsleuth/classifiers/classify.hpp"

namespace migsleuth::classifiers {
namespace readonly {
namespace {

constexpr int kMaxWrapDepth = 4;

const tool_spec* find_tool(std::string_view verb) {
  for (auto family : {text_tools(), host_tools(), net_tools(), cloud_tools(), container_tools()}) {
    for (const tool_spec& t : family) {
      if (t.name == verb) return &t;
    }
  }
  return nullptr;
}

// Control characters have no business in a command an operator pastes; the
// gap mark is allowed only where the caller filled a template.
bool plain_text(std::string_view line, bool gaps, std::string& why) {
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && !(gaps && c == kGapMark)) || u == 0x7f) {
      return refuse(why, "command holds a control character");
    }
  }
  return true;
}

// Messages quote the words; a gap reads as the placeholder it stands for.
std::string readable(std::string why) {
  std::string out;
  for (const char c : why) {
    if (c == kGapMark) {
      out += "<value>";
    } else if (c == kGlobMark) {
      out += '*';
    } else {
      out += c;
    }
  }
  return out;
}

// Tools that read any number of files named by operands: an absolute path's
// glob (shell_words.hpp kGlobMark) may stand among them. The wrappers judge
// the command they run, where the same rule applies; their own words reject
// the mark (a container, pod or host name, a duration, an option value).
constexpr std::string_view kManyFileReaders[] = {
    "grep", "egrep", "fgrep", "zgrep", "zegrep", "cat", "zcat", "xzcat", "bzcat", "zstdcat",
    "head", "tail", "ls", "stat", "wc", "file", "getfacl", "namei"};
constexpr std::string_view kWrappers[] = {"sudo", "timeout", "ssh", "podman", "docker", "kubectl"};

template <std::size_t K>
bool listed(const std::string_view (&set)[K], std::string_view w) {
  return std::find(std::begin(set), std::end(set), w) != std::end(set);
}

bool has_glob(args_t args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& w) {
    return w.find(kGlobMark) != std::string::npos;
  });
}

}  // namespace

bool judge_table(const tool_spec& spec, args_t args, const context& ctx, std::string& why) {
  invocation inv;
  if (!parse_options(args, spec.syn, inv, why)) return false;
  return spec.operands == nullptr || spec.operands(inv, ctx, why);
}

bool judge(args_t words, const context& ctx, std::string& why) {
  if (ctx.depth > kMaxWrapDepth) return refuse(why, "wrappers nested too deeply");
  if (words.empty()) return refuse(why, "a wrapper with no command to run");
  const std::string& verb = words[0];
  const tool_spec* spec = find_tool(verb);
  if (spec == nullptr) return refuse(why, "'" + verb + "' is not on the read-only allowlist");
  const args_t args = words.subspan(1);
  if (has_glob(args) && !listed(kManyFileReaders, verb) && !listed(kWrappers, verb)) {
    return refuse(why, "a glob ('*') may stand only among the files of a tool that reads any "
                       "number of them (grep, zgrep, cat, ls, ...), not in a '" + verb + "' command");
  }
  return spec->custom != nullptr ? spec->custom(args, ctx, why)
                                 : judge_table(*spec, args, ctx, why);
}

bool judge_line(const std::string& line, const context& ctx, std::string& why) {
  if (ctx.depth > kMaxWrapDepth) return refuse(why, "wrappers nested too deeply");
  if (!plain_text(line, ctx.gaps, why)) return false;
  std::vector<shell_words> segments;
  std::string split_why;
  if (!split_shell(line, segments, split_why)) return refuse(why, "command " + split_why);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    std::string seg_why;
    if (!judge(segments[i], ctx, seg_why)) {
      return refuse(why, segments.size() == 1
                             ? seg_why
                             : "segment " + std::to_string(i + 1) + " ('" + segments[i][0] +
                                   " ...'): " + seg_why);
    }
  }
  why.clear();
  return true;
}

}  // namespace readonly

bool is_read_only_command(const std::string& command, std::string& why) {
  const bool ok = readonly::judge_line(command, {0, false}, why);
  why = readonly::readable(std::move(why));  // a glob mark reads as the '*' written
  return ok;
}

bool is_read_only_with_gaps(const std::string& command, std::string& why) {
  const bool ok = readonly::judge_line(command, {0, true}, why);
  why = readonly::readable(std::move(why));
  return ok;
}

}  // namespace migsleuth::classifiers
