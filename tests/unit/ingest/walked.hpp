// Finding a file in what the walk listed, by the end of its path, for the
// walk's tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

#include "walk_list.hpp"

namespace migsleuth::test {

// The entry whose path ends with `tail`, if the walk listed one.
inline std::optional<std::size_t> find_walked(const ingest::walk_list& files,
                                              std::string_view tail) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files.at(i).path.ends_with(tail)) return i;
  }
  return std::nullopt;
}

// The same, for a file the test put there: failing the test when it is not listed.
inline std::size_t index_of(const ingest::walk_list& files, std::string_view tail) {
  const auto i = find_walked(files, tail);
  if (!i) FAIL("no file ends with " << tail);
  return i.value_or(0);
}

}  // namespace migsleuth::test
