// RapidCheck: randomly generated histories of a correct system pass every
// checker; deleting one acked sample from a final read makes no_lost fail;
// failing one zone's final read makes liveness fail instead.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;

namespace {

struct PersistedWrite {
  const Write* write;
  SimTime persisted_at;
};

// A correct pipeline in miniature: a write is persisted (in every zone) at some
// time no later than its ack; reads return what was persisted by some time.
class ConsistentHistoryGenerator {
 public:
  History generate() {
    zones_ = *rc::gen::inRange(1, 4);
    partitions_ = *rc::gen::inRange(1, 4);
    const int series_count = *rc::gen::inRange(1, 6);
    for (int i = 0; i < series_count; ++i) series_.push_back(mix64(static_cast<std::uint64_t>(i) + 1));
    std::sort(series_.begin(), series_.end());
    for (int z = 0; z < zones_; ++z) history_.declare_zone(zone(z));
    generate_writes(*rc::gen::inRange(1, 15));
    generate_log_and_ingesters();
    generate_reads(*rc::gen::inRange(0, 10));
    finish();
    return std::move(history_);
  }

 private:
  static std::string zone(int z) { return fmt::format("zone-{}", static_cast<char>('a' + z)); }
  PartitionId partition_of(SeriesId series) const {
    return static_cast<PartitionId>(series % static_cast<std::uint64_t>(partitions_));
  }

  std::vector<SampleRun> generate_runs() {
    std::vector<SampleRun> runs;
    const int count = *rc::gen::inRange(1, 4);
    for (int i = 0; i < count; ++i) {
      const SeriesId series = series_[*rc::gen::inRange<std::size_t>(0, series_.size())];
      runs.push_back(make_run(series, *rc::gen::inRange(0, 50) * 100, *rc::gen::inRange(1, 4) * 100,
                              *rc::gen::inRange(1u, 6u)));
    }
    return runs;
  }

  void generate_writes(int count) {
    for (int i = 0; i < count; ++i) {
      now_ += millis(*rc::gen::inRange(1, 1000));
      const WriteOutcome outcome =
          i == 0 ? WriteOutcome::acked
                 : *rc::gen::element(WriteOutcome::acked, WriteOutcome::acked, WriteOutcome::timed_out,
                                     WriteOutcome::failed, WriteOutcome::rejected, WriteOutcome::pending);
      const SimTime completed = now_ + millis(*rc::gen::inRange(1, 2000));
      const WriteId id = add_write(history_, now_, completed, outcome, generate_runs());
      const bool persisted = outcome == WriteOutcome::acked ||
                             (outcome != WriteOutcome::rejected && *rc::gen::arbitrary<bool>());
      if (persisted) {
        persisted_ids_.push_back({id, *rc::gen::inRange(now_, completed + 1)});
      }
    }
    for (const auto& [id, at] : persisted_ids_) persisted_.push_back({&history_.write(id), at});
  }

  void generate_log_and_ingesters() {
    std::map<PartitionId, std::vector<RecordDigest>> logs;
    for (const auto& p : persisted_) {
      std::map<PartitionId, bool> touched;
      for (const auto& run : p.write->samples) touched[partition_of(run.series)] = true;
      for (const auto& [partition, yes] : touched) {
        auto& log = logs[partition];
        const RecordDigest digest = mix64(p.write->id * 131 + static_cast<std::uint64_t>(partition));
        history_.record_log_ack(partition, static_cast<Offset>(log.size()), digest, p.persisted_at);
        log.push_back(digest);
      }
    }
    for (PartitionId partition = 0; partition < partitions_; ++partition) {
      const auto& log = logs[partition];
      history_.record_log_bounds(partition, 0, static_cast<Offset>(log.size()));
      for (int z = 0; z < zones_; ++z) replay(zone(z), partition, log);
    }
  }

  // One ingester consuming the whole log, committing and restarting at random.
  void replay(const std::string& zone_name, PartitionId partition,
              const std::vector<RecordDigest>& log) {
    SimTime t = 0;
    Offset next = 0;
    std::optional<Offset> committed;
    int restarts = 0;
    history_.record_restarted(zone_name, partition, t, 0);
    while (next < static_cast<Offset>(log.size())) {
      t += millis(10);
      const int action = *rc::gen::inRange(0, 10);
      if (action < 7 || restarts >= 3) {
        history_.record_applied(zone_name, partition, next, log[static_cast<std::size_t>(next)], t);
        ++next;
      } else if (action < 9 && next > 0) {
        committed = next - 1;
        history_.record_committed(zone_name, partition, *committed, t);
      } else {
        ++restarts;
        next = committed ? *committed + 1 : 0;
        history_.record_restarted(zone_name, partition, t, next);
      }
    }
    if (next > 0) history_.record_committed(zone_name, partition, next - 1, t + millis(1));
  }

  // Every persisted sample the selector covers, as of `as_of`.
  std::vector<SeriesResult> visible(const ReadSelector& selector, SimTime as_of) const {
    std::vector<SampleRun> runs;
    for (const auto& p : persisted_) {
      if (p.persisted_at > as_of) continue;
      for (const auto& run : p.write->samples) {
        for (std::uint32_t i = 0; i < run.count; ++i) {
          if (selector.covers(run.series, run.timestamp(i))) {
            runs.push_back(make_run(run.series, run.timestamp(i), 1, 1));
          }
        }
      }
    }
    return results_of(runs);
  }

