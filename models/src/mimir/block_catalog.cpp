#include "weir/models/mimir/block_catalog.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace weir::models::mimir {
namespace {

constexpr std::string_view kBlocksRoot = "blocks/";

std::optional<TimestampMs> parse_ms(std::string_view digits) {
  TimestampMs value = 0;
  const auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool before(const LoadedBlock& a, const LoadedBlock& b) {
  if (a.ref.compacted() != b.ref.compacted()) return a.ref.compacted();
  return a.ref.key < b.ref.key;
}

}  // namespace

std::optional<BlockRef> parse_block_key(std::string_view key) {
  if (!key.starts_with(kBlocksRoot)) return std::nullopt;
  const std::string_view rest = key.substr(kBlocksRoot.size());
  const std::size_t tenant_end = rest.find('/');
  const std::size_t range_start = rest.rfind('/');
  if (tenant_end == std::string_view::npos || tenant_end == 0 || range_start == tenant_end) return std::nullopt;
  const std::string_view range = rest.substr(range_start + 1);
  const std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto mint = parse_ms(range.substr(0, dash));
  const auto maxt = parse_ms(range.substr(dash + 1));
  if (!mint || !maxt || *mint >= *maxt) return std::nullopt;
  BlockRef ref;
  ref.key = std::string(key);
  ref.tenant = std::string(rest.substr(0, tenant_end));
  ref.source = std::string(rest.substr(tenant_end + 1, range_start - tenant_end - 1));
  ref.min_time_ms = *mint;
  ref.max_time_ms = *maxt;
  return ref;
}

std::string blocks_prefix(std::string_view tenant) {
  if (tenant.empty()) return std::string(kBlocksRoot);
  return fmt::format("{}{}/", kBlocksRoot, tenant);
}

CatalogResult BlockCatalog::load(const std::string& prefix, const std::function<bool(const BlockRef&)>& wanted,
                                 sim::Time now, sim::Duration sync_interval) {
  for (int attempt = 1; attempt <= attempts_; ++attempt) {
    const auto last = listings_.find(prefix);
    if (attempt == 1 && last != listings_.end() && now - last->second.at < sync_interval) {
      ++stats_.listings_reused;
    } else {
      ++stats_.lists;
      objstore::ListResult listed = client_.list(prefix);
      if (!listed.ok()) return CatalogResult{fmt::format("list {}: {}", prefix, objstore::to_string(listed.status)), {}};
      listings_[prefix] = Listing{std::move(listed.objects), now};
    }
    // A copy: a concurrent load may replace the listing while this one blocks.
    const std::vector<objstore::ObjectInfo> objects = listings_.at(prefix).objects;
    if (std::optional<CatalogResult> result = load_once(prefix, wanted, objects)) return std::move(*result);
    ++stats_.relists;
  }
  return CatalogResult{"blocks kept vanishing while loading " + prefix, {}};
}

std::optional<CatalogResult> BlockCatalog::load_once(const std::string& prefix,
                                                     const std::function<bool(const BlockRef&)>& wanted,
                                                     const std::vector<objstore::ObjectInfo>& listed) {
  CatalogResult result;
  std::map<std::string, LoadedBlock> listed_blocks;
  for (const objstore::ObjectInfo& info : listed) {
    std::optional<BlockRef> ref = parse_block_key(info.key);
    if (!ref) continue;
    ref->version = info.version;
    LoadedBlock loaded{*ref, nullptr};
    if (const auto cached = cache_.find(info.key); cached != cache_.end() && cached->second.ref.version == info.version) {
      loaded.block = cached->second.block;
    }
    if (wanted(*ref) && loaded.block == nullptr) {
      bool vanished = false;
      if (auto error = fetch(*ref, loaded.block, vanished)) return CatalogResult{std::move(*error), {}};
      if (vanished) return std::nullopt;
    } else if (wanted(*ref)) {
      ++stats_.cache_hits;
    }
    if (wanted(*ref)) result.blocks.push_back(loaded);
    if (loaded.block != nullptr) listed_blocks.emplace(info.key, std::move(loaded));
  }
  // Forget cached blocks of this prefix that are gone.
  std::erase_if(cache_, [&](const auto& entry) { return entry.first.starts_with(prefix); });
  cache_.merge(listed_blocks);
  std::sort(result.blocks.begin(), result.blocks.end(), before);
  return result;
}

std::optional<std::string> BlockCatalog::fetch(const BlockRef& ref, std::shared_ptr<const Block>& out, bool& vanished) {
  ++stats_.gets;
  const objstore::GetResult got = client_.get(ref.key);
  if (got.status == objstore::ObjectStatus::not_found) {
    vanished = true;
    return std::nullopt;
  }
  if (!got.ok()) return fmt::format("get {}: {}", ref.key, objstore::to_string(got.status));
  DecodeResult<Block> parsed = Block::parse(got.data);
  if (!parsed) return fmt::format("block {}: {}", ref.key, parsed.error().message);
  out = std::make_shared<const Block>(std::move(parsed).value());
  return std::nullopt;
}

}  // namespace weir::models::mimir
