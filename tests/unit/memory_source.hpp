// An in-memory upstream for decoder tests, handing out at most `step` bytes
// a read, like a tar member cut into libarchive blocks.
#pragma once

#include <algorithm>
#include <string>

#include "byte_source.hpp"

namespace migsleuth::test {

class memory_source final : public ingest::byte_source {
 public:
  memory_source(std::string bytes, std::size_t step) : bytes_(std::move(bytes)), step_(step) {}
  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t k = std::min({n, step_, bytes_.size() - pos_});
    bytes_.copy(buf, k, pos_);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

}  // namespace migsleuth::test
