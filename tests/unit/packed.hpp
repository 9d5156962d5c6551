// Test data in every codec migsleuth reads, made in memory by libarchive's
// write filters (raw format: one stream, no tar), and small tars; never by a tool.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <stdexcept>
#include <utility>
#include <string>
#include <string_view>

#include "migsleuth/core/input.hpp"

namespace migsleuth::test {

// Writes one member `name` holding `data` through `a` (its format and
// filters set) and returns the archive's bytes; frees `a`.
inline std::string written(archive* a, const char* name, std::string_view data) {
  std::string out;
  const auto write = [](archive*, void* client, const void* buf, std::size_t n) -> la_ssize_t {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  bool ok = archive_write_open(a, &out, nullptr, write, nullptr) == ARCHIVE_OK;
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, name);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
  ok = ok && archive_write_header(a, e) == ARCHIVE_OK;
  ok = ok && archive_write_data(a, data.data(), data.size()) ==
                 static_cast<la_ssize_t>(data.size());
  archive_entry_free(e);
  ok = archive_write_close(a) == ARCHIVE_OK && ok;
  archive_write_free(a);
  if (!ok) throw std::runtime_error(std::string("libarchive could not write the test data ") + name);
  return out;
}

inline std::string packed(std::string_view text, compression c) {
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  switch (c) {
    case compression::gzip: archive_write_add_filter_gzip(a); break;
    case compression::bzip2: archive_write_add_filter_bzip2(a); break;
    case compression::xz:  // level 1: test data in a fraction of the time of level 6
      archive_write_add_filter_xz(a);
      archive_write_set_filter_option(a, "xz", "compression-level", "1");
      break;
    case compression::zstd: archive_write_add_filter_zstd(a); break;
    case compression::none: break;
  }
  archive_write_set_bytes_in_last_block(a, 1);  // no padding after the stream
  return written(a, "data", text);
}

// `text` packed by `c`, made once per text and codec (xz takes seconds): the
// tests that read one big stream in many ways share it.
inline const std::string& packed_once(const std::string& text, compression c) {
  static std::map<std::pair<const std::string*, compression>, std::string> made;
  auto it = made.find({&text, c});
  if (it == made.end()) it = made.emplace(std::make_pair(&text, c), packed(text, c)).first;
  return it->second;
}

// A plain tar (pax) of one member `name` holding `data`.
inline std::string tar_of(const std::string& name, std::string_view data) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  return written(a, name.c_str(), data);
}

}  // namespace migsleuth::test
