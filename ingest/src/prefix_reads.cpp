#include "prefix_reads.hpp"

#include <mutex>
#include <optional>

namespace migsleuth::ingest {

prefix_reads::walk_end::~walk_end() {
  {
    const std::lock_guard lock(reads_.progress_.mutex);
    reads_.progress_.ended = true;
  }
  reads_.progress_.grew.notify_all();
}

void prefix_reads::note(const outcome& o) {
  if (!o.read) {
    ended_ = true;
    progress_.grew.notify_all();  // readers waiting for the walk stop waiting
    return;
  }
  if (read_.size() <= o.index) read_.resize(o.index + 1, 0);
  read_[o.index] = 1;
  // Its size is known: the size pass after the walk leaves it.
  files_.set_bytes(o.index, o.bytes);
}

void prefix_reads::read(const read_fn& read) {
  std::optional<outcome> last;
  listed_file taken;
  for (;;) {
    {
      std::unique_lock lock(progress_.mutex);
      if (last) note(*last);
      progress_.grew.wait(lock, [&] {
        return ended_ || next_ < files_.size() || progress_.ended || cancelled();
      });
      if (ended_ || next_ >= files_.size() || cancelled()) return;
      taken.index = next_++;
      taken.file = files_.at(taken.index);
      taken.folder = files_.folder_of(taken.index);
    }
    last = outcome{taken.index, false, 0};
    last->read = read(taken, last->bytes);
  }
}

}  // namespace migsleuth::ingest
