// Where correlate takes the analysis' events from: ingest's output behind one
// interface (HACKING "Data flow"), so that correlate neither links ingest nor
// knows how ingest keeps its lines.
//
// Ingest holds most events in memory and leaves some on disk: lines that only
// an attempt could need (an unshaped WARNING/ERROR line about an instance,
// power-state sync's pending-task lines and its instance listings). Which of
// those are needed is known only once the in-memory lines say which
// instances migrated, so the reader decides: it looks at resident(), builds
// what decides (correlate's line_filter), and take()s with it. A line left on
// disk that the reader does not want by its instance is never decoded. Lines
// naming no instance that only host and time could join to an attempt wait
// on disk until the attempts are built (take_unowned()).
//
//   event_source& src = ...;                      // ingest::ingested
//   correlate::line_filter usable(src.resident());
//   std::vector<event> events = src.take({
//       [&](std::string_view instance) { return usable.migrating(instance); },
//       [&](const event& ev) { return usable.may_use(ev); }});
#pragma once

#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/identity_index.hpp"

namespace migsleuth {

class event_source {
 public:
  // Which of the lines left on disk a reader wants: `instance` decides from a
  // line's instance alone, before the line is decoded (a line it refuses is
  // stepped over undecoded); `line` then decides from the decoded line, for
  // the lines the source left on disk for it to judge (unshaped log lines,
  // pending tasks, listings, another operation's lines); the lines it set
  // aside whole (a QEMU boot that decides nothing until its instance is
  // known to migrate) are handed over
  // whenever `instance` accepts them, as when they were in memory. An empty
  // function accepts everything.
  struct wanted_lines {
    std::function<bool(std::string_view instance)> instance;
    std::function<bool(const event&)> line;
  };

  event_source() = default;
  event_source(const event_source&) = delete;
  event_source& operator=(const event_source&) = delete;
  virtual ~event_source() = default;

  // The events held in memory, in walk then line order, their instances
  // resolved through identities(). Every line that decides which others are
  // wanted is among them: migration markers, lines naming a domain and no
  // instance, lines naming no instance (only lines about an instance are
  // left on disk).
  [[nodiscard]] virtual std::span<const event> resident() const = 0;

  // Hands over every resident event, then the lines left on disk that
  // `wanted` accepts, each in walk then line order, as ingest would have kept
  // them in memory (final input id and host, clock shifted like the rest of
  // their host's lines). The source holds no events afterwards.
  [[nodiscard]] virtual std::vector<event> take(const wanted_lines& wanted) = 0;

  // After take(): the lines naming no instance that the source left on disk
  // (a nova WARNING or ERROR line that no rule reads alone and that only
  // host and time can join to an attempt), each handed to `fn` once, in walk
  // then line order, host and clock as take() gives them; the reader decides
  // which attempt, if any, each joins, once its attempts are built. A line
  // whose request names an instance was take()'s, as that instance's. A
  // source with none left on disk hands over nothing.
  virtual void take_unowned(const std::function<void(event&)>& fn) { (void)fn; }

  // The analysis' identity index, built once by the source from every line
  // it holds; later stages add what they learn (host names) and read it.
  [[nodiscard]] virtual identity_index& identities() = 0;

 protected:
  event_source(event_source&&) = default;
  event_source& operator=(event_source&&) = default;
};

}  // namespace migsleuth
