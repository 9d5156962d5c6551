#include "migsleuth/parsers/capture_lines.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace migsleuth::parsers {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    s = end == std::string_view::npos ? std::string_view() : s.substr(end);
  }
  return out;
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) noexcept {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int month_of(std::string_view word) {
  if (word.size() < 3) return 0;
  const std::string w = lower_ascii(word.substr(0, 3));
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (w == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool is_weekday(std::string_view word) {
  if (word.size() < 3) return false;
  const std::string w = lower_ascii(word.substr(0, 3));
  return std::find(kWeekdays.begin(), kWeekdays.end(), w) != kWeekdays.end();
}

// "HH:MM:SS" -> seconds of the day, or -1.
int clock_seconds(std::string_view w) noexcept {
  if (w.size() != 8 || w[2] != ':' || w[5] != ':') return -1;
  const auto h = w.substr(0, 2), m = w.substr(3, 2), s = w.substr(6, 2);
  if (!all_digits(h) || !all_digits(m) || !all_digits(s)) return -1;
  if (to_int(h) > 23 || to_int(m) > 59 || to_int(s) > 60) return -1;
  return to_int(h) * 3600 + to_int(m) * 60 + to_int(s);
}

// "+0200" / "-04:00" -> seconds east of UTC.
std::optional<int> numeric_zone(std::string_view z) noexcept {
  if (z.size() < 5 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  std::string digits;
  for (char c : z.substr(1)) {
    if (c != ':') digits.push_back(c);
  }
  if (digits.size() != 4 || !all_digits(digits)) return std::nullopt;
  const int secs = to_int(std::string_view(digits).substr(0, 2)) * 3600 +
                   to_int(std::string_view(digits).substr(2, 2)) * 60;
  return z[0] == '-' ? -secs : secs;
}

// A host or user name: letters, digits, '.', '-', '_'.
bool is_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

std::string_view strip_quotes(std::string_view w) noexcept {
  while (!w.empty() && (w.front() == '\'' || w.front() == '"')) w.remove_prefix(1);
  while (!w.empty() && (w.back() == '\'' || w.back() == '"')) w.remove_suffix(1);
  return w;
}

// "qemu+ssh://nova@cmp-b:22/system" -> "cmp-b"; "qemu:///system" -> "".
std::string host_of_uri(std::string_view uri) {
  const auto scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = uri.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  rest = rest.substr(0, rest.find(':'));
  return is_name(rest) ? std::string(rest) : std::string();
}

// Where the word "virsh" starts in `line` (a whole word, or the end of a path
// such as /usr/bin/virsh), or npos.
std::size_t find_virsh_word(std::string_view line) noexcept {
  for (auto at = line.find("virsh "); at != std::string_view::npos;
       at = line.find("virsh ", at + 1)) {
    if (at == 0 || std::string_view(" \t;&|('\"/").find(line[at - 1]) != std::string_view::npos) {
      return at;
    }
  }
  return std::string_view::npos;
}

// What may come before "virsh" on a command line: nothing, a prompt
// ("$ ", "[root@h ~]# "), or shell that runs it: "date; ", "&& ", "do ",
// "watch -n 5 ", "sudo ", "ssh cmp-a '". Prose ("I ran virsh list") may not.
bool runs_a_command(std::string_view before) {
  before = trim(before);
  while (!before.empty() && before.back() == '/') {  // "/usr/bin/virsh"
    const auto cut = before.find_last_of(" \t");
    before = cut == std::string_view::npos ? std::string_view() : trim(before.substr(0, cut + 1));
  }
  if (before.empty()) return true;
  if (std::string_view("$#>;&|(\'\"").find(before.back()) != std::string_view::npos) return true;
  auto w = words(before);
  // "watch -n 5 virsh ...", "timeout 10 virsh ...": options and numbers of the runner.
  while (!w.empty() && (w.back().front() == '-' || all_digits(w.back()))) w.pop_back();
  if (w.empty()) return false;
  constexpr std::array<std::string_view, 8> kRunners{"do",   "then", "sudo",    "watch",
                                                     "time", "exec", "timeout", "nice"};
  return std::find(kRunners.begin(), kRunners.end(), w.back()) != kRunners.end();
}

}  // namespace


std::optional<date_line> parse_date_line(std::string_view line) noexcept {
  line = trim(line);
  if (auto iso = parse_iso_datetime(line); iso && trim(line.substr(iso->consumed)).empty()) {
    return date_line{iso->time, iso->has_zone, iso->has_zone ? "UTC" : ""};
  }
  // date(1): every token is classified by its shape, so both the C-locale and
  // the en_US order are read without a locale table.
  std::vector<std::string_view> w;
  try {
    w = words(line);
  } catch (...) {
    return std::nullopt;
  }
  if (w.size() < 5 || w.size() > 7 || !is_weekday(w[0])) return std::nullopt;
  int year = 0, month = 0, day = 0, secs = -1;
  bool pm = false, am = false;
  std::string_view zone;
  for (std::size_t i = 1; i < w.size(); ++i) {
    const std::string_view t = w[i];
    if (const int m = month_of(t); m != 0 && month == 0 && !all_digits(t)) {
      month = m;
    } else if (all_digits(t) && t.size() == 4) {
      year = to_int(t);
    } else if (all_digits(t) && t.size() <= 2 && day == 0) {
      day = to_int(t);
    } else if (const int s = clock_seconds(t); s >= 0) {
      secs = s;
    } else if (t == "PM" || t == "pm") {
      pm = true;
    } else if (t == "AM" || t == "am") {
      am = true;
    } else {
      zone = t;
    }
  }
  if (year == 0 || month == 0 || day < 1 || day > 31 || secs < 0) return std::nullopt;
  if (pm && secs < 12 * 3600) secs += 12 * 3600;
  if (am && secs >= 12 * 3600) secs -= 12 * 3600;
  date_line d;
  d.zone = std::string(zone);
  std::int64_t offset = 0;
  if (zone == "UTC" || zone == "GMT" || zone == "Z") {
    d.zone_known = true;
  } else if (auto z = numeric_zone(zone)) {
    d.zone_known = true;
    offset = *z;
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  d.time.micros = (days * 86400 + secs - offset) * 1'000'000;
  return d;
}

std::optional<virsh_command> parse_virsh_command(std::string_view line) {
  const auto at = find_virsh_word(line);
  if (at == std::string_view::npos) return std::nullopt;
  if (!runs_a_command(line.substr(0, at))) return std::nullopt;
  const auto w = words(line.substr(at + 6));
  virsh_command cmd;
  bool takes_value = false;  // "-c URI" / "--connect URI" before the subcommand
  for (auto word : w) {
    if (word == ";" || word == "&&" || word == "||" || word == "|" || word == ">" || word == ">>") {
      break;
    }
    // "virsh domjobinfo instance-0000abcd; sleep 5; done": the word ends the command.
    const auto stop = word.find_first_of(";&|>");
    const bool last = stop != std::string_view::npos;
    word = strip_quotes(word.substr(0, stop));
    if (word.empty()) break;
    if (cmd.subcommand.empty()) {
      if (takes_value) {
        takes_value = false;
        cmd.uri_host = host_of_uri(word);
      } else if (word == "-c" || word == "--connect") {
        takes_value = true;
      } else if (word.substr(0, 10) == "--connect=") {
        cmd.uri_host = host_of_uri(word.substr(10));
      } else if (word.front() != '-') {
        cmd.subcommand = std::string(word);
      }
    } else if (word.substr(0, 2) == "--") {
      cmd.options.emplace_back(word);
    } else {
      cmd.arguments.emplace_back(word);
    }
    if (last) break;
  }
  if (cmd.subcommand.empty()) return std::nullopt;
  return cmd;
}

std::string prompt_host(std::string_view line) {
  line = trim(line);
  if (line.empty()) return {};
  // "[root@cmp-a ~]# ..." (RHEL), "root@cmp-a:~# ..." (Debian/Ubuntu).
  const std::size_t open = line.front() == '[' ? 1 : 0;
  const auto at = line.find('@');
  if (at == std::string_view::npos || at == open || at > 64) return {};
  const std::string_view user = line.substr(open, at - open);
  if (!is_name(user)) return {};
  const std::string_view rest = line.substr(at + 1);
  const auto end = rest.find_first_of(open == 1 ? " ]" : ":");
  if (end == std::string_view::npos) return {};
  const std::string_view host = rest.substr(0, end);
  // The prompt must end in '#' or '$' before the command.
  const auto mark = rest.find_first_of("#$", end);
  if (mark == std::string_view::npos || (open == 1 && rest.find(']', end) > mark)) return {};
  if (open == 0 && rest.substr(end, mark - end).find(' ') != std::string_view::npos) return {};
  return is_name(host) && !all_digits(host) ? std::string(host) : std::string();
}

bool capture_host::feed(std::string_view line) {
  const std::string_view t = trim(line);
  if (after_hostname_) {
    after_hostname_ = false;
    if (is_name(t) && !t.empty()) {
      offer(std::string(t), 1, "the output of its 'hostname' command ('" + std::string(t) + "')");
      return true;
    }
  }
  if (auto cmd = parse_virsh_command(t); cmd && !cmd->uri_host.empty()) {
    // The capture shows the remote host's domains, wherever virsh ran.
    offer(cmd->uri_host, 3, "the host of its virsh connection URI ('" + cmd->uri_host + "')");
  }
  if (std::string h = prompt_host(t); !h.empty()) {
    offer(h, 2, "the shell prompt of the capture ('" + h + "')");
    const auto mark = t.find_first_of("#$", t.find('@'));
    after_hostname_ = mark != std::string_view::npos && trim(t.substr(mark + 1)) == "hostname";
    return true;
  }
  if (t == "^C") return true;  // the interrupt that ends a loop or a watch
  if (t == "$ hostname" || t == "# hostname") {
    after_hostname_ = true;
    return true;
  }
  return false;
}

void capture_host::offer(std::string host, int rank, std::string why) {
  if (rank <= rank_) return;
  rank_ = rank;
  host_ = std::move(host);
  why_ = std::move(why);
}

namespace {

bool is_hex(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// nova's default instance_name_template "instance-%08x", or a UUID, anywhere
// in a name ("jobwatch-instance-0000062a.log", "8b2f6d14-...-5d3a0c8f2e69.txt").
std::string domain_anywhere(std::string_view name) {
  for (auto at = name.find("instance-"); at != std::string_view::npos;
       at = name.find("instance-", at + 1)) {
    const std::string_view id = name.substr(at + 9, 8);
    const bool ends = at + 17 >= name.size() || !is_hex(name.substr(at + 17, 1));
    if (id.size() == 8 && is_hex(id) && ends) return std::string(name.substr(at, 17));
  }
  for (std::size_t at = 0; at + 36 <= name.size(); ++at) {
    const std::string_view u = name.substr(at, 36);
    if (u[8] == '-' && u[13] == '-' && u[18] == '-' && u[23] == '-' && is_hex(u.substr(0, 8)) &&
        is_hex(u.substr(9, 4)) && is_hex(u.substr(14, 4)) && is_hex(u.substr(19, 4)) &&
        is_hex(u.substr(24, 12))) {
      return std::string(u);
    }
  }
  return {};
}

}  // namespace

std::string domain_from_capture_name(std::string_view file_name, std::string_view stem) {
  if (file_name.substr(0, stem.size()) != stem) return domain_anywhere(file_name);
  std::string_view rest = file_name.substr(stem.size());
  if (rest.empty() || (rest.front() != '-' && rest.front() != '_')) {
    return domain_anywhere(file_name);
  }
  rest.remove_prefix(1);
  // Extensions (".txt", ".out", ".log", ".gz"): libvirt domain names never hold
  // a dot in nova ("instance-%08x"), and UUIDs neither.
  rest = rest.substr(0, rest.find('.'));
  return std::string(rest);
}

}  // namespace migsleuth::parsers
