// Roles from content, not from host names: the source is where the migration
// job runs (monitor, progress, "initiating migration"); the destination is
// where pre_live_migration and the pre-checks run and QEMU starts with
// -incoming. A destination that left no logs can still be named by the
// source's own lines ("Migrating instance to X", "qemu+tcp://X/system").
#include <algorithm>
#include <map>
#include <re2/re2.h>

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {
namespace {

bool is_source_side(event_kind k) noexcept {
  switch (k) {
    case event_kind::migration_started:
    case event_kind::migration_progress:
    case event_kind::migration_completed:
    case event_kind::migration_succeeded:
    case event_kind::migration_failed:
    case event_kind::migration_aborted:
    case event_kind::migration_timeout:
    case event_kind::qemu_migration_out:
      return true;
    default:
      return false;
  }
}

bool is_destination_side(event_kind k) noexcept {
  return k == event_kind::dest_pre_migration || k == event_kind::dest_post_migration ||
         k == event_kind::precheck_failed || k == event_kind::qemu_incoming;
}

std::string top_vote(const std::map<std::string, int>& votes, const std::string& exclude) {
  std::string best;
  int most = 0;
  for (const auto& [host, n] : votes) {
    if (host == exclude || host.empty()) continue;
    if (n > most) {
      best = host;
      most = n;
    }
  }
  return best;
}

// The destination as the source names it in its own failure/success lines.
std::string destination_named_in(const event& ev) {
  if (auto d = ev.value("dest"); !d.empty()) return std::string(d);
  static const RE2 kNamed(
      R"((?:qemu\+\w+://(?:[^@/\s]+@)?([A-Za-z0-9_.-]+)[:/])|(?:unable to connect to server at '([A-Za-z0-9_.-]+):\d+'))");
  std::string uri_host, server_host;
  if (RE2::PartialMatch(ev.message, kNamed, &uri_host, &server_host)) {
    return uri_host.empty() ? server_host : uri_host;
  }
  return {};
}

bool same_host(const std::string& a, const std::string& b) {
  const auto sa = a.substr(0, a.find('.'));
  const auto sb = b.substr(0, b.find('.'));
  return !a.empty() && sa == sb;
}

}  // namespace

void assign_roles(incident& inc) {
  std::map<std::string, int> src, dst;
  std::map<std::string, int> hosts;
  for (const auto& ev : inc.events) {
    ++hosts[ev.host];
    if (is_source_side(ev.kind)) ++src[ev.host];
    if (is_destination_side(ev.kind)) ++dst[ev.host];
  }
  inc.source = top_vote(src, {});
  if (!inc.source.empty()) inc.source_from = "source-side migration lines (monitor, progress, job)";
  inc.destination = top_vote(dst, inc.source);
  if (!inc.destination.empty()) {
    inc.destination_from = "destination-side lines (pre-checks, pre_live_migration, -incoming)";
  }
  if (inc.destination.empty()) {
    for (const auto& ev : inc.events) {
      if (ev.host != inc.source || ev.host.empty()) continue;
      if (auto named = destination_named_in(ev); !named.empty()) {
        inc.destination = named;
        for (const auto& [h, n] : hosts) {
          if (same_host(h, named)) inc.destination = h;
        }
        inc.destination_from = "named in a source line";
        break;
      }
    }
  }
  if (inc.source.empty()) {
    // Where the domain was running (its QEMU started without -incoming).
    for (const auto& ev : inc.events) {
      if (ev.kind == event_kind::qemu_started && ev.host != inc.destination && !ev.host.empty()) {
        inc.source = ev.host;
        inc.source_from = "the domain runs there (QEMU log, no -incoming)";
      }
    }
  }
  if (inc.source.empty()) {
    inc.notes.push_back(
        "source host not identified: no source-side migration lines in the data (are the "
        "source's nova-compute logs in the bundle?)");
  }
  if (inc.destination.empty()) {
    inc.notes.push_back(
        "destination host not identified: no destination-side lines and the source names none");
  } else if (hosts.count(inc.destination) == 0) {
    inc.notes.push_back("no logs from the destination host '" + inc.destination +
                        "' in the data: destination-side evidence may be missing");
  }
  if (!inc.source.empty() && hosts.count(inc.source) == 0) {
    inc.notes.push_back("no logs from the source host '" + inc.source + "' in the data");
  }
}

void decide_outcome(incident& inc) {
  bool failure = false, success = false, timeout = false, started = false, error_line = false;
  timestamp end;
  auto mark_end = [&end](const event& ev) {
    if (ev.time.known() && (!end.known() || end < ev.time)) end = ev.time;
  };
  for (const auto& ev : inc.events) {
    switch (ev.kind) {
      case event_kind::migration_failed:
      case event_kind::migration_aborted:
      case event_kind::precheck_failed:
        failure = true;
        mark_end(ev);
        break;
      case event_kind::migration_succeeded:
      case event_kind::dest_post_migration:
        success = true;
        mark_end(ev);
        break;
      case event_kind::migration_completed:
        success = success || ev.host == inc.source;
        mark_end(ev);
        break;
      case event_kind::migration_timeout:
        timeout = true;
        mark_end(ev);
        break;
      case event_kind::migration_started:
      case event_kind::migration_progress:
      case event_kind::dest_pre_migration:
      case event_kind::qemu_migration_out:
        started = true;
        break;
      default:
        if (ev.level == "ERROR" && !inc.request_id.empty() && ev.request_id == inc.request_id) {
          error_line = true;
          mark_end(ev);
        }
        break;
    }
  }
  if (failure || (timeout && !success)) {
    inc.result = outcome::failed;
  } else if (success) {
    inc.result = outcome::succeeded;
  } else if (error_line) {
    inc.result = outcome::failed;
  } else if (started) {
    inc.result = outcome::stuck;
    end = {};
    const event* last = nullptr;
    for (const auto& ev : inc.events) {
      if (ev.time.known()) last = &ev;
    }
    if (last != nullptr) {
      inc.notes.push_back("started but never completed nor rolled back within the data; last "
                          "line " + format_rfc3339(last->time) + " on " + last->host + " (" +
                          std::string(to_string(last->kind)) + ")");
    }
  } else {
    inc.result = outcome::unknown;
    inc.notes.push_back("not enough evidence to tell how this attempt ended");
  }
  inc.ended = end;
}

}  // namespace migsleuth::correlate
