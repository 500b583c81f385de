#include "weir/models/mimir/local_blocks.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace weir::models::mimir {
namespace {

const std::string kMetaPath(kShipperMetaPath);

// "blocks/<tenant>/<id>" -> (tenant, id); nothing for another path.
std::optional<std::pair<std::string, std::string>> parse_path(std::string_view path) {
  if (!path.starts_with(kLocalBlocksPrefix)) return std::nullopt;
  const std::string_view rest = path.substr(kLocalBlocksPrefix.size());
  const std::size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  return std::make_pair(std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1)));
}

std::optional<std::int64_t> parse_int(std::string_view digits) {
  std::int64_t value = 0;
  const auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string LocalBlocks::block_id(std::uint32_t incarnation, std::uint64_t sequence) {
  return fmt::format("{:04d}-{:06d}", incarnation, sequence);
}

std::string LocalBlocks::block_path(const std::string& tenant, const std::string& id) {
  return fmt::format("{}{}/{}", kLocalBlocksPrefix, tenant, id);
}

// Lines "<tenant> <id> <uploaded_at_ns>"; a torn last line is ignored.
std::map<std::pair<std::string, std::string>, sim::Time> LocalBlocks::load_meta() {
  std::map<std::pair<std::string, std::string>, sim::Time> shipped;
  const std::optional<std::string> bytes = disk_.read(kMetaPath);
  if (!bytes) return shipped;
  std::string_view rest(*bytes);
  for (std::size_t end = rest.find('\n'); end != std::string_view::npos; end = rest.find('\n')) {
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    const std::size_t last = line.rfind(' ');
    const std::size_t middle = last == std::string_view::npos ? last : line.rfind(' ', last - 1);
    if (middle == std::string_view::npos || middle == 0) continue;
    const std::optional<std::int64_t> at = parse_int(line.substr(last + 1));
    if (!at) continue;
    shipped[{std::string(line.substr(0, middle)), std::string(line.substr(middle + 1, last - middle - 1))}] =
        sim::Time::from_ns(*at);
  }
  return shipped;
}

LocalBlocksLoad LocalBlocks::load() {
  LocalBlocksLoad stats;
  const auto shipped = load_meta();
  for (const std::string& path : disk_.list(kLocalBlocksPrefix)) {
    const auto name = parse_path(path);
    if (!name) continue;
    const std::optional<std::string> bytes = disk_.read(path);
    DecodeResult<Block> parsed = bytes ? Block::parse(*bytes) : DecodeResult<Block>(DecodeError{"unreadable"});
    if (!parsed) {
      disk_.remove(path);
      ++stats.discarded;
      continue;
    }
    LocalBlock block{name->first, name->second, std::make_shared<const Block>(std::move(parsed).value()), true, {}};
    if (const auto it = shipped.find(*name); it != shipped.end()) block.shipped_at = it->second;
    if (!block.shipped_at) ++stats.unshipped;
    blocks_.push_back(std::move(block));
    ++stats.loaded;
  }
  return stats;
}

void LocalBlocks::add(std::string tenant, std::string id, Block block) {
  blocks_.push_back(LocalBlock{std::move(tenant), std::move(id), std::make_shared<const Block>(std::move(block)), false, {}});
}

LocalBlocks::PersistResult LocalBlocks::persist() {
  PersistResult result;
  // By index: the vector only changes in this fiber (see blocks()).
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    if (blocks_[i].durable) continue;
    const std::string path = block_path(blocks_[i].tenant, blocks_[i].id);
    const std::shared_ptr<const Block> block = blocks_[i].block;
    disk_.remove(path);  // a failed attempt may have left a partial file
    result.ok = disk_.append(path, block->serialize()) == sim::DiskStatus::ok &&
                disk_.fsync(path) == sim::DiskStatus::ok;
    if (!result.ok) return result;
    blocks_[i].durable = true;
    ++result.written;
  }
  return result;
}

bool LocalBlocks::mark_shipped(LocalBlock& block, sim::Time at) {
  const std::string line = fmt::format("{} {} {}\n", block.tenant, block.id, at.ns());
  if (disk_.append(kMetaPath, line) != sim::DiskStatus::ok) return false;
  if (disk_.fsync(kMetaPath) != sim::DiskStatus::ok) return false;
  block.shipped_at = at;
  return true;
}

std::size_t LocalBlocks::expire(sim::Time now, sim::Duration retention) {
  std::vector<std::string> doomed;
  for (const LocalBlock& b : blocks_) {
    if (b.shipped_at && now - *b.shipped_at > retention) doomed.push_back(block_path(b.tenant, b.id));
  }
  // Forgotten first: a query must not see a block being deleted.
  std::erase_if(blocks_, [&](const LocalBlock& b) {
    return std::find(doomed.begin(), doomed.end(), block_path(b.tenant, b.id)) != doomed.end();
  });
  for (const std::string& path : doomed) disk_.remove(path);
  return doomed.size();
}

std::map<std::string, TimestampMs> LocalBlocks::durable_boundaries() const {
  std::map<std::string, TimestampMs> boundaries;
  for (const LocalBlock& b : blocks_) {
    if (!b.durable) continue;
    auto [it, inserted] = boundaries.try_emplace(b.tenant, b.block->max_time_ms());
    if (!inserted) it->second = std::max(it->second, b.block->max_time_ms());
  }
  return boundaries;
}

void LocalBlocks::query(const std::string& tenant, const std::vector<SeriesId>& series, TimestampMs mint,
                        TimestampMs maxt, SeriesMerge& merge) const {
  for (const LocalBlock& b : blocks_) {
    if (b.tenant != tenant || b.block->max_time_ms() <= mint || b.block->min_time_ms() > maxt) continue;
    for (const SeriesId id : series) merge.add(id, b.block->query(id, mint, maxt));
  }
}

}  // namespace weir::models::mimir
