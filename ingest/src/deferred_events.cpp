#include "migsleuth/ingest/deferred_events.hpp"

#include "migsleuth/core/stable_hash.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <tuple>

namespace migsleuth::ingest {
namespace {

// Little-endian fixed-width integers and length-prefixed strings: the file
// is read back by the same process, so no versioning is needed.
template <typename T>
void put_int(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

void put_str(std::string& out, std::string_view s) {
  put_int(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

template <typename T>
bool get_int(std::string_view& in, T& v) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&v, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

bool get_view(std::string_view& in, std::string_view& s) {
  std::uint32_t n = 0;
  if (!get_int(in, n) || in.size() < n) return false;
  s = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

bool get_str(std::string_view& in, std::string& s) {
  std::string_view v;
  if (!get_view(in, v)) return false;
  s.assign(v);
  return true;
}

// Time, clock flag, kind, source, input, line, user identity span: what
// encode() writes first.
constexpr std::size_t kFixedHead = sizeof(timestamp::micros) + 3 + sizeof(source_ref::input) +
                                   sizeof(source_ref::line) + sizeof(text_span::at) +
                                   sizeof(text_span::size);
constexpr int kStrings = 10;  // host, instance, request id, ... text, message

// An unlinked file in $TMPDIR (else /tmp): nothing is left behind, even on a
// crash, and nothing next to the inputs is touched.
int open_scratch() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = (dir != nullptr && *dir != '\0') ? dir : "/tmp";
  path += "/migsleuth-deferred-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

bool write_all(int fd, const std::string& data, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done,
                               static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

deferred_events::deferred_events() : fd_(open_scratch()) {}

deferred_events::~deferred_events() {
  if (fd_ >= 0) ::close(fd_);
}

bool deferred_events::deferrable(const event& ev) noexcept {
  if (ev.instance.empty() || !ev.domain.empty()) return false;
  return ev.kind == event_kind::log_line || ev.kind == event_kind::task_pending ||
         ev.kind == event_kind::instance_listed;
}

bool deferred_events::set_aside_whole(const event& ev) noexcept {
  if (ev.instance.empty()) return false;
  if (ev.source == input_kind::qemu_domain) {
    return ev.kind == event_kind::qemu_started || ev.kind == event_kind::qemu_message;
  }
  return ev.kind == event_kind::rollback && ev.domain.empty();
}

bool deferred_events::set_aside_operation(const event& ev) noexcept {
  return ev.kind == event_kind::other_operation && !ev.instance.empty() && ev.domain.empty();
}

bool deferred_events::set_aside_unowned(const event& ev) noexcept {
  if (ev.source != input_kind::nova_compute || ev.kind != event_kind::log_line) return false;
  if (!ev.instance.empty() || !ev.domain.empty() || ev.instance_unknown) return false;
  if (ev.host.empty() || !ev.time.known() || !ev.shape.empty()) return false;
  return ev.level == "WARNING" || ev.level == "ERROR" || ev.level == "CRITICAL";
}

void deferred_events::note_unowned(std::vector<std::uint64_t> request_hashes,
                                   std::size_t lines) {
  const std::lock_guard lock(mu_);
  unowned_lines_ += lines;
  unowned_requests_.insert(unowned_requests_.end(), request_hashes.begin(), request_hashes.end());
}

std::uint64_t deferred_events::request_hash(std::string_view request_id) noexcept {
  stable_hash h;
  h.mix(request_id);
  return h.value();
}

std::vector<std::uint64_t> deferred_events::unowned_requests() const {
  const std::lock_guard lock(mu_);
  std::vector<std::uint64_t> out = unowned_requests_;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t deferred_events::unowned_lines() const {
  const std::lock_guard lock(mu_);
  return unowned_lines_;
}

bool deferred_events::keep_as_mark(const void* slot, std::string_view instance,
                                   std::size_t part) {
  const std::lock_guard lock(mu_);
  return marks_.try_emplace({slot, std::string(instance)}, part).second;
}

void deferred_events::encode(const event& ev, std::string& out) {
  put_int(out, ev.time.micros);
  put_int(out, static_cast<std::uint8_t>(ev.local_clock));
  put_int(out, static_cast<std::uint8_t>(ev.kind));
  put_int(out, static_cast<std::uint8_t>(ev.source));
  put_int(out, ev.where.input);
  put_int(out, ev.where.line);
  put_int(out, ev.user_identity.at);
  put_int(out, ev.user_identity.size);
  for (const std::string* s : {&ev.host, &ev.instance, &ev.request_id, &ev.global_request_id,
                               &ev.domain, &ev.level, &ev.logger, &ev.shape, &ev.text,
                               &ev.message}) {
    put_str(out, *s);
  }
  put_int(out, static_cast<std::uint32_t>(ev.values.size()));
  for (const auto& [k, v] : ev.values) {
    put_str(out, k);
    put_str(out, v);
  }
}

bool deferred_events::decode(std::string_view& in, event& ev) {
  std::uint8_t local = 0, kind = 0, source = 0;
  if (!get_int(in, ev.time.micros) || !get_int(in, local) || !get_int(in, kind) ||
      !get_int(in, source) || !get_int(in, ev.where.input) || !get_int(in, ev.where.line) ||
      !get_int(in, ev.user_identity.at) || !get_int(in, ev.user_identity.size)) {
    return false;
  }
  ev.local_clock = local != 0;
  ev.kind = static_cast<event_kind>(kind);
  ev.source = static_cast<input_kind>(source);
  for (std::string* s : {&ev.host, &ev.instance, &ev.request_id, &ev.global_request_id,
                         &ev.domain, &ev.level, &ev.logger, &ev.shape, &ev.text, &ev.message}) {
    if (!get_str(in, *s)) return false;
  }
  std::uint32_t n = 0;
  if (!get_int(in, n)) return false;
  ev.values.resize(n);
  for (auto& [k, v] : ev.values) {
    if (!get_str(in, k) || !get_str(in, v)) return false;
  }
  return true;
}

bool deferred_events::skim(std::string_view& in, std::string_view& instance,
                           std::string_view& request_id) {
  if (in.size() < kFixedHead) return false;
  in.remove_prefix(kFixedHead);
  std::string_view host, skipped;
  if (!get_view(in, host) || !get_view(in, instance) || !get_view(in, request_id)) return false;
  for (int i = 3; i < kStrings; ++i) {
    if (!get_view(in, skipped)) return false;
  }
  std::uint32_t n = 0;
  if (!get_int(in, n)) return false;
  for (std::uint32_t i = 0; i < 2 * n; ++i) {
    if (!get_view(in, skipped)) return false;
  }
  return true;
}

void deferred_events::put(std::size_t part, std::string data, std::size_t events,
                          std::size_t piece) {
  if (data.empty()) return;
  const std::lock_guard lock(mu_);
  block b{part, piece, events, end_, data.size(), {}};
  if (fd_ >= 0 && write_all(fd_, data, end_)) {
    end_ += data.size();
  } else {
    b.in_memory = std::move(data);
  }
  blocks_.push_back(std::move(b));
  count_ += events;
}

void deferred_events::set_base(std::size_t part, input_id base) {
  const std::lock_guard lock(mu_);
  if (base_.size() <= part) base_.resize(part + 1, 0);
  base_[part] = base;
}

void deferred_events::set_line_offset(std::size_t part, std::size_t piece, std::uint32_t lines) {
  const std::lock_guard lock(mu_);
  line_offset_.push_back({{part, piece}, lines});
}

// The scratch file keeps the bytes (rare: a split file that had to be read
// again); only the blocks are forgotten.
void deferred_events::discard(std::size_t part) {
  const std::lock_guard lock(mu_);
  for (const auto& b : blocks_) {
    if (b.part == part) count_ -= b.events;
  }
  std::erase_if(blocks_, [part](const block& b) { return b.part == part; });
  std::erase_if(line_offset_, [part](const auto& o) { return o.first.first == part; });
  std::erase_if(marks_, [part](const auto& m) { return m.second == part; });
}

std::size_t deferred_events::decoded() const {
  const std::lock_guard lock(mu_);
  return decoded_;
}

void deferred_events::read_block(const block& b, std::string& into) const {
  into.resize(b.size);
  std::size_t done = 0;
  while (done < b.size) {
    const ssize_t n = ::pread(fd_, into.data() + done, b.size - done,
                              static_cast<off_t>(b.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  into.resize(done);
}

void deferred_events::for_each(const std::function<void(event&)>& fn,
                               const wanted_fn& wanted) const {
  const std::lock_guard lock(mu_);
  // Blocks of one piece were put in order by one thread; pieces interleave.
  std::vector<const block*> order;
  order.reserve(blocks_.size());
  for (const auto& b : blocks_) order.push_back(&b);
  std::stable_sort(order.begin(), order.end(), [](const block* a, const block* b) {
    return std::tie(a->part, a->piece) < std::tie(b->part, b->piece);
  });
  const auto offset_of = [this](const block& b) {
    for (const auto& [where, lines] : line_offset_) {
      if (where.first == b.part && where.second == b.piece) return lines;
    }
    return std::uint32_t{0};
  };
  std::string buffer;
  for (const block* b : order) {
    std::string_view in = b->in_memory;
    if (b->in_memory.empty()) {
      read_block(*b, buffer);
      in = buffer;
    }
    const input_id base = b->part < base_.size() ? base_[b->part] : 0;
    const std::uint32_t lines = b->piece == 0 ? 0 : offset_of(*b);
    while (!in.empty()) {
      if (wanted) {
        std::string_view next = in, instance, request_id;
        if (!skim(next, instance, request_id)) break;
        if (!wanted(instance, request_id)) {
          in = next;
          continue;
        }
      }
      event ev;
      if (!decode(in, ev)) break;
      ++decoded_;
      ev.where.input += base;
      ev.where.line += lines;
      fn(ev);
    }
  }
}

}  // namespace migsleuth::ingest
