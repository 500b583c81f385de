#include "weir/models/mimir/compactor.h"

#include <map>
#include <stdexcept>
#include <utility>

#include "weir/models/mimir/services.h"
#include "weir/sim/hash.h"

namespace weir::models::mimir {

std::optional<std::string> CompactorOptions::validate() const {
  if (compaction_interval.ns() <= 0) return "compactor compaction_interval must be positive";
  return object_store.validate();
}

Compactor::Compactor(sim::Simulation& sim, sim::NodeId node, const objstore::ObjectStore& store,
                     CompactorOptions options)
    : sim_(sim), node_(node), options_(options), objects_(sim, node, store, options_.object_store), catalog_(objects_) {
  sim_.spawn(node_, [this] { run(); });
}

void Compactor::run() {
  for (;;) {
    sim_.sleep(options_.compaction_interval);
    compact_once();
  }
}

void Compactor::compact_once() {
  ++stats_.passes;
  const CatalogResult loaded = catalog_.load(blocks_prefix(), [](const BlockRef&) { return true; });
  if (!loaded.ok()) {
    ++stats_.failed_passes;
    return;
  }
  // (tenant, range start) -> blocks, compacted first (the catalog's order).
  std::map<std::pair<std::string, TimestampMs>, std::vector<LoadedBlock>> ranges;
  for (const LoadedBlock& b : loaded.blocks) ranges[{b.ref.tenant, b.ref.min_time_ms}].push_back(b);
  for (auto& [range, blocks] : ranges) {
    std::stable_sort(blocks.begin(), blocks.end(),
                     [](const LoadedBlock& a, const LoadedBlock& b) { return a.ref.compacted() && !b.ref.compacted(); });
    const bool pending = std::any_of(blocks.begin(), blocks.end(), [](const LoadedBlock& b) { return !b.ref.compacted(); });
    if (pending) compact_range(blocks);
  }
}

void Compactor::compact_range(const std::vector<LoadedBlock>& blocks) {
  std::vector<Block> inputs;
  inputs.reserve(blocks.size());
  for (const LoadedBlock& b : blocks) inputs.push_back(*b.block);
  CompactStats merge_stats;
  const Block merged = compact(inputs, &merge_stats);
  const BlockRef& first = blocks.front().ref;
  const std::string key = block_key(first.tenant, kCompactedSource, merged.min_time_ms(), merged.max_time_ms());
  if (!objects_.put(key, merged.serialize()).ok()) {
    ++stats_.failed_ranges;
    return;
  }
  ++stats_.ranges_compacted;
  stats_.duplicates_dropped += merge_stats.duplicates_dropped;
  stats_.conflicts += merge_stats.conflicts;
  // An older compacted block of a shorter range is replaced too.
  for (const LoadedBlock& b : blocks) {
    if (b.ref.key == key) continue;
    if (!b.ref.compacted()) ++stats_.blocks_merged;
    if (objects_.remove(b.ref.key).ok()) ++stats_.blocks_deleted;
  }
  sim_.event(node_, kTraceCompactorCompacted, {std::string_view(key)});
}

sim::BootFn compactor_boot(const objstore::ObjectStore& store, CompactorOptions options) {
  if (auto error = options.validate()) throw std::invalid_argument(*error);
  return [&store, options](sim::Simulation& sim, sim::NodeId node) -> std::unique_ptr<sim::Process> {
    return std::make_unique<Compactor>(sim, node, store, options);
  };
}

}  // namespace weir::models::mimir
