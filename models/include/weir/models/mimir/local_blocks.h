// LocalBlocks: the blocks an ingester cut from its heads, kept on its node's
// disk (Mimir keeps them under <tsdb-dir>/<tenant>/<ULID>/), and the
// shipper's record of which of them are uploaded to object storage.
//
// Layout: "blocks/<tenant>/<id>" holds one block's bytes (block.h's format,
// checksummed), <id> being "<incarnation>-<cut sequence>", unique on the
// disk like a ULID and ascending in cutting order. "shipper/meta" lists the
// uploaded blocks, one line "<tenant> <id> <uploaded_at_ns>\n" appended and
// fsynced per upload (Mimir's shipper rewrites a meta.json; an append-only
// file is the same record, and lines of deleted blocks are ignored).
//
// Lifecycle of a block: add() (cut; in memory, queryable at once) ->
// persist() (written and fsynced, in cutting order, stopping at the first
// failure, so the durable blocks are always the oldest ones) -> uploaded by
// the ingester, then mark_shipped() -> expire() deletes it from the disk once
// `retention` has passed since its upload (Mimir's retention is relative to
// the upload time when shipping is on). Only durable blocks are uploaded, as
// Prometheus' shipper uploads what is on disk.
//
// Crash safety: the ingester deletes WAL segments only below
// durable_boundaries() (the newest durable block's max time per tenant), so
// a block lost in a crash before its fsync still has its samples in the WAL.
// load() discards (and deletes) a block file that fails to parse: it can
// only be a block whose fsync never completed, whose samples the WAL holds.
// Its max times give each head's min valid time after a restart. A disk loss
// loses the blocks; object storage then has the shipped ones only.
//
// Contract: owned by the ingester's process; blocking calls run in fibers of
// the owning node; the Disk is the node's and outlives this object. Not
// thread-safe; deterministic (ordered containers).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weir/models/mimir/block.h"
#include "weir/models/mimir/series_merge.h"
#include "weir/sim/disk.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

inline constexpr std::string_view kLocalBlocksPrefix = "blocks/";
inline constexpr std::string_view kShipperMetaPath = "shipper/meta";

struct LocalBlock {
  std::string tenant;
  std::string id;  // "<incarnation>-<sequence>"
  std::shared_ptr<const Block> block;
  bool durable = false;                 // written and fsynced
  std::optional<sim::Time> shipped_at;  // set once uploaded (durably recorded)
};

struct LocalBlocksLoad {
  std::uint64_t loaded = 0;
  std::uint64_t discarded = 0;  // failed to parse (torn): deleted
  std::uint64_t unshipped = 0;
};

class LocalBlocks {
 public:
  explicit LocalBlocks(sim::Disk& disk) : disk_(disk) {}

  // Reads every block and the shipper meta. Call once, before add().
  LocalBlocksLoad load();
  static std::string block_id(std::uint32_t incarnation, std::uint64_t sequence);
  static std::string block_path(const std::string& tenant, const std::string& id);

  void add(std::string tenant, std::string id, Block block);
  struct PersistResult {
    std::size_t written = 0;  // blocks made durable by this call
    bool ok = true;           // false: stopped at a failed write or fsync
  };
  // Writes and fsyncs the blocks not durable yet, oldest first, stopping at the first failure.
  PersistResult persist();
  // Records `block` as uploaded at `at`; false (nothing recorded) if the meta write fails.
  bool mark_shipped(LocalBlock& block, sim::Time at);
  // Deletes the shipped blocks uploaded more than `retention` ago; returns how many.
  std::size_t expire(sim::Time now, sim::Duration retention);

  // Per tenant, the max time of its newest durable block.
  std::map<std::string, TimestampMs> durable_boundaries() const;
  // Adds the samples of `tenant`'s blocks overlapping [mint, maxt] for `series`.
  void query(const std::string& tenant, const std::vector<SeriesId>& series, TimestampMs mint, TimestampMs maxt,
             SeriesMerge& merge) const;

  // In cutting order. The vector changes only in add() and expire().
  std::vector<LocalBlock>& blocks() { return blocks_; }
  const std::vector<LocalBlock>& blocks() const { return blocks_; }

 private:
  std::map<std::pair<std::string, std::string>, sim::Time> load_meta();

  sim::Disk& disk_;
  std::vector<LocalBlock> blocks_;
};

}  // namespace weir::models::mimir
