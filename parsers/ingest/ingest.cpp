// Orchestrates one pass per file: open (decompressing by magic), probe the
// head for the kind, then stream every line to that kind's parser. Memory is
// one chunk plus the events kept, whatever the file size.
#include "migsleuth/parsers/ingest.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "ingest/byte_source.hpp"
#include "ingest/detect.hpp"
#include "ingest/walk.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::size_t kChunk = 1U << 20;
constexpr std::size_t kProbeBytes = 64U << 10;

std::int64_t offset_for(const ingest_options& opt, const std::string& host) {
  for (const auto& tz : opt.time_zones) {
    if (tz.host == host) return tz.offset_seconds;
  }
  return 0;
}

// Splits a byte stream into lines without copying whole lines unless one
// straddles two chunks.
class line_feeder {
 public:
  line_feeder(line_parser& parser, std::uint64_t max_line) : parser_(parser), max_(max_line) {}

  void feed(std::string_view data) {
    while (!data.empty()) {
      const void* nl = std::memchr(data.data(), '\n', data.size());
      if (nl == nullptr) {
        append_carry(data);
        return;
      }
      const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - data.data());
      if (carry_.empty()) {
        emit(data.substr(0, len));
      } else {
        append_carry(data.substr(0, len));
        emit(carry_);
        carry_.clear();
      }
      data.remove_prefix(len + 1);
    }
  }

  void finish() {
    if (!carry_.empty()) emit(carry_);
    carry_.clear();
  }

  [[nodiscard]] std::uint64_t long_lines() const noexcept { return long_lines_; }

 private:
  void append_carry(std::string_view part) {
    const std::size_t room = max_ > carry_.size() ? max_ - carry_.size() : 0;
    if (part.size() > room) {
      truncated_ = true;
      part = part.substr(0, room);
    }
    carry_.append(part);
  }

  void emit(std::string_view line) {
    if (line.size() > max_) {
      line = line.substr(0, max_);
      truncated_ = true;
    }
    if (truncated_) ++long_lines_;
    truncated_ = false;
    parser_.feed_line(line, ++line_no_);
  }

  line_parser& parser_;
  std::uint64_t max_;
  std::string carry_;
  std::uint32_t line_no_ = 0;
  std::uint64_t long_lines_ = 0;
  bool truncated_ = false;
};

void read_one(const found_file& f, input_id id, const ingest_options& opt,
              const std::shared_ptr<const shape_set>& shapes, analysis_input& out) {
  input in;
  in.path = f.path;
  in.host = f.host;
  in.host_from = f.host_from;
  if (!f.skip_reason.empty()) {
    in.kind_reason = "not read";
    in.warnings.push_back(f.skip_reason);
    in.unreadable = f.unreadable;
    out.any_unreadable = out.any_unreadable || f.unreadable;
    out.inputs.push_back(std::move(in));
    return;
  }
  std::string error;
  auto src = open_source(f.path, opt.max_decompressed_bytes, error);
  if (!src) {
    in.unreadable = true;
    in.kind_reason = "not read";
    in.warnings.push_back(error);
    out.any_unreadable = true;
    out.inputs.push_back(std::move(in));
    return;
  }
  in.packing = src->packing();
  std::string head(kProbeBytes, '\0');
  std::size_t have = 0;
  while (have < head.size()) {
    const std::size_t got = src->read(head.data() + have, head.size() - have);
    if (got == 0) break;
    have += got;
  }
  head.resize(have);
  const detection d = detect_kind(f.path, head);
  in.kind = d.kind;
  in.kind_reason = d.reason;

  line_context ctx;
  ctx.host = in.host;
  ctx.input = id;
  ctx.utc_offset_seconds = offset_for(opt, in.host);
  ctx.file_name = std::filesystem::path(f.path).filename().string();
  auto parser = make_parser(in.kind, shapes, ctx);
  line_feeder feeder(*parser, opt.max_line_bytes);
  feeder.feed(head);
  std::string chunk(kChunk, '\0');
  for (;;) {
    const std::size_t got = src->read(chunk.data(), chunk.size());
    if (got == 0) break;
    feeder.feed(std::string_view(chunk.data(), got));
  }
  feeder.finish();
  if (!src->error().empty()) in.warnings.push_back(src->error());
  if (feeder.long_lines() > 0) {
    in.warnings.push_back(std::to_string(feeder.long_lines()) + " line(s) longer than " +
                          std::to_string(opt.max_line_bytes) + " bytes were cut");
  }
  parse_result r = parser->finish();
  in.lines = r.lines;
  in.skipped_lines = r.skipped_lines;
  for (auto& w : r.warnings) in.warnings.push_back(std::move(w));
  for (auto& ev : r.events) out.events.push_back(std::move(ev));
  out.links.insert(out.links.end(), r.links.begin(), r.links.end());
  out.inputs.push_back(std::move(in));
}

}  // namespace

analysis_input ingest(const ingest_options& options, std::shared_ptr<const shape_set> shapes) {
  analysis_input out;
  const auto files = walk_paths(options.paths);
  for (const auto& f : files) {
    const auto id = static_cast<input_id>(out.inputs.size());
    read_one(f, id, options, shapes, out);
  }
  std::sort(out.links.begin(), out.links.end());
  out.links.erase(std::unique(out.links.begin(), out.links.end()), out.links.end());
  return out;
}

}  // namespace migsleuth::parsers
