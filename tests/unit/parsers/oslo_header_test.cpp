#include <catch2/catch.hpp>

#include "migsleuth/parsers/oslo_header.hpp"

using migsleuth::format_rfc3339;
using migsleuth::parsers::parse_oslo_header;

namespace {
// FMT-02 (pre-Zed, periodic context, DEBUG suffix)
constexpr std::string_view kPreZed =
    "2022-02-04 10:21:50.649 284971 DEBUG oslo_service.service "
    "[req-9d84e8ef-0d1d-4190-aec0-4dec0cfdb2bc - - - - -] live_migration_retry_count     = 30 "
    "log_opt_values /usr/lib/python3/dist-packages/oslo_config/cfg.py:2580";
// FMT-04 (Zed+, 6-field identity, instance marker)
constexpr std::string_view kZed =
    "2023-07-26 21:16:44.776 2 INFO nova.compute.manager [None "
    "req-6c98e8b3-1e49-4191-8397-02a5cfc84ebe 889fa5cd4dca4bcd911d2e57af263eef "
    "56b97c0d699c4e1f892a0ba873b95130 - - default default] [instance: "
    "6a7e2f6b-7af8-4368-9b0b-80ba4314c3db] Migrating";
// FMT-06 (Folsom: no msecs, no pid)
constexpr std::string_view kFolsom =
    "2012-10-31 18:12:19 ERROR nova.virt.libvirt.driver [-] [instance: "
    "fa46a443-9b13-4b81-a2f2-f6ef7cb1e51d] Live Migration failure: operation failed: Failed to "
    "connect to remote libvirt URI qemu+tcp://364026-compute/system";
// FMT-10 (traceback continuation with instance marker, no context)
constexpr std::string_view kContinuation =
    "2023-09-22 18:53:31.267 1910783 ERROR nova.virt.libvirt.driver [instance: "
    "de492a45-6498-4313-be8d-9961c53f78d9] ";
// FMT-12 (rsyslog-wrapped, #033[00m at the end)
constexpr std::string_view kSyslog =
    "Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR "
    "nova.virt.libvirt.driver [None req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 "
    "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] "
    "[instance: 7b7edae6-f878-4756-a858-86f836d02c33] Live Migration failure: operation failed: "
    "domain is not running: libvirt.libvirtError: operation failed: domain is not "
    "running#033[00m";
}  // namespace

TEST_CASE("oslo header: pre-Zed context gives the request id and the DEBUG message",
          "[parsers][oslo]") {
  auto h = parse_oslo_header(kPreZed);
  REQUIRE(h);
  CHECK(format_rfc3339(h->local_time) == "2022-02-04T10:21:50.649000Z");
  CHECK(h->pid == "284971");
  CHECK(h->level == "DEBUG");
  CHECK(h->logger == "oslo_service.service");
  CHECK(h->request_id == "req-9d84e8ef-0d1d-4190-aec0-4dec0cfdb2bc");
  CHECK(h->global_request_id.empty());
  CHECK(h->instance.empty());
  CHECK(h->message.substr(0, 26) == "live_migration_retry_count");
}

TEST_CASE("oslo header: Zed+ 'None req-...' context and the instance marker", "[parsers][oslo]") {
  auto h = parse_oslo_header(kZed);
  REQUIRE(h);
  CHECK(h->request_id == "req-6c98e8b3-1e49-4191-8397-02a5cfc84ebe");
  CHECK(h->instance == "6a7e2f6b-7af8-4368-9b0b-80ba4314c3db");
  CHECK(h->message == "Migrating");
}

TEST_CASE("oslo header: a global request id before the local one", "[parsers][oslo]") {
  auto h = parse_oslo_header(
      "2024-01-02 03:04:05.006 7 INFO nova.compute.manager [req-aaaaaaaa-1111-2222-3333-444444444444 "
      "req-bbbbbbbb-1111-2222-3333-444444444444 - - - - - -] hello");
  REQUIRE(h);
  CHECK(h->global_request_id == "req-aaaaaaaa-1111-2222-3333-444444444444");
  CHECK(h->request_id == "req-bbbbbbbb-1111-2222-3333-444444444444");
}

TEST_CASE("oslo header: Folsom lines with no msecs and no pid", "[parsers][oslo]") {
  auto h = parse_oslo_header(kFolsom);
  REQUIRE(h);
  CHECK(h->pid.empty());
  CHECK(h->level == "ERROR");
  CHECK(h->instance == "fa46a443-9b13-4b81-a2f2-f6ef7cb1e51d");
  CHECK(h->message.substr(0, 23) == "Live Migration failure:");
}

