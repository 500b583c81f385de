// validate_spec and to_options: a ScenarioSpec's values checked with their
// field paths, and turned into PipelineOptions with their FaultPlan.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "weir/scenarios/scenario_spec.h"

namespace weir::scenarios {
namespace {

namespace gpb = google::protobuf;

// Thirty days: far beyond any run, far from overflowing nanoseconds.
constexpr std::int64_t kMillisMax = 30LL * 24 * 3600 * 1000;

sim::Duration ms(std::int64_t n) { return sim::Duration::milliseconds(n); }

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Every set integer of the spec: *_ms fields in [0, kMillisMax], the others
// not negative (but `target`, where -1 means random).
// Well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): protobuf strings must be, or serializing them (a trace file's
// header) fails, and so does printing them as JSON.
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) return false;
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next >> 6) != 0x2) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(length);
  }
  return true;
}

std::optional<std::string> check_strings(const gpb::Message& message, const gpb::FieldDescriptor& field,
                                         const std::string& path) {
  const gpb::Reflection& r = *message.GetReflection();
  if (!field.is_repeated()) {
    if (!valid_utf8(r.GetString(message, &field))) return fmt::format("{}: not valid UTF-8", path);
    return std::nullopt;
  }
  for (int i = 0; i < r.FieldSize(message, &field); ++i) {
    if (!valid_utf8(r.GetRepeatedString(message, &field, i))) return fmt::format("{}[{}]: not valid UTF-8", path, i);
  }
  return std::nullopt;
}

