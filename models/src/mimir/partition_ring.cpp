#include "weir/models/mimir/partition_ring.h"

#include <algorithm>
#include <stdexcept>

#include "weir/sim/assert.h"
#include "weir/sim/hash.h"
#include "weir/sim/random.h"

namespace weir::models::mimir {
namespace {

// Table size generated when the ring first needs tokens: most scenarios stay below it.
constexpr PartitionId kInitialTokenTableMaxId = 31;

template <class Partitions>
auto find_in(Partitions& partitions, PartitionId id) -> decltype(partitions.data()) {
  auto it = std::lower_bound(partitions.begin(), partitions.end(), id,
                             [](const PartitionInfo& p, PartitionId v) { return p.id < v; });
  return it != partitions.end() && it->id == id ? &*it : nullptr;
}

}  // namespace

const char* to_string(PartitionState state) {
  switch (state) {
    case PartitionState::pending: return "PENDING";
    case PartitionState::active: return "ACTIVE";
    case PartitionState::inactive: return "INACTIVE";
  }
  return "UNKNOWN";
}

bool is_state_change_allowed(PartitionState from, PartitionState to) {
  switch (from) {
    case PartitionState::pending: return to == PartitionState::active || to == PartitionState::inactive;
    case PartitionState::active: return to == PartitionState::inactive;
    case PartitionState::inactive: return to == PartitionState::active;
  }
  return false;
}

std::optional<std::string> PartitionRingOptions::validate() const {
  if (min_owners_count < 0) return "min_owners_count must not be negative";
  if (min_owner_duration < sim::Duration()) return "min_owner_duration must not be negative";
  return std::nullopt;
}

PartitionRing::PartitionRing(PartitionRingOptions options, PartitionTokenTable tokens)
    : options_(options), tokens_(std::move(tokens)) {
  if (auto error = options_.validate()) throw std::invalid_argument("PartitionRingOptions: " + *error);
}

PartitionInfo* PartitionRing::find(PartitionId id) { return find_in(partitions_, id); }

const PartitionInfo* PartitionRing::find(PartitionId id) const { return find_in(partitions_, id); }

void PartitionRing::ensure_tokens_for(PartitionId id) {
  const auto have = tokens_ ? static_cast<PartitionId>(tokens_->size()) - 1 : PartitionId{-1};
  if (id <= have) return;
  tokens_ = make_partition_token_table(std::max({id, 2 * have + 1, kInitialTokenTableMaxId}));
}

void PartitionRing::rebuild_index() {
  ring_.clear();
  ring_.reserve(partitions_.size() * kTokensPerPartition);
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    for (std::uint32_t t : (*tokens_)[static_cast<std::size_t>(partitions_[i].id)]) {
      ring_.push_back(RingToken{t, static_cast<std::uint32_t>(i)});
    }
  }
  std::sort(ring_.begin(), ring_.end(), [](const RingToken& a, const RingToken& b) {
    return a.token != b.token ? a.token < b.token : a.partition_index < b.partition_index;
  });
  // Spread-minimizing tokens are unique: a token owned twice would make the
  // partition a series writes to depend on the order of the tie-break.
  const auto shared = std::adjacent_find(ring_.begin(), ring_.end(),
                                         [](const RingToken& a, const RingToken& b) { return a.token == b.token; });
  WEIR_ASSERT(shared == ring_.end(), "ring token {} owned by two partitions", shared->token);
}

bool PartitionRing::add_partition(PartitionId id, sim::Time now) {
  return add_partition(id, PartitionState::pending, now);
}

bool PartitionRing::add_partition(PartitionId id, PartitionState state, sim::Time now) {
  if (id < 0 || find(id) != nullptr) return false;
  ensure_tokens_for(id);
  auto it = std::lower_bound(partitions_.begin(), partitions_.end(), id,
                             [](const PartitionInfo& p, PartitionId v) { return p.id < v; });
  partitions_.insert(it, PartitionInfo{id, state, now});
  rebuild_index();
  return true;
}

void PartitionRing::add_partitions(PartitionId count, PartitionState state, sim::Time now) {
  if (count <= 0) return;
  ensure_tokens_for(count - 1);
  std::vector<PartitionInfo> added;
  for (PartitionId id = 0; id < count; ++id) {
    if (find(id) == nullptr) added.push_back(PartitionInfo{id, state, now});
  }
  partitions_.insert(partitions_.end(), added.begin(), added.end());
  std::sort(partitions_.begin(), partitions_.end(),
            [](const PartitionInfo& a, const PartitionInfo& b) { return a.id < b.id; });
  rebuild_index();
}

bool PartitionRing::remove_partition(PartitionId id) {
  PartitionInfo* p = find(id);
  if (p == nullptr) return false;
  partitions_.erase(partitions_.begin() + (p - partitions_.data()));
  rebuild_index();
  return true;
}

bool PartitionRing::set_state(PartitionId id, PartitionState state, sim::Time now) {
  PartitionInfo* p = find(id);
  if (p == nullptr || p->state == state || !is_state_change_allowed(p->state, state)) return false;
  p->state = state;
  p->state_changed_at = now;
  return true;
}

