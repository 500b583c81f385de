// BlockCatalog: what the store-gateway and the compactor see of the blocks in
// object storage, keyed as services.h's block_key(): "blocks/<tenant>/
// <source>/<mint>-<maxt>", where <source> is "compacted" for a compactor's
// block and "<zone>/partition-..." for an ingester's.
//
// load() LISTs a prefix, keeps the blocks `wanted` selects, and GETs and
// parses those not cached at their current version (an object's version
// changes with every PUT). With a sync interval, the listing of a prefix is
// reused until it is that old (Mimir's store-gateway refreshes its blocks
// every -blocks-storage.bucket-store.sync-interval); a block cached in memory
// is served even if it has been deleted since. A block deleted between the
// LIST and its GET (the compactor replaced it) makes the whole load start
// again from a fresh LIST, at most `attempts` times: the compactor PUTs its
// block before deleting the ones it merged, so a fresh LIST finds the data.
//
// Contract: owned by a process together with its ObjectStoreClient (which
// must outlive it); load() blocks the calling fiber on that node. The cache
// keeps only the blocks of the last listing of each prefix.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weir/models/mimir/block.h"
#include "weir/models/objstore/client.h"

namespace weir::models::mimir {

inline constexpr std::string_view kCompactedSource = "compacted";

struct BlockRef {
  std::string key;
  std::string tenant;
  std::string source;  // "compacted" or "<zone>/..."
  TimestampMs min_time_ms = 0;
  TimestampMs max_time_ms = 0;
  std::uint64_t version = 0;
  bool compacted() const { return source == kCompactedSource; }
};

// Nothing if `key` is not a block key.
std::optional<BlockRef> parse_block_key(std::string_view key);
// "blocks/<tenant>/", or "blocks/" for every tenant.
std::string blocks_prefix(std::string_view tenant = {});

struct LoadedBlock {
  BlockRef ref;
  std::shared_ptr<const Block> block;
};

struct CatalogResult {
  std::string error;                // empty when ok
  std::vector<LoadedBlock> blocks;  // compacted blocks first, then by key
  bool ok() const { return error.empty(); }
};

struct BlockCatalogStats {
  std::uint64_t lists = 0;
  std::uint64_t gets = 0;
  std::uint64_t cache_hits = 0;
  std::uint64_t relists = 0;  // a listed block vanished before its GET
  std::uint64_t listings_reused = 0;
};

class BlockCatalog {
 public:
  explicit BlockCatalog(objstore::ObjectStoreClient& client, int attempts = 3) : client_(client), attempts_(attempts) {}

  // `now` and `sync_interval` decide whether the last listing of `prefix`
  // may be reused (a zero interval lists every time).
  CatalogResult load(const std::string& prefix, const std::function<bool(const BlockRef&)>& wanted,
                     sim::Time now = sim::Time::zero(), sim::Duration sync_interval = sim::Duration());
  const BlockCatalogStats& stats() const { return stats_; }

 private:
  // Nothing when a block vanished (list again); an error result otherwise.
  std::optional<CatalogResult> load_once(const std::string& prefix, const std::function<bool(const BlockRef&)>& wanted,
                                        const std::vector<objstore::ObjectInfo>& listed);
  struct Listing {
    std::vector<objstore::ObjectInfo> objects;
    sim::Time at;
  };
  std::optional<std::string> fetch(const BlockRef& ref, std::shared_ptr<const Block>& out, bool& vanished);

  objstore::ObjectStoreClient& client_;
  int attempts_;
  std::map<std::string, LoadedBlock> cache_;
  std::map<std::string, Listing> listings_;  // the last LIST of each prefix
  BlockCatalogStats stats_;
};

}  // namespace weir::models::mimir