// Every integer in range (times in [0, kMillisMax] ms, counts not negative)
// and every string valid UTF-8.
std::optional<std::string> check_scalars(const gpb::Message& message, const std::string& prefix) {
  const gpb::Reflection& r = *message.GetReflection();
  std::vector<const gpb::FieldDescriptor*> fields;
  r.ListFields(message, &fields);
  for (const gpb::FieldDescriptor* field : fields) {
    const std::string path = prefix + field->name();
    if (field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < r.FieldSize(message, field); ++i) {
          if (auto e = check_scalars(r.GetRepeatedMessage(message, field, i), fmt::format("{}[{}].", path, i))) return e;
        }
      } else if (auto e = check_scalars(r.GetMessage(message, field), path + ".")) {
        return e;
      }
      continue;
    }
    if (field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_STRING) {
      if (auto e = check_strings(message, *field, path)) return e;
      continue;
    }
    std::int64_t value = 0;
    if (field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_INT32) value = r.GetInt32(message, field);
    else if (field->cpp_type() == gpb::FieldDescriptor::CPPTYPE_INT64) value = r.GetInt64(message, field);
    else continue;
    if (ends_with(field->name(), "_ms")) {
      if (value < 0 || value > kMillisMax) return fmt::format("{}: must be in [0, {}] ms", path, kMillisMax);
    } else if (field->name() != "target" && value < 0) {
      return fmt::format("{}: must not be negative", path);
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_zones(const pb::ScenarioSpec& spec) {
  const auto& zones = spec.log().zones();
  for (int i = 0; i < zones.size(); ++i) {
    if (zones[i].empty()) return fmt::format("log.zones[{}]: must not be empty", i);
    if (std::find(zones.begin(), zones.begin() + i, zones[i]) != zones.begin() + i) {
      return fmt::format("log.zones[{}]: zone '{}' is listed twice", i, zones[i]);
    }
  }
  const std::vector<std::string> log_zones = to_options(spec).pipeline.log.zones;
  for (int i = 0; i < spec.ingester_zones_size(); ++i) {
    if (std::find(log_zones.begin(), log_zones.end(), spec.ingester_zones(i)) == log_zones.end()) {
      return fmt::format("ingester_zones[{}]: zone '{}' is not one of log.zones", i, spec.ingester_zones(i));
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_minimums(const pb::ScenarioSpec& spec) {
  struct Minimum {
    bool set;
    std::int64_t value;
    std::int64_t at_least;
    const char* path;
  };
  const Minimum minimums[] = {
      {spec.log().has_partitions(), spec.log().partitions(), 1, "log.partitions"},
      {spec.log().classic().has_brokers(), spec.log().classic().brokers(), 1, "log.classic.brokers"},
      {spec.log().classic().has_replication_factor(), spec.log().classic().replication_factor(), 1,
       "log.classic.replication_factor"},
      {spec.log().classic().has_min_insync_replicas(), spec.log().classic().min_insync_replicas(), 1,
       "log.classic.min_insync_replicas"},
      {spec.log().classic().has_segment_bytes(), spec.log().classic().segment_bytes(), 1,
       "log.classic.segment_bytes"},
      {spec.log().classic().has_retention_check_interval_ms(), spec.log().classic().retention_check_interval_ms(), 1,
       "log.classic.retention_check_interval_ms"},
      {spec.log().diskless().has_agents_per_zone(), spec.log().diskless().agents_per_zone(), 1,
       "log.diskless.agents_per_zone"},
      {spec.log().diskless().has_batch_max_bytes(), spec.log().diskless().batch_max_bytes(), 1,
       "log.diskless.batch_max_bytes"},
      {spec.workload().has_series_per_client(), spec.workload().series_per_client(), 1, "workload.series_per_client"},
      {spec.workload().has_scrape_interval_ms(), spec.workload().scrape_interval_ms(), 1,
       "workload.scrape_interval_ms"},
      {spec.workload().has_clients_per_zone(), spec.workload().clients_per_zone(), 1, "workload.clients_per_zone"},
      {spec.workload().has_batch_send_deadline_ms(), spec.workload().batch_send_deadline_ms(), 1,
       "workload.batch_send_deadline_ms"},
      {spec.phases().has_safety_ms(), spec.phases().safety_ms(), 1, "phases.safety_ms"},
      {spec.phases().has_drain_ms(), spec.phases().drain_ms(), 1, "phases.drain_ms"},
  };
  for (const Minimum& m : minimums) {
    if (m.set && m.value < m.at_least) return fmt::format("{}: must be at least {}", m.path, m.at_least);
  }
  return std::nullopt;
}

std::optional<std::string> check_expect(const pb::ExpectSpec& spec) {
  for (int i = 0; i < spec.properties_size(); ++i) {
    const std::string& name = spec.properties(i);
    if (!properties::is_property(name)) return fmt::format("expect.properties[{}]: unknown property '{}'", i, name);
  }
  if (spec.verdict() == pb::ExpectSpec::PASS && spec.properties_size() > 0) {
    return "expect.properties: only a FAIL verdict names the properties it expects to fail";
  }
  return std::nullopt;
}

std::optional<std::string> check_fault_kinds(const pb::ScenarioSpec& spec) {
  for (int i = 0; i < spec.faults().fault_size(); ++i) {
    const std::string& kind = spec.faults().fault(i).kind();
    if (!parse_fault_kind(kind)) return fmt::format("faults.fault[{}].kind: unknown fault kind '{}'", i, kind);
  }
  for (int i = 0; i < spec.faults().swarm().kinds_size(); ++i) {
    const std::string& kind = spec.faults().swarm().kinds(i);
    if (!parse_fault_kind(kind)) return fmt::format("faults.swarm.kinds[{}]: unknown fault kind '{}'", i, kind);
  }
  return std::nullopt;
}

// FaultPlan::validate names "faults[i] (kind): field" and "swarm.field";
// in a spec they live under faults.fault[i] and faults.swarm.
std::string fault_path(const std::string& error) {
  if (error.rfind("faults[", 0) == 0) return "faults.fault[" + error.substr(7);
  return "faults." + error;
}

std::optional<std::string> check_options(const LoadedScenario& loaded) {
  const PipelineOptions& o = loaded.pipeline;
  switch (o.log.flavour) {
    case LogFlavour::classic:
      if (auto e = classic_cluster_options(o.log).validate()) return "log.classic: " + *e;
      break;
    case LogFlavour::diskless:
      if (auto e = diskless_cluster_options(o.log).validate()) return "log.diskless: " + *e;
      break;
  }
  if (auto e = o.faults.validate(o.write_phase)) return fault_path(*e);
  if (auto e = o.validate()) return *e;
  return std::nullopt;
}

void apply_log(const pb::LogSpec& spec, LogTopologyOptions& log) {
  if (spec.flavour() == pb::DISKLESS) log.flavour = LogFlavour::diskless;
  if (spec.flavour() == pb::CLASSIC) log.flavour = LogFlavour::classic;
  if (spec.zones_size() > 0) log.zones.assign(spec.zones().begin(), spec.zones().end());
  if (spec.has_partitions()) log.partitions = spec.partitions();
  const pb::ClassicSpec& c = spec.classic();
  auto& classic = log.classic;
  if (c.has_brokers()) classic.brokers = static_cast<std::size_t>(c.brokers());
  if (c.has_replication_factor()) classic.replication_factor = c.replication_factor();
  if (c.has_min_insync_replicas()) classic.min_insync_replicas = c.min_insync_replicas();
  if (c.has_unclean_leader_election()) classic.unclean_leader_election = c.unclean_leader_election();
  if (c.has_flush_interval_ms()) classic.flush_interval = ms(c.flush_interval_ms());
  if (c.has_replica_lag_time_max_ms()) classic.replica_lag_time_max = ms(c.replica_lag_time_max_ms());
  if (c.has_replica_fetch_max_wait_ms()) classic.replica_fetch_max_wait = ms(c.replica_fetch_max_wait_ms());
  if (c.has_broker_heartbeat_interval_ms()) classic.broker_heartbeat_interval = ms(c.broker_heartbeat_interval_ms());
  if (c.has_broker_session_timeout_ms()) classic.broker_session_timeout = ms(c.broker_session_timeout_ms());
  if (c.has_offsets_topic_partitions()) classic.offsets_topic_partitions = c.offsets_topic_partitions();
  if (c.has_offset_commit_timeout_ms()) classic.offset_commit_timeout = ms(c.offset_commit_timeout_ms());
  if (c.has_segment_bytes()) classic.segment_bytes = static_cast<std::uint64_t>(c.segment_bytes());
  if (c.has_retention_ms()) classic.retention = ms(c.retention_ms());
  if (c.has_retention_check_interval_ms()) classic.retention_check_interval = ms(c.retention_check_interval_ms());
  const pb::DisklessSpec& d = spec.diskless();
  auto& diskless = log.diskless;
  if (d.has_agents_per_zone()) diskless.agents_per_zone = static_cast<std::uint32_t>(d.agents_per_zone());
  if (d.has_batch_timeout_ms()) diskless.batch_timeout = ms(d.batch_timeout_ms());
  if (d.has_batch_max_bytes()) diskless.batch_max_bytes = static_cast<std::uint64_t>(d.batch_max_bytes());
  if (d.has_ack_before_commit()) diskless.ack_before_commit = d.ack_before_commit();
  if (d.has_automq_wal_mode()) diskless.automq_wal_mode = d.automq_wal_mode();
  if (d.has_skip_wal_recovery_on_restart()) diskless.skip_wal_recovery_on_restart = d.skip_wal_recovery_on_restart();
  if (d.has_object_store_timeout_ms()) diskless.object_store_timeout = ms(d.object_store_timeout_ms());
  if (d.has_agent_liveness_timeout_ms()) diskless.agent_liveness_timeout = ms(d.agent_liveness_timeout_ms());
}

void apply_knobs(const pb::KnobsSpec& spec, PipelineOptions& o) {
  const auto& d = spec.distributor();
  if (d.has_request_timeout_ms()) o.distributor.request_timeout = ms(d.request_timeout_ms());
  if (d.has_ack_before_all_partitions()) o.distributor.ack_before_all_partitions = d.ack_before_all_partitions();
  const auto& i = spec.ingester();
  auto& ingester = o.ingester;
  if (i.has_commit_before_wal_fsync()) ingester.commit_before_wal_fsync = i.commit_before_wal_fsync();
  if (i.has_start_at_log_end_without_offset()) {
    ingester.start_at_log_end_without_offset = i.start_at_log_end_without_offset();
  }
  if (i.has_drop_whole_fetch_on_partial_error()) {
    ingester.drop_whole_fetch_on_partial_error = i.drop_whole_fetch_on_partial_error();
  }
  if (i.has_ignore_record_at_offset_zero()) ingester.ignore_record_at_offset_zero = i.ignore_record_at_offset_zero();
  if (i.has_return_overlapping_records_twice()) {
    ingester.return_overlapping_records_twice = i.return_overlapping_records_twice();
  }
  if (i.has_resume_from_unset_last_returned_offset()) {
    ingester.resume_from_unset_last_returned_offset = i.resume_from_unset_last_returned_offset();
  }
  if (i.has_missing_committed_offset_as_zero()) {
    ingester.missing_committed_offset_as_zero = i.missing_committed_offset_as_zero();
  }
  if (i.has_commit_interval_ms()) ingester.commit_interval = ms(i.commit_interval_ms());
  if (i.has_last_produced_offset_poll_interval_ms()) {
    ingester.last_produced_offset_poll_interval = ms(i.last_produced_offset_poll_interval_ms());
  }
  if (i.has_fetch_concurrency_max()) ingester.fetch_concurrency_max = i.fetch_concurrency_max();
  if (i.has_records_per_fetch()) ingester.records_per_fetch = i.records_per_fetch();
  if (i.has_head_compaction_interval_ms()) ingester.head_compaction_interval = ms(i.head_compaction_interval_ms());
  if (i.has_max_consumer_lag_at_startup_ms()) {
    ingester.max_consumer_lag_at_startup = ms(i.max_consumer_lag_at_startup_ms());
  }
  if (i.has_wait_strong_read_consistency_timeout_ms()) {
    ingester.wait_strong_read_consistency_timeout = ms(i.wait_strong_read_consistency_timeout_ms());
  }
  const auto& q = spec.query_frontend();
  if (q.has_strong_read_uses_stale_offsets()) {
    o.query_frontend.strong_read_uses_stale_offsets = q.strong_read_uses_stale_offsets();
  }
  if (q.has_last_produced_offset_poll_interval_ms()) {
    o.query_frontend.last_produced_offset_poll_interval = ms(q.last_produced_offset_poll_interval_ms());
  }
  if (q.has_max_retries()) o.query_frontend.max_retries = q.max_retries();
}

void apply_reads(const pb::ReadsSpec& spec, ReadWorkloadOptions& reads) {
  if (spec.has_interval_ms()) reads.interval = ms(spec.interval_ms());
  if (spec.has_strong_readers()) reads.strong_readers = spec.strong_readers();
  if (spec.has_eventual_readers()) reads.eventual_readers = spec.eventual_readers();
  if (spec.has_timeout_ms()) reads.timeout = ms(spec.timeout_ms());
  if (spec.has_strong_retries()) reads.strong_retries = spec.strong_retries();
  if (spec.has_retry_backoff_ms()) reads.retry_backoff = ms(spec.retry_backoff_ms());
  if (spec.has_series_per_read()) reads.series_per_read = spec.series_per_read();
}

void apply_blocks(const pb::BlocksSpec& b, PipelineOptions& o) {
  if (b.has_block_range_ms()) o.ingester.head.block_range_ms = b.block_range_ms();
  if (b.has_head_compaction_interval_ms()) o.ingester.head_compaction_interval = ms(b.head_compaction_interval_ms());
  if (b.has_head_compaction_idle_timeout_ms()) {
    o.ingester.head_compaction_idle_timeout = ms(b.head_compaction_idle_timeout_ms());
  }
  if (b.has_retention_ms()) o.ingester.retention_period = ms(b.retention_ms());
  if (b.has_query_ingesters_within_ms()) o.querier.query_ingesters_within = ms(b.query_ingesters_within_ms());
  if (b.has_query_store_after_ms()) o.querier.query_store_after = ms(b.query_store_after_ms());
  if (b.has_compactor_interval_ms()) o.compactor.compaction_interval = ms(b.compactor_interval_ms());
  if (b.has_store_gateway_sync_ms()) o.store_gateway.sync_interval = ms(b.store_gateway_sync_ms());
}

// The long-term storage settings, checked together with their field paths
// (Mimir's rules; the options' own validate() runs after).
std::optional<std::string> check_blocks(const pb::ScenarioSpec& spec) {
  const pb::BlocksSpec& b = spec.blocks();
  if (b.has_block_range_ms() && (b.block_range_ms() <= 0 || b.block_range_ms() % 2 != 0)) {
    return "blocks.block_range_ms: must be positive and even";
  }
  if (b.has_head_compaction_interval_ms() &&
      (b.head_compaction_interval_ms() <= 0 || b.head_compaction_interval_ms() > 300000)) {
    return "blocks.head_compaction_interval_ms: must be in (0, 300000] (Mimir's maximum is 5 min)";
  }
  if (b.has_compactor_interval_ms() && b.compactor_interval_ms() <= 0) {
    return "blocks.compactor_interval_ms: must be positive";
  }
  const PipelineOptions o = to_options(spec).pipeline;
  const std::int64_t within = o.querier.query_ingesters_within.ns();
  const std::int64_t after = o.querier.query_store_after.ns();
  if (within > 0 && after >= within) {
    return fmt::format("blocks.query_store_after_ms: must be less than query_ingesters_within_ms ({} >= {}), "
                       "or queries might return partial results", after / 1'000'000, within / 1'000'000);
  }
  if (o.ingester.retention_period.ns() < within) {
    return fmt::format("blocks.retention_ms: must be at least query_ingesters_within_ms ({} < {}): ingesters must "
                       "still hold the blocks they are asked for", o.ingester.retention_period.ns() / 1'000'000,
                       within / 1'000'000);
  }
  return std::nullopt;
}

void apply_properties(const pb::PropertiesSpec& spec, properties::CheckOptions& checks) {
  if (spec.has_liveness_bound_ms()) checks.liveness_bound = ms(spec.liveness_bound_ms()).ns();
  if (spec.has_lag_threshold_ms()) checks.lag_threshold = ms(spec.lag_threshold_ms()).ns();
  if (spec.has_staleness_bound_ms()) checks.staleness_bound = ms(spec.staleness_bound_ms()).ns();
  const auto& c = spec.checks();
  auto& on = checks.enabled;
  if (c.has_no_lost_acked_samples()) on.no_lost_acked_samples = c.no_lost_acked_samples();
  if (c.has_gapless_replay()) on.gapless_replay = c.gapless_replay();
  if (c.has_identical_ordering()) on.identical_ordering = c.identical_ordering();
  if (c.has_read_after_write()) on.read_after_write = c.read_after_write();
  if (c.has_no_phantom_samples()) on.no_phantom_samples = c.no_phantom_samples();
  if (c.has_no_duplicate_samples()) on.no_duplicate_samples = c.no_duplicate_samples();
  if (c.has_liveness()) on.liveness = c.liveness();
  if (c.has_bounded_staleness()) on.bounded_staleness = c.bounded_staleness();
  if (c.has_exact_resume()) on.exact_resume = c.exact_resume();
  const auto& m = spec.min_observations();
  auto& min = checks.min_observations;
  min.no_lost_acked_samples = m.no_lost_acked_samples();
  min.gapless_replay = m.gapless_replay();
  min.identical_ordering = m.identical_ordering();
  min.read_after_write = m.read_after_write();
  min.no_phantom_samples = m.no_phantom_samples();
  min.no_duplicate_samples = m.no_duplicate_samples();
  min.liveness = m.liveness();
  min.bounded_staleness = m.bounded_staleness();
  min.exact_resume = m.exact_resume();
}

FaultPlan fault_plan(const pb::FaultsSpec& spec) {
  FaultPlan plan;
  for (const pb::Fault& f : spec.fault()) {
    ScheduledFault fault;
    fault.kind = parse_fault_kind(f.kind()).value_or(FaultKind::ingester_kill);
    fault.at = ms(f.at_ms());
    if (f.has_duration_ms()) fault.duration = ms(f.duration_ms());
    if (f.has_target()) fault.target = f.target();
    fault.magnitude = f.magnitude();
    plan.faults.push_back(fault);
  }
  const pb::SwarmSpec& s = spec.swarm();
  plan.swarm.enabled = s.enabled();
  for (const std::string& kind : s.kinds()) plan.swarm.kinds.push_back(parse_fault_kind(kind).value_or(FaultKind::ingester_kill));
  if (s.has_kind_probability()) plan.swarm.kind_probability = s.kind_probability();
  if (s.has_faults_max()) plan.swarm.faults_max = s.faults_max();
  if (s.has_duration_max_ms()) plan.swarm.duration_max = ms(s.duration_max_ms());
  plan.swarm.beyond_budget = s.beyond_budget();
  if (s.has_shuffle_probability()) plan.swarm.shuffle_probability = s.shuffle_probability();
  plan.shuffle_same_instant = spec.shuffle_same_instant();
  return plan;
}

Expectation expectation(const pb::ExpectSpec& spec) {
  Expectation e;
  e.fail = spec.verdict() == pb::ExpectSpec::FAIL;
  e.properties.assign(spec.properties().begin(), spec.properties().end());
  return e;
}

}  // namespace

std::optional<std::string> validate_spec(const pb::ScenarioSpec& spec) {
  if (auto e = check_scalars(spec, "")) return e;
  if (auto e = check_minimums(spec)) return e;
  if (auto e = check_zones(spec)) return e;
  if (auto e = check_fault_kinds(spec)) return e;
  if (auto e = check_blocks(spec)) return e;
  if (auto e = check_expect(spec.expect())) return e;
  return check_options(to_options(spec));
}

LoadedScenario to_options(const pb::ScenarioSpec& spec) {
  LoadedScenario loaded;
  loaded.description = spec.description();
  PipelineOptions& o = loaded.pipeline;
  if (!spec.name().empty()) o.name = spec.name();
  apply_log(spec.log(), o.log);
  if (spec.ingester_zones_size() > 0) o.ingester_zones.assign(spec.ingester_zones().begin(), spec.ingester_zones().end());
  const pb::WorkloadSpec& w = spec.workload();
  if (w.has_series_per_client()) o.series_per_client = w.series_per_client();
  if (w.has_scrape_interval_ms()) o.scrape_interval = ms(w.scrape_interval_ms());
  if (w.has_clients_per_zone()) o.clients_per_zone = w.clients_per_zone();
  if (w.has_batch_send_deadline_ms()) o.batch_send_deadline = ms(w.batch_send_deadline_ms());
  if (w.has_clients_start_after_ms()) o.clients_start_after = ms(w.clients_start_after_ms());
  if (spec.phases().has_safety_ms()) o.write_phase = ms(spec.phases().safety_ms());
  if (spec.phases().has_drain_ms()) o.drain = ms(spec.phases().drain_ms());
  apply_reads(spec.reads(), o.reads);
  apply_knobs(spec.knobs(), o);
  apply_blocks(spec.blocks(), o);
  apply_properties(spec.properties(), o.checks);
  o.faults = fault_plan(spec.faults());
  o.expect = expectation(spec.expect());
  return loaded;
}

}  // namespace weir::scenarios
