// How a capture names its own domain and host (issue 19, item 5): a
// `virsh domjobinfo` loop typed at a shell prompt, kept in a captures/ folder
// that says nothing of the host. The loop's command line is written once; the
// blocks that follow carry only a `date` line each.
#include <catch2/catch.hpp>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/parse.hpp"

using namespace migsleuth;
using namespace migsleuth::parsers;

namespace {

parse_result parse(input_kind kind, std::string_view text, std::string file) {
  line_context ctx;
  ctx.host = "";  // a captures/ folder names no host
  ctx.input = 0;
  ctx.file_name = std::move(file);
  diags errors;
  return parse_text(kind, text, shape_set::load({}, errors), ctx);
}

// A loop as an operator types it on the source (RHEL prompt), stopped with ^C.
constexpr std::string_view kLoop =
    R"([root@kvm-b03 ~]# while true; do date -u; virsh domjobinfo instance-0000062a; sleep 55; done
Tue Feb 13 09:15:32 UTC 2024
Job type:         Unbounded
Operation:        Outgoing migration
Time elapsed:     72310        ms
Memory processed: 7.768 GiB
Memory remaining: 1.700 GiB
Memory total:     4.016 GiB

Tue Feb 13 09:16:27 UTC 2024
Job type:         Unbounded
Operation:        Outgoing migration
Time elapsed:     127310       ms
Memory processed: 13.713 GiB
Memory remaining: 1.492 GiB
Memory total:     4.016 GiB

^C
[root@kvm-b03 ~]#
)";

// Run from the controller over ssh: the URI names the host whose job it is.
constexpr std::string_view kRemote =
    R"(root@ctl-01:~# watch -n 5 virsh -c qemu+ssh://nova@cmp-b:22/system domjobinfo instance-000001b4
Job type:         None
)";

// Piped through tee: no command line in the file, no domain in its name.
constexpr std::string_view kBare = R"(Tue Feb 13 09:15:32 UTC 2024
Job type:         Unbounded
Memory remaining: 1.700 GiB
Memory total:     4.016 GiB
)";

constexpr std::string_view kHostnameThenList = R"($ hostname
overcloud-novacompute-4.localdomain
$ virsh list --all
 Id   Name                State
------------------------------------
 7    instance-0000062a   paused
)";

}  // namespace

TEST_CASE("capture framing: a loop's command line names the domain of every block after it",
          "[parsers][domjobinfo][capture]") {
  const auto r = parse(input_kind::domjobinfo, kLoop, "jobwatch.log");
  REQUIRE(r.events.size() == 2);
  for (const auto& ev : r.events) {
    CHECK(ev.domain == "instance-0000062a");
    CHECK(ev.time.known());
  }
  CHECK(r.events[1].value("memory_remaining_bytes") == "1602022801");
  // The prompt lines and ^C frame the capture: understood, not skipped.
  CHECK(r.skipped_lines == 0);
  CHECK(r.content_host == "kvm-b03");
  CHECK_THAT(r.content_host_from, Catch::Contains("shell prompt"));
  CHECK(r.warnings.empty());
}

TEST_CASE("capture framing: a virsh URI's host wins over the prompt of the host virsh ran on",
          "[parsers][domjobinfo][capture]") {
  const auto r = parse(input_kind::domjobinfo, kRemote, "x.txt");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].domain == "instance-000001b4");
  CHECK(r.content_host == "cmp-b");
  CHECK_THAT(r.content_host_from, Catch::Contains("URI"));
}

TEST_CASE("capture framing: samples naming no domain say so, the file name can name it",
          "[parsers][domjobinfo][capture]") {
  const auto unnamed = parse(input_kind::domjobinfo, kBare, "jobwatch.log");
  REQUIRE(unnamed.events.size() == 1);
  CHECK(unnamed.events[0].domain.empty());
  REQUIRE(unnamed.warnings.size() == 1);
  CHECK_THAT(unnamed.warnings[0], Catch::Contains("1 job sample(s) name no domain"));
  CHECK(unnamed.content_host.empty());

  const auto named = parse(input_kind::domjobinfo, kBare, "watch-instance-0000062a.log");
  REQUIRE(named.events.size() == 1);
  CHECK(named.events[0].domain == "instance-0000062a");
  CHECK(named.warnings.empty());
  const auto by_uuid =
      parse(input_kind::domjobinfo, kBare, "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69.jobinfo");
  REQUIRE(by_uuid.events.size() == 1);
  CHECK(by_uuid.events[0].instance == "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69");
}

TEST_CASE("capture framing: the output of 'hostname' names a virsh list capture's host",
          "[parsers][virsh][capture]") {
  const auto r = parse(input_kind::virsh_list, kHostnameThenList, "virsh-list.txt");
  REQUIRE(r.events.size() == 1);
  CHECK(r.content_host == "overcloud-novacompute-4.localdomain");
  CHECK(r.skipped_lines == 0);
}

TEST_CASE("capture framing: command lines after shell, never prose", "[parsers][capture]") {
  for (const char* line : {"$ date; virsh domjobinfo instance-0000062a",
                           "for i in $(seq 20); do virsh domjobinfo instance-0000062a; done",
                           "watch -n 5 virsh domjobinfo instance-0000062a",
                           "sudo virsh domjobinfo instance-0000062a --completed",
                           "[root@cmp-a ~]# /usr/bin/virsh domjobinfo instance-0000062a"}) {
    INFO(line);
    const auto cmd = parse_virsh_command(line);
    REQUIRE(cmd.has_value());
    CHECK(cmd->subcommand == "domjobinfo");
    REQUIRE(cmd->arguments.size() == 1);
    CHECK(cmd->arguments[0] == "instance-0000062a");
  }
  for (const char* line : {"I ran virsh domjobinfo instance-0000062a yesterday",
                           "the customer said virsh list shows nothing"}) {
    INFO(line);
    CHECK_FALSE(parse_virsh_command(line).has_value());
  }
  CHECK(prompt_host("[stack@undercloud-0 ~]$ openstack server list") == "undercloud-0");
  CHECK(prompt_host("heat-admin@overcloud-novacompute-1:~$ sudo -i") == "overcloud-novacompute-1");
  CHECK(prompt_host("mail from ops@example.com: see the log") == "");
  CHECK(prompt_host("Job type:         None") == "");
}
