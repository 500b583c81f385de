// Compactor: merges, for each tenant and each 2 h range, the blocks the
// ingesters of every zone (and every partition) uploaded into one compacted
// block with one sample per (series, timestamp), uploads it as
// block_key(tenant, "compacted", mint, maxt), then deletes the blocks it
// merged (Mimir's compactor: vertical compaction of the first-level blocks,
// deduplicating the zones' replicas). Blocks of a range start at the range's
// start; one cut from an idle head may end early, so a range's blocks are
// grouped by their start and the merge ends at the latest end (a compacted
// block of a shorter range is replaced by the new one).
//
// Every compaction_interval it LISTs all blocks and compacts each range that
// has a non-compacted block, folding the existing compacted block in first
// (its samples win a disagreement, see compact()). It is incremental: a zone
// whose block arrives after its range was compacted is merged at the next
// pass. The compacted block is PUT before the merged blocks are deleted, so
// a reader never misses the data; a failure skips the range until the next
// pass (a repeated merge is idempotent). A store-gateway whose list of
// blocks is older than the deletion finds the merged blocks gone and lists
// again (block_catalog.h), so weir needs no deletion delay (Mimir marks
// blocks for deletion and deletes them -compactor.deletion-delay, 12 h,
// later, for store-gateways that sync from a bucket index). Mimir waits 25 min
// (-compactor.first-level-compaction-wait-period) before compacting
// first-level blocks, to merge all zones at once; weir compacts at once and
// relies on the incremental merge.
//
// Ownership: the Process of its node, built by compactor_boot(); the
// ObjectStore must outlive the Simulation's run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/mimir/block_catalog.h"
#include "weir/models/objstore/client.h"
#include "weir/sim/simulation.h"

namespace weir::models::mimir {

// A time range's blocks were merged into one compacted block (block: its object key).
inline constexpr sim::TraceKind kTraceCompactorCompacted{"mimir.compactor.compacted", "compacted blocks into {block:text}"};

struct CompactorOptions {
  // -compactor.compaction-interval (1 h).
  sim::Duration compaction_interval = sim::Duration::seconds(3600);
  objstore::ObjectStoreClientOptions object_store;

  std::optional<std::string> validate() const;
};

struct CompactorStats {
  std::uint64_t passes = 0;
  std::uint64_t failed_passes = 0;      // the LIST or a GET failed
  std::uint64_t ranges_compacted = 0;
  std::uint64_t failed_ranges = 0;      // the upload failed
  std::uint64_t blocks_merged = 0;      // non-compacted blocks folded in
  std::uint64_t blocks_deleted = 0;
  std::uint64_t duplicates_dropped = 0;
  std::uint64_t conflicts = 0;
};

class Compactor : public sim::Process {
 public:
  Compactor(sim::Simulation& sim, sim::NodeId node, const objstore::ObjectStore& store, CompactorOptions options);

  // One pass over every block; also what the background fiber runs.
  void compact_once();
  const CompactorStats& stats() const { return stats_; }

 private:
  void run();
  void compact_range(const std::vector<LoadedBlock>& blocks);

  sim::Simulation& sim_;
  sim::NodeId node_;
  CompactorOptions options_;
  objstore::ObjectStoreClient objects_;
  BlockCatalog catalog_;
  CompactorStats stats_;
};

// Throws std::invalid_argument if the options are invalid.
sim::BootFn compactor_boot(const objstore::ObjectStore& store, CompactorOptions options = {});

}  // namespace weir::models::mimir
