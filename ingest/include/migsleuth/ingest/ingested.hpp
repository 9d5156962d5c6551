// What ingest hands the rest of an analysis: its events as one lazy
// event_source (core/event_source.hpp) that correlate pulls from, the
// analysis' one identity index, and what is not events (inputs, kept
// captures). How ingest keeps its lines (in memory, or encoded on disk for
// the lines only an attempt could need), when those are read back and how
// they are rebased and re-clocked stays behind this interface
// (HACKING "Identity index").
//
//   ingest::ingested data = ingest::ingest_events(options, shapes);
//   correlate::usable_events usable(data, data.inputs());  // pulls what it may use
//   ... data.identities(), data.kept() ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "migsleuth/core/event_source.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::ingest {

class ingested final : public event_source {
 public:
  // Builds the identity index once (index_identities: the in-memory lines,
  // the parsers' links, the deferred lines of requests named without an
  // instance) and resolves every in-memory line through it.
  explicit ingested(analysis_input data);
  ingested(ingested&&) = default;
  ingested& operator=(ingested&&) = default;
  ~ingested() override = default;

  [[nodiscard]] std::span<const event> resident() const override { return data_.events; }
  // The deferred lines are read here, once, and the store is dropped unless
  // it holds lines naming no instance, which take_unowned() reads.
  [[nodiscard]] std::vector<event> take(const wanted_lines& wanted) override;
  void take_unowned(const std::function<void(event&)>& fn) override;
  [[nodiscard]] identity_index& identities() override { return ids_; }

  // Every file read, in walk order; correlate's host_index renames their hosts.
  [[nodiscard]] std::vector<input>& inputs() noexcept { return data_.inputs; }
  // ingest_options::keep_text's whole documents, in input order.
  [[nodiscard]] std::vector<kept_text>& kept() noexcept { return data_.kept; }
  [[nodiscard]] bool any_unreadable() const noexcept { return data_.any_unreadable; }
  // The stop request came while reading: not an analysis of the inputs.
  [[nodiscard]] bool cancelled() const noexcept { return data_.cancelled; }

  // Lines left on disk, and how many of them were decoded so far (the index
  // decodes those of requests named without an instance, take() those whose
  // instance was wanted; the others never are).
  [[nodiscard]] std::size_t deferred_lines() const noexcept { return deferred_lines_; }
  [[nodiscard]] std::size_t deferred_decoded() const;

 private:
  analysis_input data_;
  identity_index ids_;
  std::size_t deferred_lines_ = 0;
  std::size_t decoded_before_drop_ = 0;  // the store's count when take() dropped it
  // By input: seconds subtracted from its local-clock lines, as known when
  // take() read them; later, inputs carry the hosts' canonical names, by
  // which local_clock_shift does not know them.
  std::vector<std::int64_t> clock_shift_;
};

// ingest() with the lines only an attempt could need left on disk
// (ingest_options::defer_log_lines), behind ingested.
ingested ingest_events(const ingest_options& options,
                       std::shared_ptr<const parsers::shape_set> shapes);

}  // namespace migsleuth::ingest
