// The human-facing writers on a hostile incident: a log line holding HTML,
// markdown and terminal escapes comes out as inert text in every format.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/report/report.hpp"

using namespace migsleuth;

namespace {

constexpr const char* kHostile =
    "2024-05-21 14:02:12.463 3012 ERROR nova <script>alert(1)</script> "
    "![x](http://evil/p.png) [click](http://evil) ``` \x1b[2J\x1b]8;;http://evil\x07 end";

struct fixture {
  std::vector<input> inputs;
  std::vector<incident> incidents;
  std::vector<verdict> verdicts;

  fixture() {
    input in;
    in.path = "bundle/cmp-a/<b>nova</b>.log";
    in.host = "cmp-a";
    in.kind = input_kind::nova_compute;
    in.lines = 10;
    in.warnings.push_back("warning <img src=x onerror=alert(1)>");
    inputs.push_back(in);

    incident inc;
    inc.id = "mig-0000000000000001";
    inc.instance = "bd8a3212-8687-4525-a8f2-f40322c72d5f";
    inc.source = "cmp-a";
    inc.destination = "cmp-b";
    inc.result = outcome::failed;
    inc.started.micros = 1'716'300'129'000'000;
    inc.ended.micros = 1'716'300'133'000'000;
    event ev;
    ev.time.micros = 1'716'300'132'463'000;
    ev.kind = event_kind::migration_failed;
    ev.host = "cmp-a";
    ev.where = {0, 7};
    ev.text = kHostile;
    inc.events.push_back(ev);
    incidents.push_back(inc);

    verdict v;
    v.cls = classification::network;
    v.cause = "network.migration-port-refused";
    v.confidence = 0.9;
    v.summary = "Refused [link](http://evil) <i>x</i>";
    v.evidence.push_back({"cmp-a", {0, 7}, ev.time, kHostile, "network.migration-port-refused"});
    v.confirm.push_back({run_where::destination, "ss -ltn ```; echo <b>", "why `x` <b>"});
    v.remediation.push_back("Open the port <script>");
    verdicts.push_back(v);
  }
  [[nodiscard]] report::report_data data() const {
    return {"0.0.0-test", inputs, incidents, verdicts};
  }
};

// The markdown a renderer reads as markup: fenced blocks and code spans
// dropped (their content is shown verbatim, so it may hold anything).
std::string outside_code(const std::string& md) {
  std::string out, fence;
  std::size_t pos = 0;
  while (pos < md.size()) {
    std::size_t end = md.find('\n', pos);
    if (end == std::string::npos) end = md.size();
    const std::string line = md.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t ticks = line.find_first_not_of('`');
    const std::string run = line.substr(0, ticks == std::string::npos ? line.size() : ticks);
    if (fence.empty() && run.size() >= 3) {
      fence = run;
      continue;
    }
    if (!fence.empty()) {
      if (line == fence) fence.clear();
      continue;
    }
    // Inline code spans: a run of N backticks up to the next run of exactly N.
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        out += line.substr(i, 2);
        i += 2;
        continue;
      }
      if (line[i] != '`') {
        out += line[i++];
        continue;
      }
      std::size_t n = 0;
      while (i + n < line.size() && line[i + n] == '`') ++n;
      const std::string delim(n, '`');
      std::size_t close = line.find(delim, i + n);
      while (close != std::string::npos && close + n < line.size() && line[close + n] == '`') {
        close = line.find(delim, close + n + 1);
      }
      if (close == std::string::npos) {
        out += delim;
        i += n;
        continue;
      }
      i = close + n;
    }
    out += '\n';
  }
  return out;
}

}  // namespace

TEST_CASE("write_html: log text is escaped, nothing fetched, no script") {
  const fixture f;
  const std::string html = report::write_html(f.data());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find(" src=\"") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(html.find('\x1b') == std::string::npos);
  CHECK(html.find("<svg class=\"tl\"") != std::string::npos);  // the timeline is there
  CHECK(html.find("class=\"failline\"") != std::string::npos);  // with the failure point
}

TEST_CASE("write_markdown: no fence break, no link or image, no control sequence") {
  const fixture f;
  const std::string md = report::write_markdown(f.data());
  CHECK(md.find('\x1b') == std::string::npos);
  const std::string prose = outside_code(md);
  CHECK(prose.find("![") == std::string::npos);
  // A link or image needs an unescaped '['; raw HTML an unescaped '<' before
  // a letter: every one in prose is escaped.
  for (const char open : {'[', '<'}) {
    for (std::size_t i = prose.find(open); i != std::string::npos; i = prose.find(open, i + 1)) {
      INFO(prose.substr(i, 20));
      CHECK((i > 0 && prose[i - 1] == '\\'));
    }
  }
  CHECK(prose.find("\\<script>") != std::string::npos);
  CHECK(prose.find("\\[link](http://evil)") != std::string::npos);
  // Every fence opened is closed: an even number of fence lines of each length.
  CHECK(outside_code(md + "```\nunclosed?\n").find("unclosed?") == std::string::npos);
  // The evidence line holds ``` : its block must use a longer fence.
  CHECK(md.find("````text\n") != std::string::npos);
  CHECK(md.find("````sh\n") != std::string::npos);
}

TEST_CASE("write_text: terminal escapes from logs are shown, not sent") {
  const fixture f;
  const std::string txt = report::write_text(f.data(), report::color_mode::never);
  CHECK(txt.find('\x1b') == std::string::npos);
  CHECK(txt.find('\x07') == std::string::npos);
  CHECK(txt.find("\\x1b[2J") != std::string::npos);
  const std::string colored = report::write_text(f.data(), report::color_mode::always);
  // Only our own SGR codes: the log's "ESC[2J" is still neutralised.
  CHECK(colored.find("\x1b[2J") == std::string::npos);
  CHECK(colored.find("\x1b[1m") != std::string::npos);
}

TEST_CASE("writers: the same input gives the same output") {
  const fixture f;
  CHECK(report::write_html(f.data()) == report::write_html(f.data()));
  CHECK(report::write_markdown(f.data()) == report::write_markdown(f.data()));
}
