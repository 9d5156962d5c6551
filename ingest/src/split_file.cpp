#include "split_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "byte_source.hpp"
#include "detect.hpp"
#include "line_feeder.hpp"
#include "record_cuts.hpp"

namespace migsleuth::ingest {
namespace {

// A file descriptor closed on every path out.
class file_handle {
 public:
  explicit file_handle(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)) {}
  ~file_handle() {
    if (fd_ >= 0) ::close(fd_);
  }
  file_handle(const file_handle&) = delete;
  file_handle& operator=(const file_handle&) = delete;
  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

// Reads [begin, end) with pread; end UINT64_MAX: to the end of the file, as
// reading it in one piece would.
std::size_t read_at(int fd, char* buf, std::size_t n, std::uint64_t at, std::string& error) {
  for (;;) {
    const ssize_t got = ::pread(fd, buf, n, static_cast<off_t>(at));
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EINTR) continue;
    error = std::string("read failed: ") + std::strerror(errno);
    return 0;
  }
}

// The chunk a thread reads ranges into, reused range after range.
thread_local std::string range_chunk;

}  // namespace

void release_range_buffer() { std::string().swap(range_chunk); }

split_file::split_file(const file_origin& o, std::size_t part, const ingest_options& opt,
                       std::shared_ptr<const shape_set> shapes, deferred_events* deferred)
    : origin_(o), part_(part), opt_(opt), shapes_(std::move(shapes)), deferred_(deferred) {}

std::unique_ptr<split_file> split_file::plan(const file_origin& o, std::size_t part,
                                             const ingest_options& opt,
                                             std::shared_ptr<const shape_set> shapes,
                                             deferred_events* deferred) {
  if (opt.split_bytes == 0 || opt.kept_only) return nullptr;
  const file_handle file(o.read_path.empty() ? o.path : o.read_path);
  struct stat sb {};
  if (file.fd() < 0 || ::fstat(file.fd(), &sb) != 0 || !S_ISREG(sb.st_mode)) return nullptr;
  const auto size = static_cast<std::uint64_t>(sb.st_size);
  if (size <= 2 * opt.split_bytes) return nullptr;
  std::string head(kProbeBytes, '\0');
  std::string error;
  head.resize(read_at(file.fd(), head.data(), head.size(), 0, error));
  if (sniff_compression(reinterpret_cast<const unsigned char*>(head.data()), head.size()) !=
      compression::none) {
    return nullptr;
  }
  const detection d = detect_kind(o.path, head);
  if (d.kind != input_kind::nova_compute || !nova_log_is_text(head)) return nullptr;
  if (opt.keep_text && opt.keep_text(o.path, head)) return nullptr;
  std::vector<std::uint64_t> cuts =
      find_record_cuts(file.fd(), size, opt.split_bytes, opt.max_line_bytes);
  if (cuts.empty()) return nullptr;

  std::unique_ptr<split_file> s(new split_file(o, part, opt, std::move(shapes), deferred));
  check_content_host(s->origin_, head);
  s->input_.kind = d.kind;
  s->input_.kind_reason = d.reason;
  s->input_.packing = compression::none;
  s->size_ = size;
  s->starts_.push_back(0);
  s->starts_.insert(s->starts_.end(), cuts.begin(), cuts.end());
  s->ranges_.resize(s->starts_.size());
  return s;
}

std::uint64_t split_file::range_bytes(std::size_t k) const noexcept {
  const std::uint64_t end = k + 1 < starts_.size() ? starts_[k + 1] : size_;
  return end > starts_[k] ? end - starts_[k] : 0;
}

