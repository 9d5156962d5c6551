#include "kept_text_budget.hpp"

#include <utility>

namespace migsleuth::ingest {
namespace {

// `s` kept to `cap` bytes with the marker giving the line's whole length.
void cut_to_prefix(std::string& s, std::size_t cap) {
  if (s.size() <= cap) return;
  std::string out = capped_text(s, kept_line_length(s), cap);
  s = std::move(out);
}

std::size_t value_bytes(const event& ev) noexcept {
  std::size_t n = 0;
  for (const auto& v : ev.values) n += v.second.size();
  return n;
}

}  // namespace

void kept_text_budget::keep(event& ev) {
  auto [it, added] = index_.try_emplace(ev.instance, accounts_.size());
  if (added) accounts_.push_back({ev.instance, 0, 0});
  account& a = accounts_[it->second];
  if (a.spent <= budget_) {
    a.spent += ev.text.size() + ev.message.size() + value_bytes(ev);
    return;
  }
  // Cut already by its range's own budget (split_file): the file's cuts it too.
  if (!ev.text_budget_cut) {
    const std::size_t before = ev.text.size() + ev.message.size() + value_bytes(ev);
    // The line shows the start of its message already: the message and the
    // captured values (read from the whole line while it was parsed) keep half.
    cut_to_prefix(ev.text, kBudgetPrefixBytes);
    cut_to_prefix(ev.message, kBudgetPrefixBytes / 2);
    for (auto& v : ev.values) cut_to_prefix(v.second, kBudgetPrefixBytes / 2);
    if (ev.text.size() + ev.message.size() + value_bytes(ev) == before) return;  // short already
    ev.text.shrink_to_fit();
    ev.message.shrink_to_fit();
    // Where a display may fold the user identity: only if it is still kept.
    if (static_cast<std::size_t>(ev.user_identity.at) + ev.user_identity.size > ev.text.size()) {
      ev.user_identity = {};
    }
    ev.text_cut = true;
    ev.text_budget_cut = true;
  }
  if (a.cut++ == 0) cut_order_.push_back(it->second);
}

std::vector<std::string> kept_text_budget::warnings() const {
  std::vector<std::string> out;
  for (const std::size_t i : cut_order_) {
    const account& a = accounts_[i];
    const std::string about =
        a.instance.empty() ? "naming no instance" : "about instance " + a.instance;
    out.push_back(std::to_string(a.cut) + " line(s) " + about + " kept only to their first " +
                  std::to_string(kBudgetPrefixBytes) + " bytes: this file's kept text " + about +
                  " had passed " + std::to_string(budget_ >> 20) +
                  " MiB (each ends in '[line cut: N bytes]')");
  }
  return out;
}

}  // namespace migsleuth::ingest
