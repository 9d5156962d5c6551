// gzip decoding as the readers see it: whole files through open_source (ISA-L
// or zlib, whichever the build has) and tar members through the ISA-L stream.
// The gzip bytes are made here with zlib (libarchive's gzip filter), never by a tool.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "byte_source.hpp"
#include "gzip_source.hpp"
#include "memory_source.hpp"
#include "packed.hpp"

using migsleuth::test::memory_source;

using namespace migsleuth;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

// Varied lines, so the deflate stream has real blocks, not one long run.
std::string log_lines(int first, int count) {
  std::string s;
  for (int i = first; i < first + count; ++i) {
    s += "2024-05-21 14:00:0" + std::to_string(i % 10) + ".000 7 INFO nova.compute.manager [-] " +
         "migration step " + std::to_string(i * 7919) + " of instance " + std::to_string(i) + "\n";
  }
  return s;
}

std::string gzip(const std::string& text) { return test::packed(text, compression::gzip); }

struct temp_file {
  fs::path path;
  explicit temp_file(const std::string& bytes) {
    std::string tpl = (fs::temp_directory_path() / "migsleuth-gzip-XXXXXX").string();
    const int fd = ::mkstemp(tpl.data());
    ::close(fd);
    path = tpl;
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~temp_file() {
    std::error_code ec;
    fs::remove(path, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};


// Everything the source gives, read `chunk` bytes at a time.
std::string drain(byte_source& s, std::size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  for (std::size_t got; (got = s.read(buf.data(), buf.size())) != 0;) out.append(buf, 0, got);
  return out;
}

struct decoded {
  std::string text;
  std::string error;
};

decoded decode_file(const std::string& gz, std::uint64_t limit = ~std::uint64_t{0},
                    std::size_t chunk = 64U << 10) {
  const temp_file f(gz);
  std::string error;
  work_budget budget(limit);
  auto src = open_source(f.path.string(), budget, error);
  REQUIRE(src);
  CHECK(src->packing() == compression::gzip);
  decoded d;
  d.text = drain(*src, chunk);
  d.error = src->error();
  return d;
}

}  // namespace

TEST_CASE("gzip: concatenated members decode as one stream", "[parsers][gzip]") {
  const std::string a = log_lines(0, 3000);
  const std::string b = log_lines(3000, 5000);
  // An empty member in between, as some rotators write.
  const std::string gz = gzip(a) + gzip("") + gzip(b);
  const decoded d = decode_file(gz);
  CHECK(d.error.empty());
  CHECK(d.text.size() == a.size() + b.size());
  CHECK(d.text == a + b);
  // Tiny reads cross every member and block boundary.
  const decoded small = decode_file(gz, ~std::uint64_t{0}, 7);
  CHECK(small.error.empty());
  CHECK(small.text == a + b);
}

TEST_CASE("gzip: a cut file keeps every byte before the cut and says so", "[parsers][gzip]") {
  const std::string text = log_lines(0, 40000);
  const std::string gz = gzip(text);
  const decoded d = decode_file(gz.substr(0, gz.size() / 2));
  CHECK_THAT(d.error, Catch::Contains("truncated or corrupt"));
  CHECK(d.text.size() > text.size() / 4);
  CHECK(d.text.size() < text.size());
  CHECK(text.compare(0, d.text.size(), d.text) == 0);
}

TEST_CASE("gzip: a cut second member is reported, the first is whole", "[parsers][gzip]") {
  const std::string a = log_lines(0, 2000);
  const std::string second = gzip(log_lines(2000, 2000));
  const decoded d = decode_file(gzip(a) + second.substr(0, second.size() - 3));
  CHECK_THAT(d.error, Catch::Contains("truncated or corrupt"));
  CHECK(d.text.compare(0, a.size(), a) == 0);
}

TEST_CASE("gzip: corrupt deflate data or checksum ends with an error", "[parsers][gzip]") {
  const std::string text = log_lines(0, 20000);
  const std::string gz = gzip(text);
  SECTION("garbage in the middle of the deflate stream") {
    std::string bad = gz;
    for (std::size_t i = bad.size() / 2; i < bad.size() / 2 + 64; ++i) {
      bad[i] = static_cast<char>(0xff - i);
    }
    const decoded d = decode_file(bad);
    CHECK_THAT(d.error, Catch::Contains("truncated or corrupt"));
    // Garbage may still decode to symbols until the CRC disagrees.
    CHECK(d.text != text);
  }
  SECTION("a wrong CRC in the trailer") {
    std::string bad = gz;
    bad[bad.size() - 8] = static_cast<char>(bad[bad.size() - 8] ^ 0x5a);
    const decoded d = decode_file(bad);
    CHECK_THAT(d.error, Catch::Contains("truncated or corrupt"));
  }
  SECTION("a second member with a broken header") {
    const decoded d = decode_file(gz + std::string("\x1f\x8b\x07\x00garbage", 11));
    CHECK_THAT(d.error, Catch::Contains("truncated or corrupt"));
    CHECK(d.text == text);
  }
}

TEST_CASE("gzip: the decompressed-size limit stops a bomb", "[parsers][gzip]") {
  const std::string zeros(8U << 20, 'A');
  const decoded d = decode_file(gzip(zeros), 1U << 20);
  CHECK_THAT(d.error, Catch::Contains("exceeds the limit of 1048576 bytes"));
  CHECK_THAT(d.error, Catch::Contains("the rest of the file was not read"));
  CHECK(d.text.size() <= (1U << 20));
}

TEST_CASE("gzip: a tar member stream decodes through ISA-L with the same rules",
          "[parsers][gzip]") {
  if (!have_isal_gzip()) {
    WARN("built without ISA-L: members go through libarchive's zlib");
    return;
  }
  const std::string a = log_lines(0, 3000);
  const std::string b = log_lines(3000, 3000);
  memory_source whole(gzip(a) + gzip(b), 1000);
  work_budget unlimited(~std::uint64_t{0});
  auto src = isal_gzip_source(whole, unlimited, "member");
  REQUIRE(src);
  CHECK(drain(*src, 4096) == a + b);
  CHECK(src->error().empty());

  memory_source bomb(gzip(std::string(4U << 20, 'x')), 512);
  work_budget small(100000);
  auto capped = isal_gzip_source(bomb, small, "member");
  const std::string got = drain(*capped, 4096);
  CHECK(got.size() <= 100000);
  CHECK_THAT(capped->error(), Catch::Contains("the rest of the member was not read"));

  const std::string gz = gzip(a);
  memory_source cut(gz.substr(0, gz.size() - 20), 333);
  auto partial = isal_gzip_source(cut, unlimited, "member");
  const std::string head = drain(*partial, 4096);
  CHECK(a.compare(0, head.size(), head) == 0);
  CHECK_THAT(partial->error(), Catch::Contains("ends inside a member"));
}
