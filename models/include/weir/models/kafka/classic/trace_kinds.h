// Trace event kinds recorded by the classic Kafka model, so replay tools and
// tests can name them. Events of the user topic's partitions only: the
// internal __consumer_offsets partitions would share their numbers.
#pragma once

#include "weir/sim/trace.h"

namespace weir::models::kafka::classic {

// Controller: a partition got a new leader (-1: none, the partition is
// offline); unclean when the leader was not in the ISR.
inline constexpr sim::TraceKind kTraceLeaderElected{
    "kafka.classic.leader_elected", "partition {partition}: {leader:node} leads at epoch {epoch} (unclean: {unclean:bool})"};
// Controller: a partition's ISR changed.
inline constexpr sim::TraceKind kTraceIsrChanged{"kafka.classic.isr_changed", "partition {partition} ISR is now {isr:node*}"};
// Controller: a broker was fenced / unfenced.
inline constexpr sim::TraceKind kTraceBrokerFenced{"kafka.classic.broker_fenced", "{broker:node} fenced"};
inline constexpr sim::TraceKind kTraceBrokerUnfenced{"kafka.classic.broker_unfenced", "{broker:node} unfenced"};
// Broker (leader): a produce request's records were appended to the log.
inline constexpr sim::TraceKind kTraceAppended{
    "kafka.classic.appended", "leader appended offsets {first}..{last} of partition {partition} at epoch {epoch}"};
// Broker (follower): a fetch response from the leader appended records.
inline constexpr sim::TraceKind kTraceReplicated{
    "kafka.classic.replicated", "fetched partition {partition} from the leader up to log end {end}"};
// Broker (leader): the high watermark advanced; offsets below it are committed.
inline constexpr sim::TraceKind kTraceHighWatermark{
    "kafka.classic.high_watermark", "partition {partition} high watermark moved to {offset}"};
// Broker: an fsync of a partition's log completed.
inline constexpr sim::TraceKind kTraceFlushed{
    "kafka.classic.flushed", "partition {partition} flushed to disk up to log end {end}"};
// Broker: a follower's log was truncated to agree with its leader.
inline constexpr sim::TraceKind kTraceTruncated{
    "kafka.classic.truncated", "partition {partition} truncated from log end {old_end} to {end}"};
// Broker: retention deleted a partition's oldest segments, moving its log
// start offset.
inline constexpr sim::TraceKind kTraceSegmentsDeleted{
    "kafka.classic.segments_deleted", "partition {partition} log start moved from {old_start} to {start} by retention"};
// Broker: a partition's log rebuilt from disk at boot (one per partition).
inline constexpr sim::TraceKind kTraceLogRecovered{
    "kafka.classic.log_recovered", "partition {partition} recovered from disk with log end {end}"};

}  // namespace weir::models::kafka::classic