  ReadSelector random_selector() const {
    std::vector<SeriesId> chosen;
    for (const SeriesId s : series_) {
      if (*rc::gen::arbitrary<bool>()) chosen.push_back(s);
    }
    const TimestampMs start = *rc::gen::inRange(0, 6000);
    return select(chosen, start, start + *rc::gen::inRange(0, 6000));
  }

  void generate_reads(int count) {
    for (int i = 0; i < count; ++i) {
      const SimTime at = *rc::gen::inRange<SimTime>(0, now_ + secs(3));
      const bool strong = *rc::gen::arbitrary<bool>();
      const std::string z = zone(*rc::gen::inRange(0, zones_));
      const ReadSelector selector = random_selector();
      const SimTime as_of = strong ? at : at - millis(*rc::gen::inRange(0, 3000));
      if (strong && *rc::gen::inRange(0, 5) == 0) {
        const ReadId id = history_.record_read_invoke(ReadConsistency::strong, selector, at);
        history_.record_read_failed(id, at + secs(20), z, "querier", "timed out");
      } else {
        add_read(history_, strong ? ReadConsistency::strong : ReadConsistency::eventual, selector,
                 at, at + millis(*rc::gen::inRange(1, 500)), z, visible(selector, as_of));
      }
    }
  }

  void finish() {
    const SimTime heal = now_ + secs(5);
    history_.record_fault_healed(heal);
    for (int z = 0; z < zones_; ++z) {
      for (PartitionId p = 0; p < partitions_; ++p) {
        history_.record_lag(zone(z), p, heal - secs(1), secs(5));
        history_.record_lag(zone(z), p, heal + secs(2), 0);
      }
    }
    history_.record_drain_completed(heal + secs(3));
    const ReadSelector everything = select(series_, 0, 100'000);
    for (int z = 0; z < zones_; ++z) {
      add_final_read(history_, zone(z), everything, heal + secs(4), visible(everything, heal));
    }
    history_.record_end(heal + secs(5));
  }

  History history_;
  int zones_ = 1;
  int partitions_ = 1;
  std::vector<SeriesId> series_;
  SimTime now_ = 0;
  std::vector<std::pair<WriteId, SimTime>> persisted_ids_;
  std::vector<PersistedWrite> persisted_;
};

History consistent_history() { return ConsistentHistoryGenerator().generate(); }

}  // namespace

TEST_CASE("random consistent histories pass every checker", "[random]") {
  REQUIRE(rc::check("a consistent history has no violations", [] {
    const History history = consistent_history();
    const auto violations = check_all(history).violations();
    RC_ASSERT(describe(violations) == std::string());
  }));
}

TEST_CASE("deleting one acked sample from a final read fails no_lost", "[random]") {
  REQUIRE(rc::check("a lost acked sample is reported with its evidence", [] {
    const History history = consistent_history();
    HistoryData data = history.data();
    const Write& acked = data.writes.front();  // the generator acks the first write
    const SampleRun& run = acked.samples[*rc::gen::inRange<std::size_t>(0, acked.samples.size())];
    const TimestampMs ts = run.timestamp(*rc::gen::inRange(0u, run.count));
    const std::string zone = data.zones[*rc::gen::inRange<std::size_t>(0, data.zones.size())];
    for (auto& read : data.reads) {
      if (read.final_drain && read.zone == zone) erase_sample(read.result, run.series, ts);
    }
    const auto violations = check_no_lost_acked_samples(History::from_data(data), CheckOptions{}).violations;
    RC_ASSERT(!violations.empty());
    const std::string evidence = fmt::format("series {:#018x} ts {}", run.series, ts);
    for (const auto& violation : violations) {
      RC_ASSERT(violation.property == "no_lost_acked_samples");
      RC_ASSERT(violation.message.find(evidence) != std::string::npos);
      RC_ASSERT(violation.message.find("zone " + zone) != std::string::npos);
    }
  }));
}

TEST_CASE("failing one zone's final read fails liveness, never no_lost", "[random]") {
  REQUIRE(rc::check("an unreachable zone leaves its acked samples unproven, not lost", [] {
    HistoryData data = consistent_history().data();
    const std::string zone = data.zones[*rc::gen::inRange<std::size_t>(0, data.zones.size())];
    for (auto& read : data.reads) {
      if (!read.final_drain || read.zone != zone) continue;
      read.outcome = ReadOutcome::error;
      read.error = "ingester ingester-" + zone + "-0 did not answer";
      read.result.clear();
    }
    const History history = History::from_data(data);
    RC_ASSERT(check_no_lost_acked_samples(history, CheckOptions{}).violations.empty());
    const auto violations = check_liveness(history, CheckOptions{}).violations;
    RC_ASSERT(violations.size() == 1u);
    RC_ASSERT(violations[0].message.find("zone " + zone + ":") != std::string::npos);
    RC_ASSERT(violations[0].message.find("did not answer") != std::string::npos);
  }));
}

TEST_CASE("random histories survive a save and load", "[random]") {
  REQUIRE(rc::check("load(save(h)) == h", [] {
    const History history = consistent_history();
    RC_ASSERT(load_history(save_history(history)) == history);
  }));
}
