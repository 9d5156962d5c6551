// The decoders (decoders.hpp) behind read_ahead_source, as ingest uses them:
// a file on disk decoded ahead on its own thread, a member decoded on the
// reader's thread. What comes out and what the work budget is charged must
// be the same either way, and a reader that stops early must not hang.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "byte_source.hpp"
#include "decoders.hpp"
#include "embedded_shapes.hpp"
#include "memory_source.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "packed.hpp"
#include "read_ahead.hpp"
#include "temp_dir.hpp"

using migsleuth::test::memory_source;

using namespace migsleuth;
using namespace migsleuth::parsers;
using namespace migsleuth::ingest;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};

// Varied oslo lines, `n` of them, so every codec has real work to do.
std::string log_lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "2024-05-21 14:00:0" + std::to_string(i % 10) + ".000 7 INFO nova.compute.manager [-] " +
         "step " + std::to_string(i * 7919 % 100003) + " of instance " + std::to_string(i) + "\n";
  }
  return s;
}

// About 2.3 MiB decoded: several units, so the thread really runs ahead.
const std::string& big_text() {
  static const std::string text = log_lines(28000);
  return text;
}


struct drained {
  std::string text;
  std::size_t short_reads = 0;  // reads that gave less than asked before the end
};

drained drain(byte_source& s, std::size_t chunk) {
  drained d;
  std::string buf(chunk, '\0');
  for (std::size_t got; (got = s.read(buf.data(), buf.size())) != 0;) {
    if (got < chunk) ++d.short_reads;
    d.text.append(buf, 0, got);
  }
  // The last read before the end may be short: it is not a unit boundary.
  if (d.short_reads > 0 && d.text.size() % chunk != 0) --d.short_reads;
  return d;
}

const compression kCodecs[] = {compression::gzip, compression::bzip2, compression::xz,
                                compression::zstd};

}  // namespace

TEST_CASE("read_ahead: a file in every codec gives exactly its bytes, decoded on its own thread",
          "[parsers][read_ahead]") {
  const test::temp_dir t("read-ahead");
  for (const compression c : kCodecs) {
    CAPTURE(to_string(c));
    const fs::path p = t.path / ("log." + std::string(to_string(c)));
    test::write_file(p, test::packed_once(big_text(), c));
    for (const std::size_t chunk : {std::size_t{1} << 20, std::size_t{100003}}) {
      CAPTURE(chunk);
      work_budget budget(kUnlimited);
      std::string error;
      auto src = open_source(p.string(), budget, error);
      REQUIRE(src);
      CHECK(src->packing() == c);
      const drained d = drain(*src, chunk);
      CHECK(d.text == big_text());
      CHECK(d.short_reads == 0);  // unit boundaries never shorten a read
      CHECK(src->error().empty());
      CHECK(budget.used().bytes == big_text().size());
      const auto* ahead = dynamic_cast<const read_ahead_source*>(src.get());
      REQUIRE(ahead != nullptr);
      CHECK(ahead->ran_ahead());
    }
  }
}

TEST_CASE("read_ahead: the budget is charged read by read, the same with or without the thread",
          "[parsers][read_ahead]") {
  // A limit that is no multiple of the read size: the stream is cut at the
  // last whole read under it, on the reader's thread, whoever decoded.
  const std::uint64_t limit = 1'000'017;
  const std::size_t chunk = 65536;
  const std::uint64_t expected = limit / chunk * chunk;
  const test::temp_dir t("read-ahead");
  for (const compression c : kCodecs) {
    CAPTURE(to_string(c));
    const std::string bytes = test::packed_once(big_text(), c);
    const fs::path p = t.path / ("bomb." + std::string(to_string(c)));
    test::write_file(p, bytes);
    for (const bool own_thread : {true, false}) {
      CAPTURE(own_thread);
      work_budget budget(limit);
      std::string error;
      memory_source upstream(bytes, 4096);
      auto src = own_thread ? open_source(p.string(), budget, error)
                            : decode(nullptr, upstream, c, budget, "file", false, error);
      REQUIRE(src);
      const drained d = drain(*src, chunk);
      CHECK(d.text.size() == expected);
      CHECK(big_text().compare(0, d.text.size(), d.text) == 0);
      CHECK(budget.used().bytes == expected);
      CHECK_THAT(src->error(), Catch::Contains("exceeds the limit of 1000017 bytes"));
      CHECK_THAT(src->error(), Catch::Contains("the rest of the file was not read"));
    }
  }
}

