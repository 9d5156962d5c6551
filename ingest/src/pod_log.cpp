#include "pod_log.hpp"

#include <simdjson.h>

#include <optional>
#include <vector>

#include "migsleuth/parsers/json_text.hpp"
#include "parser_seam.hpp"

namespace migsleuth::ingest {
namespace {

// One record of a container log: the runtime's stamp, the program's text and
// whether the next record continues it.
struct pod_record {
  timestamp stamp;
  std::string_view text;  // into the line, or into `owned`
  bool partial = false;
  std::string owned;      // docker: the unescaped "log"
};

// "2024-05-21T22:00:01.123456789Z " (Go's RFC3339Nano, any fraction, any zone:
// CRI-O writes the node's local offset). The length with its blank, or 0.
std::size_t runtime_stamp(std::string_view line, timestamp& t) noexcept {
  if (line.size() < 21 || line[10] != 'T') return 0;
  const auto p = parse_iso_datetime(line);
  if (!p || !p->has_zone || p->consumed >= line.size() || line[p->consumed] != ' ') return 0;
  t = p->time;
  return p->consumed + 1;
}

bool read_cri(std::string_view line, pod_record& r) noexcept {
  const std::size_t at = runtime_stamp(line, r.stamp);
  if (at == 0) return false;
  std::string_view rest = line.substr(at);
  std::size_t stream = 0;
  if (rest.substr(0, 7) == "stdout ") stream = 7;
  if (rest.substr(0, 7) == "stderr ") stream = 7;
  if (stream == 0 || rest.size() < stream + 1) return false;
  rest.remove_prefix(stream);
  // The tag is F or P, maybe followed by ':'-separated tags of a later CRI.
  const std::size_t tag_end = rest.find(' ');
  const std::string_view tag = rest.substr(0, tag_end);
  if (tag.empty() || (tag[0] != 'F' && tag[0] != 'P') || (tag.size() > 1 && tag[1] != ':')) {
    return false;
  }
  r.partial = tag[0] == 'P';
  r.text = tag_end == std::string_view::npos ? std::string_view() : rest.substr(tag_end + 1);
  return true;
}

bool read_docker(simdjson::ondemand::parser& parser, std::string_view line, pod_record& r) {
  if (line.empty() || line.front() != '{' || line.find("\"log\"") == std::string_view::npos ||
      line.find("\"time\"") == std::string_view::npos) {
    return false;
  }
  try {
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object o;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(o) != simdjson::SUCCESS) {
      return false;
    }
    bool has_log = false, has_time = false;
    for (auto f : o) {
      std::string_view key;
      simdjson::ondemand::value v;
      if (f.unescaped_key().get(key) != simdjson::SUCCESS || f.value().get(v) != simdjson::SUCCESS) {
        return false;
      }
      if (key == "log") {
        if (!json::value_text(v, r.owned)) return false;
        has_log = true;
      } else if (key == "time") {
        std::string t;
        if (!json::value_text(v, t)) return false;
        const auto p = parse_iso_datetime(t);
        if (!p || !p->has_zone) return false;
        r.stamp = p->time;
        has_time = true;
      }
    }
    if (!has_log || !has_time) return false;
  } catch (const simdjson::simdjson_error&) {
    return false;
  }
  // docker cuts lines longer than 16 KiB into records without the final \n.
  r.partial = r.owned.empty() || r.owned.back() != '\n';
  std::string_view text = r.owned;
  if (!r.partial) text.remove_suffix(1);
  r.text = text;
  return true;
}

bool is_program_line(std::string_view inner) {
  if (parse_oslo_header(inner)) return true;
  // libvirtd's own: "2024-05-21 22:00:01.123+0000: 1234: error : ..."
  const auto t = parse_iso_datetime(inner);
  return t && t->has_zone && inner.substr(t->consumed, 2) == ": ";
}

bool read_kubectl(std::string_view line, pod_record& r) noexcept {
  const std::size_t at = runtime_stamp(line, r.stamp);
  if (at == 0) return false;
  r.text = line.substr(at);
  r.partial = false;
  return true;
}

class record_reader {
 public:
  explicit record_reader(pod_log_format f) : format_(f) {}

