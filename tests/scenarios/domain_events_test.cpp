// Domain events: what the models record in the trace, in Kafka's and
// Mimir's words, is enough to follow one acknowledged write from the
// distributor's log acknowledgement back to the log's append and forward to
// the ingesters that applied it. Runs a small pipeline on each log flavour
// and checks the events' shape, that chain, and determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "weir/scenarios/pipeline.h"
#include "weir/scenarios/scenario_spec.h"
#include "weir/sim/trace.h"

using namespace weir::scenarios;
namespace sim = weir::sim;

namespace {

struct DomainEvent {
  std::int64_t time_ns = 0;
  std::uint32_t node = 0;
  std::string kind;
  std::vector<std::int64_t> numbers;  // the numeric values, in order
  std::vector<std::string> texts;     // the text values, in order
  bool operator==(const DomainEvent&) const = default;
};

class DomainSink : public sim::TraceSink {
 public:
  void on_event(const sim::TraceEvent& event) override {
    if (!event.kind.is_domain()) return;
    if (!event.kind.accepts(event.fields.size())) {
      bad_counts.push_back(std::string(event.kind.name()) + " with " + std::to_string(event.fields.size()));
    }
    DomainEvent& e = events.emplace_back();
    e.time_ns = event.time.ns();
    e.node = event.node;
    e.kind = std::string(event.kind.name());
    for (const sim::TraceField& f : event.fields) {
      if (f.is_text()) {
        e.texts.emplace_back(f.text());
      } else {
        e.numbers.push_back(f.number());
      }
    }
  }

  std::vector<DomainEvent> events;
  std::vector<std::string> bad_counts;
};

PipelineOptions small_pipeline(LogFlavour flavour) {
  PipelineOptions o;
  o.name = std::string("domain-events-") + to_string(flavour);
  o.log.flavour = flavour;
  o.log.partitions = 4;
  o.series_per_client = 5;
  o.write_phase = sim::Duration::seconds(15);
  o.drain = sim::Duration::seconds(20);
  return o;
}

std::vector<DomainEvent> run(LogFlavour flavour, std::uint64_t seed) {
  DomainSink sink;
  RunHooks hooks;
  hooks.trace_sink = &sink;
  const RunResult r = run_pipeline(small_pipeline(flavour), seed, hooks);
  INFO(to_text(r));
  CHECK(r.simulator_error.empty());
  CHECK(r.exit_code() == 0);
  INFO("first bad event: " << (sink.bad_counts.empty() ? std::string() : sink.bad_counts.front()));
  CHECK(sink.bad_counts.empty());
  return std::move(sink.events);
}

// Whether some event of `kind` before `before` covers `offset` of
// `partition`, its values being (first, last, partition) at these positions.
bool covered_before(const std::vector<DomainEvent>& events, std::size_t before, const std::string& kind,
                    std::size_t first_at, std::size_t last_at, std::size_t partition_at, std::int64_t partition,
                    std::int64_t offset) {
  for (std::size_t i = 0; i < before; ++i) {
    const DomainEvent& e = events[i];
    if (e.kind != kind) continue;
    if (e.numbers[partition_at] == partition && e.numbers[first_at] <= offset && offset <= e.numbers[last_at]) {
      return true;
    }
  }
  return false;
}

// Follows every log acknowledgement: the log took the record before it, and
// an ingester applied the same record at that offset.
void check_chain(const std::vector<DomainEvent>& events, LogFlavour flavour) {
  // (partition, offset) -> record digests the ingesters applied there.
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::int64_t>> applied;
  std::size_t sent = 0;
  std::size_t produce_acked = 0;
  for (const DomainEvent& e : events) {
    if (e.kind == "mimir.ingester.applied") applied[{e.numbers[0], e.numbers[1]}].push_back(e.numbers[3]);
    sent += e.kind == "kafka.produce.sent";
    produce_acked += e.kind == "kafka.produce.acked";
  }
  CHECK(sent > 0);
  CHECK(produce_acked > 0);
  std::size_t log_acks = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const DomainEvent& e = events[i];
    if (e.kind != "mimir.distributor.log_ack") continue;
    ++log_acks;
    // write, record, partition, offset
    REQUIRE(e.numbers.size() == 4);
    const std::int64_t write = e.numbers[0];
    const std::int64_t record = e.numbers[1];
    const std::int64_t partition = e.numbers[2];
    const std::int64_t offset = e.numbers[3];
    INFO("write #" << write << " partition " << partition << " offset " << offset);
    CHECK(write >= 0);
    if (flavour == LogFlavour::classic) {
      // kafka.classic.appended: first, last, partition, epoch
      CHECK(covered_before(events, i, "kafka.classic.appended", 0, 1, 2, partition, offset));
    } else {
      // diskless.meta.commit: (object) partition, first, last
      CHECK(covered_before(events, i, "diskless.meta.commit", 1, 2, 0, partition, offset));
    }
    // kafka.produce.acked: batch, partition, first, last
    CHECK(covered_before(events, i + 1, "kafka.produce.acked", 2, 3, 1, partition, offset));
    const auto it = applied.find({partition, offset});
    REQUIRE(it != applied.end());
    CHECK(std::find(it->second.begin(), it->second.end(), record) != it->second.end());
  }
  CHECK(log_acks > 0);
}

}  // namespace

