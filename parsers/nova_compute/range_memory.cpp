// range_memory (migsleuth/parsers/nova_ranges.hpp): what a range of a nova
// log remembers besides its events, kept behind the public seam so that the
// listing memory and the identity tracker stay the parsers' own.
#include <utility>

#include "migsleuth/parsers/nova_ranges.hpp"
#include "nova_compute/identity_tracker.hpp"
#include "nova_compute/listing_memory.hpp"

namespace migsleuth::parsers {

struct range_memory::state {
  listing_memory listings;
  identity_tracker ids;
};

range_memory::range_memory() : state_(std::make_unique<state>()) {}

range_memory::range_memory(listing_memory&& listings, identity_tracker&& ids)
    : state_(std::make_unique<state>(state{std::move(listings), std::move(ids)})) {}

range_memory::~range_memory() = default;
range_memory::range_memory(range_memory&&) noexcept = default;
range_memory& range_memory::operator=(range_memory&&) noexcept = default;

void range_memory::merge_later(range_memory& later, std::uint32_t line_offset) {
  later.state_->listings.shift_lines(line_offset);
  state_->listings.merge_later(later.state_->listings);
  state_->ids.replay(later.state_->ids);
}

void range_memory::take_listings(std::vector<event>& out) { state_->listings.take_into(out); }

std::vector<identity_link> range_memory::links() const { return state_->ids.links(); }

}  // namespace migsleuth::parsers