void PartitionRing::add_owner(std::string_view owner, PartitionId partition, sim::Time now) {
  auto it = std::lower_bound(owners_.begin(), owners_.end(), owner,
                             [](const Owner& o, std::string_view v) { return o.id < v; });
  if (it != owners_.end() && it->id == owner) {
    if (it->partition == partition) return;
    it->partition = partition;
    it->registered_at = now;
    return;
  }
  owners_.insert(it, Owner{std::string(owner), partition, now});
}

bool PartitionRing::remove_owner(std::string_view owner) {
  auto it = std::lower_bound(owners_.begin(), owners_.end(), owner,
                             [](const Owner& o, std::string_view v) { return o.id < v; });
  if (it == owners_.end() || it->id != owner) return false;
  owners_.erase(it);
  return true;
}

std::vector<PartitionId> PartitionRing::reconcile(sim::Time now) {
  std::vector<PartitionId> switched;
  const sim::Time registered_before = now - options_.min_owner_duration;
  for (PartitionInfo& p : partitions_) {
    if (p.state != PartitionState::pending) continue;
    const auto settled = std::count_if(owners_.begin(), owners_.end(), [&](const Owner& o) {
      return o.partition == p.id && o.registered_at < registered_before;
    });
    if (settled >= options_.min_owners_count) {
      p.state = PartitionState::active;
      p.state_changed_at = now;
      switched.push_back(p.id);
    }
  }
  return switched;
}

std::optional<PartitionId> PartitionRing::active_partition_for_token(std::uint32_t token) const {
  if (ring_.empty()) return std::nullopt;
  auto start = std::upper_bound(ring_.begin(), ring_.end(), token,
                                [](std::uint32_t v, const RingToken& t) { return v < t.token; });
  std::size_t i = static_cast<std::size_t>(start - ring_.begin()) % ring_.size();
  for (std::size_t walked = 0; walked < ring_.size(); ++walked, i = (i + 1) % ring_.size()) {
    const PartitionInfo& p = partitions_[ring_[i].partition_index];
    if (p.state == PartitionState::active) return p.id;
  }
  return std::nullopt;
}

PartitionRing PartitionRing::shuffle_shard(std::string_view tenant, int size) const {
  const auto total = static_cast<int>(partitions_.size());
  if (size <= 0 || size >= total) size = total;

  sim::Random random(sim::fnv1a64(tenant));
  std::vector<bool> picked(partitions_.size(), false);
  std::vector<bool> excluded(partitions_.size(), false);
  int picked_count = 0;
  while (picked_count < size && !ring_.empty()) {
    const auto key = static_cast<std::uint32_t>(random.next_u64() >> 32);
    auto start = std::upper_bound(ring_.begin(), ring_.end(), key,
                                  [](std::uint32_t v, const RingToken& t) { return v < t.token; });
    std::size_t i = static_cast<std::size_t>(start - ring_.begin()) % ring_.size();
    bool found = false;
    for (std::size_t walked = 0; walked < ring_.size() && !found; ++walked, i = (i + 1) % ring_.size()) {
      const std::uint32_t index = ring_[i].partition_index;
      if (picked[index] || excluded[index]) continue;
      if (partitions_[index].state == PartitionState::active) {
        picked[index] = true;
        ++picked_count;
        found = true;
      } else {
        excluded[index] = true;  // PENDING or INACTIVE: never in a shard without lookback
      }
    }
    if (!found) break;
  }

  PartitionRing sub(options_, tokens_);
  for (std::size_t i = 0; i < partitions_.size(); ++i) {
    if (picked[i]) sub.partitions_.push_back(partitions_[i]);
  }
  for (const Owner& o : owners_) {
    if (sub.find(o.partition) != nullptr) sub.owners_.push_back(o);
  }
  if (!sub.partitions_.empty()) sub.rebuild_index();
  return sub;
}

std::optional<PartitionState> PartitionRing::state(PartitionId id) const {
  const PartitionInfo* p = find(id);
  if (p == nullptr) return std::nullopt;
  return p->state;
}

std::vector<PartitionId> PartitionRing::partition_ids(PartitionState state) const {
  std::vector<PartitionId> ids;
  for (const PartitionInfo& p : partitions_) {
    if (p.state == state) ids.push_back(p.id);
  }
  return ids;
}

std::size_t PartitionRing::active_count() const {
  return static_cast<std::size_t>(std::count_if(partitions_.begin(), partitions_.end(), [](const PartitionInfo& p) {
    return p.state == PartitionState::active;
  }));
}

std::vector<std::string> PartitionRing::owners(PartitionId id) const {
  std::vector<std::string> out;
  for (const Owner& o : owners_) {
    if (o.partition == id) out.push_back(o.id);
  }
  return out;
}

const std::vector<std::uint32_t>& PartitionRing::tokens(PartitionId id) const {
  if (find(id) == nullptr) throw std::out_of_range("no partition " + std::to_string(id));
  return (*tokens_)[static_cast<std::size_t>(id)];
}

}  // namespace weir::models::mimir