  bool read(std::string_view line, pod_record& r) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    switch (format_) {
      case pod_log_format::cri:
        return read_cri(line, r);
      case pod_log_format::docker_json:
        return read_docker(json_, line, r);
      case pod_log_format::kubectl_timestamps:
        return read_kubectl(line, r);
      case pod_log_format::none:
        break;
    }
    return false;
  }

 private:
  pod_log_format format_;
  simdjson::ondemand::parser json_;
};

std::string_view first_line(std::string_view head) {
  const auto start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  head.remove_prefix(start);
  return head.substr(0, head.find('\n'));
}

class pod_log_parser final : public line_parser {
 public:
  pod_log_parser(std::unique_ptr<line_parser> inner, pod_log_format f, std::uint64_t max_line)
      : inner_(std::move(inner)), reader_(f), max_line_(max_line) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    pod_record r;
    if (!reader_.read(line, r)) {
      ++not_records_;
      return;
    }
    if (!in_part_ && !r.partial) {  // the usual record: no copy
      inner_->feed_line(r.text, line_no);
      settle(line_no, r.stamp, line);
      return;
    }
    if (!in_part_) {
      first_no_ = line_no;
      first_stamp_ = r.stamp;
      joined_.clear();
    }
    const std::size_t room = max_line_ > joined_.size() ? max_line_ - joined_.size() : 0;
    joined_.append(r.text.substr(0, room));
    in_part_ = r.partial;
    if (in_part_) {
      ++parts_;  // a line of the file, read as part of the next one
      return;
    }
    inner_->feed_line(joined_, first_no_);
    settle(first_no_, first_stamp_, std::nullopt);
  }

  void drain(std::vector<event>& out) override {
    for (auto& ev : pending_) out.push_back(std::move(ev));
    pending_.clear();
    inner_->drain(out);
  }

  parse_result finish() override {
    if (in_part_) {  // the file ends inside a split line: read what there is
      inner_->feed_line(joined_, first_no_);
      settle(first_no_, first_stamp_, std::nullopt);
      in_part_ = false;
      --parts_;  // fed after all: counted by the inner parser
    }
    std::vector<event> settled = std::move(pending_);
    parse_result r = inner_->finish();
    // Events a parser keeps to the end (nova's first and last listings):
    // the offset this file showed.
    for (auto& ev : r.events) {
      if (ev.local_clock && ev.time.known() && offset_) {
        ev.time.add_seconds(-*offset_);
        ev.local_clock = false;
      }
    }
    settled.insert(settled.end(), std::make_move_iterator(r.events.begin()),
                   std::make_move_iterator(r.events.end()));
    r.events = std::move(settled);
    r.lines += not_records_ + parts_;
    r.skipped_lines += not_records_;
    return r;
  }

 private:
  // The events of this record: cited as the file holds it, dated by the
  // runtime. A line the runtime split into parts (`record` null) keeps the
  // program's whole line as its text, cited at its first part: no one record
  // holds it, and the rules must see all of it.
  void settle(std::uint32_t line_no, timestamp stamp, std::optional<std::string_view> record) {
    const std::size_t from = pending_.size();
    inner_->drain(pending_);
    for (std::size_t i = from; i < pending_.size(); ++i) {
      event& ev = pending_[i];
      if (ev.where.line != line_no) continue;
      if (record) {
        ev.text = capped_text(*record);
        ev.text_cut = ev.text_cut || ev.text.size() < record->size();
      }
      if (!ev.time.known()) {
        ev.time = stamp;  // a line with no stamp of its own (libvirt's journal form)
        ev.local_clock = false;
      } else if (ev.local_clock) {
        // The runtime's stamp follows the program's own by milliseconds.
        const std::int64_t shift = nearest_quarter_hour((ev.time.micros - stamp.micros) / 1'000'000);
        offset_ = shift;
        ev.time.add_seconds(-shift);
        ev.local_clock = false;
      }
    }
  }

  std::unique_ptr<line_parser> inner_;
  record_reader reader_;
  std::uint64_t max_line_;
  std::vector<event> pending_;  // drained from inner_, cited and dated
  std::uint64_t not_records_ = 0;
  std::uint64_t parts_ = 0;  // records joined into the next one (CRI P, docker without \n)
  bool in_part_ = false;
  std::uint32_t first_no_ = 0;
  timestamp first_stamp_;
  std::string joined_;
  std::optional<std::int64_t> offset_;  // seconds the program's clock is ahead of UTC
};

}  // namespace