TEST_CASE("domain events on the classic log follow each acknowledged write from the log to the ingesters",
          "[domain_events]") {
  const std::vector<DomainEvent> events = run(LogFlavour::classic, 3);
  check_chain(events, LogFlavour::classic);
  std::map<std::string, int> kinds;
  for (const DomainEvent& e : events) ++kinds[e.kind];
  for (const char* kind : {"kafka.classic.leader_elected", "kafka.classic.high_watermark", "kafka.classic.replicated",
                           "kafka.classic.flushed", "kafka.consumer.fetch", "mimir.ingester.started",
                           "mimir.ingester.ready", "mimir.ingester.committed", "mimir.query_frontend.query",
                           "mimir.querier.query", "mimir.ingester.query", "mimir.remote_write.attempt",
                           "mimir.distributor.push", "pipeline.clients_start"}) {
    INFO(kind);
    CHECK(kinds[kind] > 0);
  }
  CHECK(run(LogFlavour::classic, 3) == events);
}

TEST_CASE("domain events on the diskless log follow each acknowledged write from the log to the ingesters",
          "[domain_events]") {
  const std::vector<DomainEvent> events = run(LogFlavour::diskless, 3);
  check_chain(events, LogFlavour::diskless);
  std::map<std::string, int> kinds;
  for (const DomainEvent& e : events) ++kinds[e.kind];
  for (const char* kind : {"diskless.flush", "diskless.ack", "objstore.put", "objstore.get"}) {
    INFO(kind);
    CHECK(kinds[kind] > 0);
  }
  CHECK(run(LogFlavour::diskless, 3) == events);
}

// docs/events.md is the catalogue: a run that records a domain kind the page
// does not list fails here.
TEST_CASE("every domain kind the built-ins record is in docs/events.md") {
  std::ifstream page(std::string(WEIR_TESTDATA_DIR) + "/../../docs/events.md");
  REQUIRE(page);
  const std::string catalogue((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  std::set<std::string> kinds;
  // The chaos swarms draw every kind of fault, each on with probability 1/2.
  for (const char* name : {"chaos-classic", "chaos-diskless"}) {
    ScenarioLoader loader;
    REQUIRE_FALSE(loader.load(name));
    REQUIRE_FALSE(loader.set("faults.swarm.kind_probability=1"));
    DomainSink sink;
    RunHooks hooks;
    hooks.trace_sink = &sink;
    run_pipeline(loader.options().pipeline, 1, hooks);
    for (const DomainEvent& e : sink.events) kinds.insert(e.kind);
  }
  CHECK(kinds.size() > 40);
  for (const std::string& kind : kinds) {
    INFO(kind);
    CHECK(catalogue.find("| `" + kind + "` |") != std::string::npos);
  }
}