bool split_file::read_range(std::size_t k) {
  range_out out;
  analysis_input local;
  ingest_state st{opt_, shapes_, local, {}, {}, {}, deferred_, part_};
  st.piece = k + 1;
  auto parser = make_nova_log_range_parser(shapes_, context_for(origin_, 0, opt_));
  // Cuts only lines the file's budget cuts as well (kept_text_budget.hpp);
  // its warnings are the file's to give.
  kept_text_budget range_budget;
  event_sink sink(st, &range_budget, origin_.host.get());
  line_feeder feeder(*parser, opt_.max_line_bytes);
  std::string& chunk = range_chunk;
  if (chunk.size() < kChunk) chunk.resize(kChunk);
  const file_handle file(origin_.read_path.empty() ? origin_.path : origin_.read_path);
  if (file.fd() < 0) out.error = std::string("cannot open: ") + std::strerror(errno);
  const bool last = k + 1 == starts_.size();
  std::uint64_t at = starts_[k];
  const std::uint64_t end = last ? UINT64_MAX : starts_[k + 1];
  while (file.fd() >= 0 && at < end && !cancel_requested(opt_)) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, end - at));
    const std::size_t got = read_at(file.fd(), chunk.data(), want, at, out.error);
    if (got == 0) break;
    at += got;
    feeder.feed(std::string_view(chunk.data(), got));
    sink.take(*parser);
  }
  feeder.finish();
  out.parsed = parser->finish_range();
  sink.add(out.parsed.result.events);
  sink.flush();
  out.events = std::move(local.events);
  out.lines = feeder.lines();
  out.long_lines = feeder.long_lines();
  out.cut_lines = sink.cut_lines();
  out.done = true;

  const std::lock_guard lock(mu_);
  ranges_[k] = std::move(out);
  merge_ready();
  return merged_ == ranges_.size();
}

void split_file::merge_ready() {
  for (; merged_ < ranges_.size() && ranges_[merged_].done; ++merged_) {
    range_out& r = ranges_[merged_];
    const auto offset = static_cast<std::uint32_t>(lines_read_);
    // A quarter more at a time, not double: a log of long lines ends with
    // thousands of events here, each several hundred bytes before its text.
    if (events_.capacity() < events_.size() + r.events.size()) {
      events_.reserve(std::max(events_.size() + r.events.size(), events_.size() * 5 / 4));
    }
    if (deferred_ != nullptr) deferred_->set_line_offset(part_, merged_ + 1, offset);
    for (auto& ev : r.events) {
      ev.where.line += offset;
      budget_.keep(ev);  // in line order, as one pass's sink does
      events_.push_back(std::move(ev));
    }
    memory_.merge_later(r.parsed.memory, offset);
    lines_read_ += r.lines;
    lines_ += r.parsed.result.lines;
    skipped_ += r.parsed.result.skipped_lines;
    long_lines_ += r.long_lines;
    cut_lines_ += r.cut_lines;
    for (auto& w : r.parsed.result.warnings) warnings_.push_back(std::move(w));
    if (error_.empty()) error_ = std::move(r.error);
    saw_json_ = saw_json_ || r.parsed.saw_json;
    r = range_out{};
    r.done = true;
  }
}

bool split_file::finish(ingest_state& st) {
  const std::lock_guard lock(mu_);
  if (saw_json_) return false;
  input in = input_;
  // In the order one pass gives them (read_log).
  if (!error_.empty()) in.warnings.push_back(error_);
  if (long_lines_ > 0) {
    in.warnings.push_back(std::to_string(long_lines_) + " line(s) longer than " +
                          std::to_string(opt_.max_line_bytes) + " bytes were cut");
  }
  for (auto& w : warnings_) in.warnings.push_back(std::move(w));
  in.lines = lines_;
  in.skipped_lines = skipped_;
  take_events(st.out.events, events_);
  // Last, as one pass's finish() hands them over, and through the same sink:
  // listings may wait on disk. Their line numbers are already the file's, so
  // they go as a piece after every range with no line offset of its own.
  std::vector<event> listed;
  memory_.take_listings(listed);
  st.piece = ranges_.size() + 1;
  event_sink sink(st, &budget_, origin_.host.get());
  sink.add(listed);
  sink.flush();
  const std::uint64_t cut = cut_lines_ + sink.cut_lines();
  if (cut > 0) in.warnings.push_back(kept_text_warning(cut));
  for (auto& w : budget_.warnings()) in.warnings.push_back(std::move(w));
  const std::vector<identity_link> links = memory_.links();
  st.out.links.insert(st.out.links.end(), links.begin(), links.end());
  push_input(std::move(in), origin_, st);
  return true;
}

}  // namespace migsleuth::ingest