pod_log_format pod_log_format_of(std::string_view head) {
  const std::string_view line = first_line(head);
  if (line.empty()) return pod_log_format::none;
  pod_record r;
  if (read_cri(line, r)) return pod_log_format::cri;
  if (line.front() == '{') {
    simdjson::ondemand::parser parser;
    return read_docker(parser, line, r) ? pod_log_format::docker_json : pod_log_format::none;
  }
  if (read_kubectl(line, r) && is_program_line(r.text)) return pod_log_format::kubectl_timestamps;
  return pod_log_format::none;
}

std::string_view describe(pod_log_format f) noexcept {
  switch (f) {
    case pod_log_format::cri:
      return "CRI container log (containerd, CRI-O)";
    case pod_log_format::docker_json:
      return "docker json-file container log";
    case pod_log_format::kubectl_timestamps:
      return "kubectl logs --timestamps output";
    case pod_log_format::none:
      break;
  }
  return "not a container log";
}

std::string pod_log_head_as_text(std::string_view head, pod_log_format f) {
  record_reader reader(f);
  std::string out;
  for (;;) {
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos) break;  // a cut last record: not read here
    pod_record r;
    if (reader.read(head.substr(0, nl), r)) {
      out.append(r.text);
      if (!r.partial) out += '\n';
    }
    head.remove_prefix(nl + 1);
  }
  return out;
}

std::string pod_log_container(std::string_view path) {
  if (const auto at = path.find("var/log/pods/"); at != std::string_view::npos) {
    std::string_view rest = path.substr(at + 13);
    const auto pod_end = rest.find('/');
    if (pod_end == std::string_view::npos) return {};
    rest.remove_prefix(pod_end + 1);
    const auto container_end = rest.find('/');
    if (container_end == std::string_view::npos) return {};
    return std::string(rest.substr(0, container_end));
  }
  if (const auto at = path.find("var/log/containers/"); at != std::string_view::npos) {
    const std::string_view file = path.substr(at + 19);
    // POD_NS_CONTAINER-ID.log: the container id is 64 hex digits.
    const auto u1 = file.find('_');
    const auto u2 = file.find('_', u1 == std::string_view::npos ? file.size() : u1 + 1);
    const auto dash = file.rfind('-');
    if (file.find('/') != std::string_view::npos || u2 == std::string_view::npos ||
        dash == std::string_view::npos || dash < u2) {
      return {};
    }
    return std::string(file.substr(u2 + 1, dash - u2 - 1));
  }
  return {};
}

detection detect_pod_log_kind(std::string_view path, std::string_view lines, pod_log_format f) {
  const std::string container = pod_log_container(path);
  std::string as_named(path);
  if (container.rfind("nova-compute", 0) == 0) as_named = "nova-compute.log";
  if (container == "libvirt" || container.find("virtqemud") != std::string::npos) {
    as_named = "libvirtd.log";
  }
  detection d = detect_kind(as_named, lines);
  if (as_named != path && d.reason.rfind("name says ", 0) == 0) {
    d.reason = "its container's " + d.reason;
  }
  d.reason = std::string(describe(f)) +
             (container.empty() ? std::string() : " of container '" + container + "'") +
             ", read as its lines: " + d.reason;
  return d;
}

std::unique_ptr<line_parser> wrap_pod_log(std::unique_ptr<line_parser> inner, pod_log_format f,
                                          std::uint64_t max_line) {
  return std::make_unique<pod_log_parser>(std::move(inner), f, max_line);
}

}  // namespace migsleuth::ingest
