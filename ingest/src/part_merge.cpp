#include "part_merge.hpp"

namespace migsleuth::ingest {
namespace {

void share_reasons(file_part& part, text_pool& reasons) {
  for (auto& in : part.out.inputs) reasons.share(in.kind_reason);
}

void merge_part(file_part& part, std::size_t index, ingest_state& st, text_pool& reasons) {
  const auto base = static_cast<input_id>(st.out.inputs.size());
  if (st.out.deferred) st.out.deferred->set_base(index, base);
  for (auto& link : part.out.domain_links) {
    link.before += st.out.events.size();
    st.out.domain_links.push_back(std::move(link));
  }
  share_reasons(part, reasons);
  for (auto& in : part.out.inputs) st.out.inputs.push_back(std::move(in));
  for (auto& ev : part.out.events) ev.where.input += base;
  take_events(st.out.events, part.out.events);
  for (auto& k : part.out.kept) {
    k.input += base;
    st.out.kept.push_back(std::move(k));
  }
  st.out.links.insert(st.out.links.end(), part.out.links.begin(), part.out.links.end());
  st.out.any_unreadable = st.out.any_unreadable || part.out.any_unreadable;
  st.slots.append(std::move(part.slots));
  for (auto& r : part.sos_roots) st.sos_roots.emplace_back(r.first + base, std::move(r.second));
  for (auto& h : part.hosts_used) st.hosts_used.push_back(std::move(h));
  part = file_part{};
}

}  // namespace

void file_part::take_state(ingest_state& st) {
  slots = std::move(st.slots);
  sos_roots = std::move(st.sos_roots);
  hosts_used = std::move(st.hosts_used);
}

void text_pool::share(shared_text& t) {
  if (t.empty()) return;
  const auto [it, fresh] = texts_.try_emplace(t.str(), t);
  if (!fresh) t = it->second;
}

void walk_order_merge::reserve(std::size_t files) {
  const std::lock_guard lock(mu_);
  merged_.out.inputs.reserve(files);
  if (!merged_.opt.time_zones.empty()) merged_.hosts_used.reserve(files);
  parts_.reserve(files);
  done_.reserve(files);
}

void walk_order_merge::settle(std::size_t index, std::unique_ptr<file_part> part) {
  const std::lock_guard lock(mu_);
  if (parts_.size() <= index) {
    parts_.resize(index + 1);
    done_.resize(index + 1, 0);
  }
  // A part read ahead of its turn (files are read largest first) waits
  // with its texts already shared: not a kind reason of its own each.
  if (part && index != next_) share_reasons(*part, reasons_);
  parts_[index] = std::move(part);
  done_[index] = 1;
  while (next_ < done_.size() && done_[next_] != 0) merge_next();
}

void walk_order_merge::merge_rest(std::size_t files) {
  const std::lock_guard lock(mu_);
  if (parts_.size() < files) {
    parts_.resize(files);
    done_.resize(files, 0);
  }
  while (next_ < parts_.size()) merge_next();
}

void walk_order_merge::merge_next() {
  file_part none;
  merge_part(parts_[next_] ? *parts_[next_] : none, next_, merged_, reasons_);
  parts_[next_].reset();
  ++next_;
}

}  // namespace migsleuth::ingest
