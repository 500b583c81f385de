// Property 3: every zone applies the same records in the same order, each
// zone applies them in offset order, and no offset ever holds two different
// records.
#include "weir/properties/checks/check_identical_ordering.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "apply_order.h"
#include "format.h"
#include "violation_sink.h"

namespace weir::properties {
namespace {

using detail::format_digest;
using detail::format_time;

// What one zone applied for one partition: the first digest seen per offset.
using AppliedLog = std::map<Offset, const IngesterEvent*>;

struct PartitionRecords {
  std::map<Offset, const LogAck*> acked;     // first ack per offset
  std::map<std::string, AppliedLog> zones;   // per zone
};

Evidence at_offset(PartitionId partition, Offset offset, std::vector<RecordDigest> records,
                   std::vector<std::string> zones, SimTime from, SimTime to) {
  Evidence e;
  e.partition = partition;
  e.offset = offset;
  e.records = std::move(records);
  e.zones = std::move(zones);
  e.from_ns = std::min(from, to);
  e.to_ns = std::max(from, to);
  return e;
}

void add_ack(PartitionRecords& records, const LogAck& ack, detail::ViolationSink& sink) {
  const auto [it, inserted] = records.acked.emplace(ack.offset, &ack);
  const LogAck& first = *it->second;
  if (!inserted && first.digest != ack.digest) {
    sink.add(fmt::format("partition {} offset {}: the log acked record {} at {} and record {} at {}",
                         ack.partition, ack.offset, format_digest(first.digest),
                         format_time(first.acked_at), format_digest(ack.digest),
                         format_time(ack.acked_at)),
             at_offset(ack.partition, ack.offset, {first.digest, ack.digest}, {}, first.acked_at, ack.acked_at));
  }
}

void add_applied(PartitionRecords& records, const IngesterEvent& event,
                 detail::ViolationSink& sink) {
  auto& applied = records.zones[event.zone];
  const auto [it, inserted] = applied.emplace(event.offset, &event);
  const IngesterEvent& first = *it->second;
  if (!inserted && first.digest != event.digest) {
    sink.add(fmt::format("zone {} partition {} offset {}: applied record {} at {} and record {} at {}",
                         event.zone, event.partition, event.offset, format_digest(first.digest),
                         format_time(first.at), format_digest(event.digest),
                         format_time(event.at)),
             at_offset(event.partition, event.offset, {first.digest, event.digest}, {event.zone}, first.at, event.at));
  }
}

std::map<PartitionId, PartitionRecords> collect(const History& history,
                                                 detail::ViolationSink& sink) {
  std::map<PartitionId, PartitionRecords> partitions;
  std::set<std::string> ingester_zones;
  for (const auto& ack : history.data().log_acks) add_ack(partitions[ack.partition], ack, sink);
  for (const auto& event : history.data().ingester_events) {
    ingester_zones.insert(event.zone);
    if (event.kind == IngesterEventKind::applied) add_applied(partitions[event.partition], event, sink);
  }
  // Every ingester zone takes part in every partition's comparison, even with nothing applied.
  for (auto& [partition, records] : partitions) {
    for (const auto& zone : ingester_zones) records.zones[zone];
  }
  return partitions;
}

void compare_with_log(PartitionId partition, const PartitionRecords& records,
                      detail::ViolationSink& sink) {
  for (const auto& [zone, applied] : records.zones) {
    for (const auto& [offset, event] : applied) {
      const auto ack = records.acked.find(offset);
      if (ack == records.acked.end()) continue;
      sink.judged();
      if (ack->second->digest == event->digest) continue;
      sink.add(fmt::format("zone {} partition {} offset {}: applied record {} at {} but the log acked record {} there at {}",
                           zone, partition, offset, format_digest(event->digest),
                           format_time(event->at), format_digest(ack->second->digest),
                           format_time(ack->second->acked_at)),
               at_offset(partition, offset, {event->digest, ack->second->digest}, {zone}, ack->second->acked_at,
                         event->at));
    }
  }
}

std::string describe(const std::string& zone, const IngesterEvent& event) {
  return fmt::format("zone {} applied offset {} record {} at {}", zone, event.offset,
                     format_digest(event.digest), format_time(event.at));
}

void compare_zones(PartitionId partition, const std::string& zone_a, const AppliedLog& a,
                   const std::string& zone_b, const AppliedLog& b, bool drained,
                   detail::ViolationSink& sink) {
  auto ia = a.begin();
  auto ib = b.begin();
  for (std::size_t position = 0; ia != a.end() && ib != b.end(); ++ia, ++ib, ++position) {
    sink.judged();
    if (ia->first == ib->first && ia->second->digest == ib->second->digest) continue;
    sink.add(fmt::format("partition {}: zones {} and {} disagree at position {}: {}; {}", partition,
                         zone_a, zone_b, position, describe(zone_a, *ia->second),
                         describe(zone_b, *ib->second)),
             at_offset(partition, std::min(ia->first, ib->first), {ia->second->digest, ib->second->digest},
                       {zone_a, zone_b}, ia->second->at, ib->second->at));
    return;
  }
  if (!drained || a.size() == b.size()) return;
  const bool a_longer = a.size() > b.size();
  const std::string& longer_zone = a_longer ? zone_a : zone_b;
  const IngesterEvent& first_missing = *(a_longer ? ia : ib)->second;
  sink.add(fmt::format("partition {}: after the drain zone {} applied {} records and zone {} {}; first missing: {}",
                       partition, zone_a, a.size(), zone_b, b.size(),
                       describe(longer_zone, first_missing)),
           at_offset(partition, first_missing.offset, {first_missing.digest}, {zone_a, zone_b}, first_missing.at,
                     first_missing.at));
}

}  // namespace

PropertyResult check_identical_ordering(const History& history,
                                                const CheckOptions& options) {
  detail::ViolationSink sink(property_id::identical_ordering, options.max_violations_per_property);
  const auto partitions = collect(history, sink);
  const bool drained = history.data().drained_at.has_value();
  detail::check_apply_order(history, sink);
  for (const auto& [partition, records] : partitions) {
    compare_with_log(partition, records, sink);
    for (auto a = records.zones.begin(); a != records.zones.end(); ++a) {
      for (auto b = std::next(a); b != records.zones.end(); ++b) {
        compare_zones(partition, a->first, a->second, b->first, b->second, drained, sink);
      }
    }
  }
  return std::move(sink).finish();
}

}  // namespace weir::properties
