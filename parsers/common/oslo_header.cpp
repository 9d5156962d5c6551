#include "migsleuth/parsers/oslo_header.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <utility>

namespace migsleuth::parsers {
namespace {

constexpr std::array<std::string_view, 7> kLevels{"DEBUG",    "INFO",  "WARNING", "ERROR",
                                                  "CRITICAL", "TRACE", "AUDIT"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kInstanceMarker = "[instance: ";
constexpr std::string_view kAnsiReset = "#033[00m";

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// `s` from `at`, which the caller knows is within it: every line slices its
// header a dozen times, and substr's range check and throw path kept it a
// call each time.
std::string_view from(std::string_view s, std::size_t at) noexcept {
  return {s.data() + at, s.size() - at};
}

// Every line asks: the levels begin with seven different letters, so the
// first one picks the only candidate to compare.
bool is_level(std::string_view tok) noexcept {
  if (tok.empty()) return false;
  for (auto l : kLevels) {
    if (l.front() == tok.front()) return tok == l;
  }
  return false;
}

std::string_view next_token(std::string_view& rest) noexcept {
  const auto end = rest.find(' ');
  if (end == std::string_view::npos) return std::exchange(rest, std::string_view());
  const std::string_view tok(rest.data(), end);
  rest = from(rest, end + 1);
  return tok;
}

// "[None req-A u p ...]" / "[req-A ...]" / "[GREQ req-A ...]" / "[-]"
void parse_context(std::string_view inner, oslo_header& h) noexcept {
  std::string_view rest = inner;
  const std::string_view first = next_token(rest);
  const std::string_view after_first = rest;
  const std::string_view second = next_token(rest);
  if (second.starts_with("req-")) {
    h.request_id = second;  // Zed+: "[GLOBAL req-X ...]", GLOBAL is "None" or a req id
    if (first.starts_with("req-")) h.global_request_id = first;
    h.user_identity = rest;
  } else if (first.starts_with("req-")) {
    h.request_id = first;
    h.user_identity = after_first;
  }
}

}  // namespace

namespace {

// Length of "Jul 11 18:10:59" with an optional ".fraction", or 0.
std::size_t bsd_stamp_length(std::string_view line) noexcept {
  if (line.size() < 16 || line[3] != ' ') return 0;
  bool month = false;
  for (auto m : kMonths) month = month || line.substr(0, 3) == m;
  if (!month || line[6] != ' ' || line[9] != ':' || line[12] != ':') return 0;
  std::size_t end = 15;
  if (line[end] == '.') {
    ++end;
    while (end < line.size() && is_digit(line[end])) ++end;
  }
  return end;
}

}  // namespace

std::optional<syslog_prefix> parse_syslog_prefix(std::string_view line) noexcept {
  syslog_prefix p;
  std::size_t end = bsd_stamp_length(line);
  if (end == 0) {
    // ISO forms always carry a 'T' and a zone; oslo's own stamp never does
    // (every oslo line comes here first: the cheap test goes first).
    if (line.size() < 20 || line[10] != 'T') return std::nullopt;
    const auto t = parse_iso_datetime(line);
    if (!t || !t->has_zone) return std::nullopt;
    end = t->consumed;
    p.iso = true;
  }
  if (end >= line.size() || line[end] != ' ') return std::nullopt;
  p.stamp = line.substr(0, end);
  const auto host_end = line.find(' ', end + 1);
  if (host_end == std::string_view::npos || host_end == end + 1) return std::nullopt;
  p.host = line.substr(end + 1, host_end - end - 1);
  const auto tag_end = line.find(": ", host_end + 1);
  if (tag_end == std::string_view::npos || tag_end > host_end + 80) return std::nullopt;
  p.tag = line.substr(host_end + 1, tag_end - host_end - 1);
  if (p.tag.empty() || p.tag.find(' ') != std::string_view::npos) return std::nullopt;
  p.message = line.substr(tag_end + 2);
  return p;
}

std::string_view strip_syslog_prefix(std::string_view line, bool& stripped) noexcept {
  stripped = false;
  const auto p = parse_syslog_prefix(line);
  // Only a daemon with a pid ("prog[pid]"): nova, libvirtd and QEMU all have one.
  if (!p || p->tag.back() != ']') return line;
  stripped = true;
  return p->message;
}

namespace {

// oslo.log's own stamp ("2024-03-05 10:12:10.120"): no syslog prefix starts
// so (parse_syslog_prefix: a BSD stamp has a month name, an ISO one a 'T'),
// and nearly every line of a nova log does.
bool starts_with_oslo_stamp(std::string_view line) noexcept {
  return line.size() > 10 && line[4] == '-' && line[10] == ' ';
}

}  // namespace

std::optional<oslo_header> parse_oslo_header(std::string_view line) noexcept {
  oslo_header h;
  if (!starts_with_oslo_stamp(line)) line = strip_syslog_prefix(line, h.syslog_wrapped);
  const auto t = parse_iso_datetime(line);
  if (!t || t->has_zone || t->consumed >= line.size() || line[t->consumed] != ' ') {
    return std::nullopt;
  }
  h.local_time = t->time;
  std::string_view rest = from(line, t->consumed + 1);
  std::string_view tok = next_token(rest);
  bool all_digits = !tok.empty();
  for (char c : tok) all_digits = all_digits && is_digit(c);
  if (all_digits) {
    h.pid = tok;
    tok = next_token(rest);
  }
  if (!is_level(tok)) return std::nullopt;
  h.level = tok;
  h.logger = next_token(rest);
  // oslo.log writes the logger's dotted name bare; a bracketed one after the
  // level is log4j's "[c.c.v.VmWorkJobHandlerProxy]" (CloudStack, Java
  // services), whose lines must go to the fragment reader, not be read as
  // nova-compute records.
  if (h.logger.empty() || h.logger.front() == '[') return std::nullopt;

  if (!rest.empty() && rest.front() == '[' && !rest.starts_with(kInstanceMarker)) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    h.has_context = true;
    parse_context(std::string_view(rest.data() + 1, close - 1), h);
    rest = from(rest, close + 1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  if (rest.starts_with(kInstanceMarker)) {
    const std::string_view uuid(rest.data() + kInstanceMarker.size(),
                                std::min<std::size_t>(36, rest.size() - kInstanceMarker.size()));
    if (looks_like_uuid(uuid) && rest.size() > kInstanceMarker.size() + 36 &&
        rest[kInstanceMarker.size() + 36] == ']') {
      h.instance = uuid;
      rest = from(rest, kInstanceMarker.size() + 37);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    } else {
      h.instance_malformed = true;
    }
  }
  if (!rest.empty() && rest.back() == 'm' && rest.ends_with(kAnsiReset)) {
    rest.remove_suffix(kAnsiReset.size());
  }
  h.message = rest;
  return h;
}

bool parsed_headers::parse(std::string_view line) {
  std::optional<oslo_header> h = parse_oslo_header(line);
  // Only headers are kept: a line that is none is parsed again, where it
  // fails fast (a QEMU log's 200 probed lines are not 200 answers to keep).
  if (!h) return false;
  kept_.push_back({line.data(), line.size(), *h});
  return true;
}

const oslo_header* parsed_headers::find(std::string_view line) noexcept {
  // Lines come in buffer order: pass over the kept lines before this one.
  while (next_ < kept_.size() && std::less<const char*>()(kept_[next_].at, line.data())) ++next_;
  if (next_ == kept_.size()) return nullptr;
  const kept& k = kept_[next_];
  if (k.at != line.data() || k.size != line.size()) return nullptr;
  ++next_;
  return &k.header;
}

}  // namespace migsleuth::parsers