TEST_CASE("oslo header: traceback continuation has no context but keeps the instance",
          "[parsers][oslo]") {
  auto h = parse_oslo_header(kContinuation);
  REQUIRE(h);
  CHECK_FALSE(h->has_context);
  CHECK(h->instance == "de492a45-6498-4313-be8d-9961c53f78d9");
  CHECK(h->message.empty());
}

TEST_CASE("oslo header: syslog wrapping is removed and the ANSI reset trimmed",
          "[parsers][oslo]") {
  auto h = parse_oslo_header(kSyslog);
  REQUIRE(h);
  CHECK(h->syslog_wrapped);
  CHECK(format_rfc3339(h->local_time) == "2024-07-11T22:10:59.946000Z");
  CHECK(h->message.size() > 10);
  CHECK(h->message.substr(h->message.size() - 7) == "running");
}

TEST_CASE("oslo header: non-oslo and truncated lines are refused", "[parsers][oslo]") {
  CHECK_FALSE(parse_oslo_header(""));
  CHECK_FALSE(parse_oslo_header("Refer to http://libvirt.org/html/libvirt-libvirt-host.html"));
  CHECK_FALSE(parse_oslo_header("2022-02-04 10:21:50.649 284971"));
  CHECK_FALSE(parse_oslo_header("2022-02-04 10:21:50.649 284971 NOTALEVEL x y"));
  CHECK_FALSE(parse_oslo_header("2022-02-10 16:18:31.313+0000: initiating migration"));
  CHECK_FALSE(parse_oslo_header("2022-13-40 10:21:50.649 1 INFO x [-] y"));
}

TEST_CASE("oslo header: a log4j line with its bracketed logger is no oslo.log record",
          "[parsers][oslo]") {
  // apache/cloudstack#9965: CloudStack's management server, both lines verbatim
  // (the second one's level is padded to five columns).
  CHECK_FALSE(parse_oslo_header(
      "2024-11-22 17:34:27,689 ERROR [c.c.v.VmWorkJobHandlerProxy] (Work-Job-Executor-15:ctx-36934979 "
      "job-484/job-485 ctx-bb524027) (logid:1ece315b) Invocation exception, caused by: "
      "com.cloud.utils.exception.CloudRuntimeException: Migration was refused connection to "
      "destination: qemu+tcp://192.168.101.100/system."));
  CHECK_FALSE(parse_oslo_header(
      "2024-11-22 17:34:27,690 INFO  [c.c.v.VmWorkJobHandlerProxy] (Work-Job-Executor-15:ctx-36934979 "
      "job-484/job-485 ctx-bb524027) (logid:1ece315b) Rethrow exception"));
}

TEST_CASE("oslo header: the user identity after the request ids, in every context form",
          "[parsers][oslo]") {
  CHECK(parse_oslo_header(kPreZed)->user_identity == "- - - - -");
  CHECK(parse_oslo_header(kZed)->user_identity ==
        "889fa5cd4dca4bcd911d2e57af263eef 56b97c0d699c4e1f892a0ba873b95130 - - default default");
  CHECK(parse_oslo_header(kSyslog)->user_identity ==
        "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default");
  // A global request id before the local one (Zed+, from another service).
  const auto global = parse_oslo_header(
      "2024-07-11 22:10:59.946 2 ERROR nova.compute.manager "
      "[req-11111111-2222-3333-4444-555555555555 req-590602d0-1d3d-4ac9-b000-cdd98a2400b4 "
      "3de117d20e5b45c1ba86c8136c841ef3 eab438b17a2a4575a3abff1f78afc4ff - - default default] "
      "Error");
  REQUIRE(global);
  CHECK(global->global_request_id == "req-11111111-2222-3333-4444-555555555555");
  CHECK(global->user_identity.substr(0, 8) == "3de117d2");
  // No request id, nothing to fold; none after it, nothing either.
  CHECK(parse_oslo_header(kFolsom)->user_identity.empty());
  CHECK(parse_oslo_header(kContinuation)->user_identity.empty());
  CHECK(parse_oslo_header("2024-07-11 22:10:59.946 2 ERROR nova.compute.manager "
                          "[req-590602d0-1d3d-4ac9-b000-cdd98a2400b4] Error")
            ->user_identity.empty());
}
