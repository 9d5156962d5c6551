// `virsh domjobinfo` captures (evidence FMT-21, FMT-22, NC-08): one or many
// blocks per file, each optionally preceded by a `date` line and/or the
// "$ virsh domjobinfo <dom>" command line. Every block becomes one job_stats
// event whose values are numbers in base units (bytes, ms, pages/s), so the
// convergence analysis can compare samples without knowing virsh's units.
//
// virsh's "error: ..." text (domain not running, no such domain) is a warning:
// the operator captured a failure of the tool, not a broken file.
#include <charconv>
#include <cmath>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "parser_factory.hpp"

namespace migsleuth::parsers {
namespace {

enum class unit_kind : std::uint8_t { text, integer, size, bandwidth };

struct label_spec {
  std::string_view label;  // lower-case, as printed (FMT-21) or as --rawstats names it
  std::string_view name;   // the value name the event carries
  unit_kind unit;
};

// FMT-21 labels in virsh's order, then the --rawstats API names.
constexpr label_spec kLabels[] = {
    {"job type", "job_type", unit_kind::text},
    {"operation", "operation", unit_kind::text},
    {"time elapsed", "time_elapsed_ms", unit_kind::integer},
    {"time elapsed w/o network", "time_elapsed_net_ms", unit_kind::integer},
    {"time remaining", "time_remaining_ms", unit_kind::integer},
    {"data processed", "data_processed_bytes", unit_kind::size},
    {"data remaining", "data_remaining_bytes", unit_kind::size},
    {"data total", "data_total_bytes", unit_kind::size},
    {"memory processed", "memory_processed_bytes", unit_kind::size},
    {"memory remaining", "memory_remaining_bytes", unit_kind::size},
    {"memory total", "memory_total_bytes", unit_kind::size},
    {"memory bandwidth", "memory_bandwidth_bps", unit_kind::bandwidth},
    {"dirty rate", "dirty_rate_pps", unit_kind::integer},
    {"page size", "page_size_bytes", unit_kind::integer},
    {"iteration", "iteration", unit_kind::integer},
    {"postcopy requests", "postcopy_requests", unit_kind::integer},
    {"file processed", "file_processed_bytes", unit_kind::size},
    {"file remaining", "file_remaining_bytes", unit_kind::size},
    {"file total", "file_total_bytes", unit_kind::size},
    {"file bandwidth", "file_bandwidth_bps", unit_kind::bandwidth},
    {"constant pages", "constant_pages", unit_kind::integer},
    {"normal pages", "normal_pages", unit_kind::integer},
    {"normal data", "normal_data_bytes", unit_kind::size},
    {"total downtime", "total_downtime_ms", unit_kind::integer},
    {"expected downtime", "expected_downtime_ms", unit_kind::integer},
    {"downtime w/o network", "downtime_net_ms", unit_kind::integer},
    {"setup time", "setup_time_ms", unit_kind::integer},
    {"compression cache", "compression_cache_bytes", unit_kind::size},
    {"compressed data", "compressed_data_bytes", unit_kind::size},
    {"compressed pages", "compressed_pages", unit_kind::integer},
    {"compression cache misses", "compression_cache_misses", unit_kind::integer},
    {"compression overflows", "compression_overflows", unit_kind::integer},
    {"auto converge throttle", "auto_converge_throttle_pct", unit_kind::integer},
    {"temporary disk space use", "temp_disk_used_bytes", unit_kind::size},
    {"temporary disk space total", "temp_disk_total_bytes", unit_kind::size},
    {"error message", "error_message", unit_kind::text},
    // --rawstats: plain numbers in base units already.
    {"time_elapsed", "time_elapsed_ms", unit_kind::integer},
    {"time_remaining", "time_remaining_ms", unit_kind::integer},
    {"data_remaining", "data_remaining_bytes", unit_kind::integer},
    {"data_total", "data_total_bytes", unit_kind::integer},
    {"memory_remaining", "memory_remaining_bytes", unit_kind::integer},
    {"memory_total", "memory_total_bytes", unit_kind::integer},
    {"memory_processed", "memory_processed_bytes", unit_kind::integer},
    {"memory_bps", "memory_bandwidth_bps", unit_kind::integer},
    {"memory_dirty_rate", "dirty_rate_pps", unit_kind::integer},
    {"memory_page_size", "page_size_bytes", unit_kind::integer},
    {"memory_iteration", "iteration", unit_kind::integer},
    {"downtime", "expected_downtime_ms", unit_kind::integer},
    {"auto_converge_throttle", "auto_converge_throttle_pct", unit_kind::integer},
    {"errmsg", "error_message", unit_kind::text},
};

// virDomainJobType / virDomainJobOperation, for --rawstats numeric values.
constexpr std::string_view kJobTypes[] = {"None",   "Bounded",  "Unbounded",
                                          "Completed", "Failed", "Cancelled"};
constexpr std::string_view kOperations[] = {
    "Unknown", "Start", "Save", "Restore", "Incoming migration", "Outgoing migration",
    "Snapshot", "Snapshot revert", "Dump", "Backup", "Snapshot delete"};

const label_spec* find_label(std::string_view label) {
  const std::string l = lower_ascii(label);
  for (const auto& s : kLabels) {
    if (s.label == l) return &s;
  }
  return nullptr;
}

// vshPrettyCapacity units are binary multiples.
double unit_multiplier(std::string_view unit) noexcept {
  constexpr std::string_view kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double m = 1;
  for (auto u : kUnits) {
    if (unit == u) return m;
    m *= 1024;
  }
  return -1;
}

bool leading_number(std::string_view v, double& out, std::string_view& rest) noexcept {
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr == v.data()) return false;
  rest = trim(std::string_view(ptr, static_cast<std::size_t>(v.data() + v.size() - ptr)));
  return std::isfinite(out) && out >= 0;
}

// "1.052 GiB" -> "1129576398"; "95.288 MiB/s" -> bytes per second; "121033 ms" -> "121033".
std::optional<std::string> normalize(std::string_view raw, unit_kind unit) {
  if (unit == unit_kind::text) return std::string(raw);
  double n = 0;
  std::string_view rest;
  if (!leading_number(raw, n, rest)) return std::nullopt;
  if (unit == unit_kind::size || unit == unit_kind::bandwidth) {
    std::string_view u = rest;
    if (unit == unit_kind::bandwidth) {
      if (u.size() < 2 || u.substr(u.size() - 2) != "/s") return std::nullopt;
      u.remove_suffix(2);
    }
    const double m = unit_multiplier(u);
    if (m < 0) return std::nullopt;
    n *= m;
  }
  return std::to_string(std::llround(n));
}

std::string numeric_name(std::string_view raw, const std::string_view* names, std::size_t count) {
  std::size_t i = 0;
  const auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
  if (ec == std::errc() && ptr == raw.data() + raw.size() && i < count) {
    return std::string(names[i]);
  }
  return std::string(raw);
}

std::string snake_case(std::string_view label) {
  std::string out;
  for (char c : lower_ascii(label)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

class domjobinfo_parser final : public line_parser {
 public:
  explicit domjobinfo_parser(line_context ctx)
      : ctx_(std::move(ctx)), domain_(domain_from_capture_name(ctx_.file_name, "domjobinfo")) {}

  void feed_line(std::string_view line, std::uint32_t line_no) override {
    ++result_.lines;
    const std::string_view t = trim(line);
    if (t.empty()) {
      close_block();
      return;
    }
    const bool framing = host_.feed(t);
    if (t.substr(0, 6) == "error:") {
      close_block();
      result_.warnings.push_back("line " + std::to_string(line_no) + ": virsh " + std::string(t));
      return;
    }
    if (auto cmd = parse_virsh_command(t)) {
      close_block();
      if (cmd->subcommand == "domjobinfo") {
        if (!cmd->arguments.empty()) domain_ = cmd->arguments.front();
        completed_ = false;
        for (const auto& o : cmd->options) completed_ = completed_ || o == "--completed";
      }
      return;
    }
    if (auto d = parse_date_line(t)) {
      close_block();
      on_date(*d, t);
      return;
    }
    // Another command of the session, its prompt, or the hostname it printed.
    if (framing || t.front() == '$' || t.front() == '#') return;
    const auto colon = t.find(':');
    const label_spec* spec = colon == std::string_view::npos ? nullptr : find_label(trim(t.substr(0, colon)));
    if (spec == nullptr) {
      // A label this table does not know (a newer libvirt, a --rawstats API
      // name) inside a block is still data: keep it raw under a snake_case name.
      if (open_ && colon != std::string_view::npos && colon > 0) {
        // Capped now, not at the block's end: a block of megabyte lines
        // must not be held whole (capping again changes nothing).
        block_.values.emplace_back(snake_case(trim(t.substr(0, colon))),
                                   capped_text(trim(t.substr(colon + 1))));
      } else {
        ++result_.skipped_lines;
      }
      return;
    }
    if (spec->name == "job_type") close_block();
    if (!open_) open_block(line, line_no);
    const std::string_view raw = trim(t.substr(colon + 1));
    auto value = normalize(raw, spec->unit);
    if (!value) {
      ++result_.skipped_lines;  // a cut line ("Memory remaining: 1.0") or an unknown unit
      return;
    }
    if (spec->name == "job_type") *value = numeric_name(*value, kJobTypes, std::size(kJobTypes));
    if (spec->name == "operation") {
      *value = numeric_name(*value, kOperations, std::size(kOperations));
    }
    block_.values.emplace_back(std::string(spec->name), capped_text(*value));
    add_to_summary(trim(t.substr(0, colon)), raw);
  }

  parse_result finish() override {
    close_block();
    if (unnamed_ > 0) {
      result_.warnings.push_back(
          std::to_string(unnamed_) +
          " job sample(s) name no domain (no 'virsh domjobinfo DOMAIN' command line before "
          "them, no instance-XXXXXXXX or UUID in the file name): they can join an attempt "
          "only by their host and time (name the file domjobinfo-<domain>.txt)");
    }
    result_.content_host = host_.host();
    result_.content_host_from = host_.why();
    return std::move(result_);
  }

 private:
  void on_date(const date_line& d, std::string_view t) {
    next_time_ = d.time;
    if (!d.zone_known) {
      next_time_.add_seconds(-ctx_.utc_offset_seconds);
      if (!warned_zone_) {
        warned_zone_ = true;
        result_.warnings.push_back("date line '" + std::string(t) +
                                   "' has no UTC zone; read as the host's local clock (--tz)");
      }
    }
  }

  // "Label: raw; Label: raw": kept only to what the event keeps, its whole
  // length counted for the cut marker.
  void add_to_summary(std::string_view label, std::string_view raw) {
    const std::string_view sep = summary_bytes_ == 0 ? "" : "; ";
    summary_bytes_ += sep.size() + label.size() + 2 + raw.size();
    for (const std::string_view part : {sep, label, std::string_view(": "), raw}) {
      if (summary_.size() > kKeptTextBytes) break;
      summary_.append(part.substr(0, kKeptTextBytes + 1 - summary_.size()));
    }
  }

  void open_block(std::string_view line, std::uint32_t line_no) {
    open_ = true;
    block_ = event{};
    block_.kind = event_kind::job_stats;
    block_.source = input_kind::domjobinfo;
    block_.host = ctx_.host;
    block_.time = next_time_;
    block_.where = {ctx_.input, line_no};
    block_.text = std::string(line);
    next_time_ = timestamp{};  // a date belongs to the capture right after it
    summary_.clear();
    summary_bytes_ = 0;
  }

  void close_block() {
    if (!open_) return;
    open_ = false;
    if (looks_like_uuid(domain_)) {
      block_.instance = lower_ascii(domain_);
    } else {
      block_.domain = domain_;
    }
    if (!domain_.empty()) block_.values.emplace_back("domain", domain_);
    if (domain_.empty()) ++unnamed_;
    if (completed_) block_.values.emplace_back("completed", "true");
    const std::string_view job = block_.value("job_type");
    block_.level = job == "Failed" ? "ERROR" : job == "Cancelled" ? "WARNING" : "";
    block_.message = "virsh domjobinfo: " + summary_;
    if (summary_bytes_ > summary_.size()) {
      block_.message = capped_text(block_.message, block_.message.size() - summary_.size() +
                                                       summary_bytes_);
      block_.text_cut = true;
    }
    cap_kept_text(block_);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(block_));
  }

  line_context ctx_;
  parse_result result_;
  capture_host host_;
  std::string domain_;
  std::uint64_t unnamed_ = 0;  // blocks with no domain
  event block_;
  std::string summary_;            // at most kKeptTextBytes + 1 of it
  std::size_t summary_bytes_ = 0;  // its whole length
  timestamp next_time_;
  bool open_ = false;
  bool completed_ = false;
  bool warned_zone_ = false;
};

}  // namespace

std::unique_ptr<line_parser> make_domjobinfo_parser(line_context ctx) {
  return std::make_unique<domjobinfo_parser>(std::move(ctx));
}

}  // namespace migsleuth::parsers