TEST_CASE("read_ahead: a reader that stops early, or is cut, leaves no thread behind",
          "[parsers][read_ahead]") {
  // No timing: a hang here is a test that never ends (ctest's timeout).
  const test::temp_dir t("read-ahead");
  const fs::path p = t.path / "log.gz";
  test::write_file(p, test::packed_once(big_text(), compression::gzip));
  SECTION("destroyed before its first read") {
    work_budget budget(kUnlimited);
    std::string error;
    auto src = open_source(p.string(), budget, error);
    REQUIRE(src);
  }
  SECTION("destroyed while the thread waits for a unit to be freed") {
    work_budget budget(kUnlimited);
    std::string error;
    auto src = open_source(p.string(), budget, error);
    REQUIRE(src);
    std::string buf(2U << 20, '\0');  // past the first unit: the thread starts
    CHECK(src->read(buf.data(), buf.size()) == buf.size());
    CHECK(dynamic_cast<const read_ahead_source&>(*src).ran_ahead());
    src.reset();
    CHECK(budget.used().bytes == buf.size());  // decoded ahead, never handed out: not taken
  }
  SECTION("cut by the budget mid-stream, then read again") {
    work_budget budget(2U << 20);
    std::string error;
    auto src = open_source(p.string(), budget, error);
    REQUIRE(src);
    const drained d = drain(*src, 1U << 20);
    CHECK(d.text.size() == (2U << 20));
    std::string buf(16, '\0');
    CHECK(src->read(buf.data(), buf.size()) == 0);
    CHECK_FALSE(src->error().empty());
  }
  SECTION("ingest cancelled while a compressed file is read") {
    test::write_file(t.path / "cmp-a" / "nova-compute.log.1.gz",
               test::packed_once(big_text(), compression::gzip));
    std::atomic<bool> cancel{false};
    ingest_options opt;
    opt.paths = {(t.path / "cmp-a").string()};
    opt.cancel = &cancel;
    opt.jobs = 1;
    // Called with the file's head, once its decoder has started: the stop
    // request comes while the file is being read.
    opt.keep_text = [&](std::string_view, std::string_view) {
      cancel = true;
      return false;
    };
    const analysis_input a = ingest::ingest(opt, test::shapes());
    CHECK(a.cancelled);
  }
}

TEST_CASE("read_ahead: a cut xz or bzip2 file keeps the bytes before the cut and says so",
          "[parsers][read_ahead]") {
  const test::temp_dir t("read-ahead");
  for (const compression c : {compression::xz, compression::bzip2, compression::zstd}) {
    CAPTURE(to_string(c));
    const std::string whole = test::packed_once(big_text(), c);
    const fs::path p = t.path / "cmp-a" / ("nova-compute.log." + std::string(to_string(c)));
    test::write_file(p, whole.substr(0, whole.size() / 2));
    work_budget budget(kUnlimited);
    std::string error;
    auto src = open_source(p.string(), budget, error);
    REQUIRE(src);
    const drained d = drain(*src, 1U << 20);
    CHECK(d.text.size() > big_text().size() / 8);
    CHECK(d.text.size() < big_text().size());
    CHECK(big_text().compare(0, d.text.size(), d.text) == 0);
    CHECK_THAT(src->error(), Catch::Contains("lines read so far are kept"));

    ingest_options opt;
    opt.paths = {p.string()};
    const analysis_input a = ingest::ingest(opt, test::shapes());
    REQUIRE(a.inputs.size() == 1);
    CHECK(a.inputs[0].packing == c);
    CHECK(a.inputs[0].lines > 1000);
    CHECK(a.inputs[0].lines < 28000);
    REQUIRE_FALSE(a.inputs[0].warnings.empty());
    CHECK_THAT(a.inputs[0].warnings[0], Catch::Contains("lines read so far are kept"));
  }
}

TEST_CASE("read_ahead: a file or member whose stream never starts is listed with a warning",
          "[parsers][read_ahead]") {
  // The magic bytes of bzip2 or xz and then no such stream: a warning on the
  // input, nothing read, the same for a file and a tar member (and the same
  // as gzip's), never the packed bytes handed out as if they were text.
  const test::temp_dir t("read-ahead");
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919 + 13) % 251);
  const std::string lies[] = {"BZh9" + noise, std::string("\xfd" "7zXZ\0", 6) + noise};
  const compression codecs[] = {compression::bzip2, compression::xz};
  for (std::size_t k = 0; k < 2; ++k) {
    CAPTURE(to_string(codecs[k]));
    const std::string name = "lies.log." + std::string(to_string(codecs[k]));
    const fs::path dir = t.path / std::to_string(k);
    test::write_file(dir / "cmp-a" / name, lies[k]);
    test::write_file(dir / "cmp-b.tar", test::tar_of("cmp-b/" + name, lies[k]));
    ingest_options opt;
    opt.paths = {dir.string()};
    const analysis_input a = ingest::ingest(opt, test::shapes());
    REQUIRE(a.inputs.size() == 3);  // the file, the tar, its member
    for (const input& in : a.inputs) {
      CAPTURE(in.path);
      if (in.path.str().find(name) == std::string::npos) continue;  // the tar itself
      CHECK(in.packing == codecs[k]);
      CHECK(in.lines == 0);
      CHECK_FALSE(in.unreadable);
      REQUIRE(in.warnings.size() == 1);
      CHECK_THAT(in.warnings[0], Catch::Contains("cannot decompress (" +
                                                 std::string(to_string(codecs[k])) + ")"));
    }
  }
}
