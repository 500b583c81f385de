// The RPC contracts between the Mimir components weir models, carried as
// sim::Network payloads. Defined here, apart from the components, so that the
// write path (clients, distributors), the read path (query-frontend,
// queriers, store-gateways) and the ingesters agree on them.
//
// Series are named by properties::SeriesId (mimir::series_id(tenant,
// labels)), so query results compare directly with the recorded history.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "weir/properties/read.h"
#include "weir/properties/types.h"
#include "weir/sim/time.h"

namespace weir::models::mimir {

// ---- Remote write: client -> distributor ("distributor.push").
inline constexpr std::string_view kPushService = "distributor.push";

struct PushResponse;
struct PushRequest {
  using Reply = PushResponse;
  static constexpr std::string_view kService = kPushService;
  std::string tenant;                         // X-Scope-OrgID
  std::string body;                           // snappy-compressed prometheus.WriteRequest
  std::map<std::string, std::string> headers; // the HTTP headers, for completeness
  // Trace context, like a traceparent header: the client's write id
  // (properties::WriteId), -1 when unknown. Only the trace reads it; it is
  // not counted in the request's size nor its digest.
  std::int64_t trace_write = -1;
};
struct PushResponse {
  int http_status = 200;  // 2xx accepted; 4xx invalid (client drops); 5xx retry
  std::string message;
};

// ---- Ingester queries: querier -> ingester ("ingester.query").
inline constexpr std::string_view kIngesterQueryService = "ingester.query";

struct IngesterQueryResponse;
struct IngesterQueryRequest {
  using Reply = IngesterQueryResponse;
  static constexpr std::string_view kService = kIngesterQueryService;
  std::string tenant;
  properties::ReadSelector selector;
  // Strong consistency: wait until this partition's records up to and
  // including `min_offset` are applied (-1: no wait), at most `max_wait`.
  std::int64_t min_offset = -1;
  sim::Duration max_wait = sim::Duration::seconds(20);
  // Trace context: the client's read id (properties::ReadId), -1 when
  // unknown. Only the trace reads it; not counted in size nor digest.
  std::int64_t trace_read = -1;
};
struct IngesterQueryResponse {
  bool ok = true;
  std::string error;  // e.g. "not serving yet (catching up)", "strong read timed out"
  std::vector<properties::SeriesResult> series;
};

// ---- Store-gateway: querier -> store-gateway ("store_gateway.query").
inline constexpr std::string_view kStoreGatewayQueryService = "store_gateway.query";
struct StoreGatewayQueryRequest : IngesterQueryRequest {  // min_offset unused
  using Reply = IngesterQueryResponse;
  static constexpr std::string_view kService = kStoreGatewayQueryService;
};
using StoreGatewayQueryResponse = IngesterQueryResponse;

// ---- Keepalive: query-frontend -> querier ("querier.ping"), the gRPC
// keepalive ping on the connection a query travels (reply: true).
inline constexpr std::string_view kQuerierPingService = "querier.ping";
struct QuerierPing {
  using Reply = bool;
  static constexpr std::string_view kService = kQuerierPingService;
};

// ---- Query-frontend: client -> query-frontend ("query_frontend.query").
inline constexpr std::string_view kQueryFrontendService = "query_frontend.query";

struct QueryResponse;
struct QueryRequest {
  using Reply = QueryResponse;
  static constexpr std::string_view kService = kQueryFrontendService;
  std::string tenant;
  properties::ReadSelector selector;
  properties::ReadConsistency consistency = properties::ReadConsistency::eventual;
  // Trace context: the client's read id (properties::ReadId), -1 when
  // unknown. Only the trace reads it; not counted in size nor digest.
  std::int64_t trace_read = -1;
};
struct QueryResponse {
  bool ok = true;
  std::string error;
  std::string zone;     // the zone whose querier answered
  std::string querier;  // its node name
  std::vector<properties::SeriesResult> series;
  // Query statistics: samples of the answer older than the range the
  // ingesters were asked for (all of them when ingesters were not asked),
  // so only long-term storage could give them.
  std::uint64_t store_gateway_only_samples = 0;
};

// Object-storage key of a block: "blocks/<tenant>/<zone or compacted>/<mint>-<maxt>".
std::string block_key(std::string_view tenant, std::string_view source, std::int64_t mint_ms, std::int64_t maxt_ms);

}  // namespace weir::models::mimir
