// Trace event kinds recorded by the classic Kafka model, so replay tools and
// tests can name them. Each digest is documented next to its kind.
#pragma once

#include "weir/sim/trace.h"

namespace weir::models::kafka::classic {

// Controller: a partition got a new leader (or none); digest of
// (partition index, leader, leader epoch).
inline constexpr sim::TraceKind kTraceLeaderElected{"kafka.classic.leader_elected"};
// Controller: a partition's ISR changed; digest of (partition index, partition epoch, ISR).
inline constexpr sim::TraceKind kTraceIsrChanged{"kafka.classic.isr_changed"};
// Controller: a broker was fenced / unfenced; digest is the broker's node id.
inline constexpr sim::TraceKind kTraceBrokerFenced{"kafka.classic.broker_fenced"};
inline constexpr sim::TraceKind kTraceBrokerUnfenced{"kafka.classic.broker_unfenced"};
// Broker: a replica's log was truncated; digest of (partition index, old end, new end).
inline constexpr sim::TraceKind kTraceTruncated{"kafka.classic.truncated"};
// Broker: logs rebuilt from disk at boot; digest of the record count per partition.
inline constexpr sim::TraceKind kTraceLogRecovered{"kafka.classic.log_recovered"};

}  // namespace weir::models::kafka::classic
