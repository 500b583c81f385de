#include "weir/scenarios/sweep.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "seed_worker.h"
#include "violation_json.h"

namespace weir::scenarios {
namespace {

bool parse_u64(std::string_view text, std::uint64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

RunResult from_json(const std::string& scenario, std::uint64_t seed, const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  RunResult r;
  r.scenario = scenario;
  r.seed = seed;
  r.trace_hash = std::stoull(j.at("trace_hash").get<std::string>(), nullptr, 16);
  r.sim_seconds = j.at("sim_seconds").get<double>();
  r.wall_seconds = j.at("wall_seconds").get<double>();
  r.events = j.at("events").get<std::uint64_t>();
  for (const auto& v : j.at("violations")) r.violations.push_back(detail::violation_from_json(v));
  if (j.contains("checked")) r.checked = j.at("checked").get<std::map<std::string, std::uint64_t>>();
  if (j.contains("counters")) r.counters = j.at("counters").get<std::map<std::string, std::uint64_t>>();
  if (j.contains("measures")) r.measures = j.at("measures").get<std::map<std::string, double>>();
  if (j.contains("faults")) r.faults = j.at("faults").get<std::vector<std::string>>();
  if (j.contains("simulator_error")) r.simulator_error = j.at("simulator_error").get<std::string>();
  if (j.contains("beyond_budget")) r.beyond_budget = j.at("beyond_budget").get<std::string>();
  if (j.contains("expect")) {
    r.expected.fail = j.at("expect").at("verdict") == "FAIL";
    r.expected.properties = j.at("expect").at("properties").get<std::vector<std::string>>();
  }
  return r;
}

}  // namespace

int worse_exit_code(int a, int b) {
  if (a == 0) return b;
  if (b == 0) return a;
  // safety (1) outranks liveness (2) outranks a missing expected failure (4) outranks simulator (3)
  constexpr int kRank[] = {0, 1, 2, 4, 3};
  const auto rank = [&](int code) { return code >= 0 && code <= 4 ? kRank[code] : 5; };
  return rank(a) <= rank(b) ? a : b;
}

void tally(SweepSummary& s, const RunResult& r) {
  ++s.seeds_run;
  const int code = r.exit_code();
  s.exit_code = worse_exit_code(s.exit_code, code);
  if (code != exit_code::ok) ++s.seeds_failed;
  if (r.failed_as_expected()) ++s.seeds_failed_as_expected;
  if (!r.beyond_budget.empty()) ++s.seeds_beyond_budget;
  if (!r.simulator_error.empty()) ++s.failures_by_property["simulator"];
  if (!r.nondeterminism.empty()) ++s.failures_by_property["determinism"];
  std::map<std::string, bool> seen;
  for (const auto& v : r.violations) {
    if (!seen[v.property]) ++s.failures_by_property[v.property];
    seen[v.property] = true;
  }
  for (const auto& property : r.vacuous()) ++s.vacuous_by_property[property];
  if (r.wall_seconds > s.slowest_wall_seconds) {
    s.slowest_wall_seconds = r.wall_seconds;
    s.slowest_seed = r.seed;
  }
}

namespace {

// The second run must reproduce the first exactly.
void compare_runs(RunResult& first, const RunResult& second) {
  if (!first.simulator_error.empty() || !second.simulator_error.empty()) return;
  if (first.trace_hash == second.trace_hash && first.events == second.events) return;
  first.nondeterminism = fmt::format("a second run gave trace_hash {:016x} with {} events, the first {:016x} with {}",
                                     second.trace_hash, second.events, first.trace_hash, first.events);
}

}  // namespace

bool rechecked(std::uint64_t seed, double ratio) {
  // A stable, well-spread choice per seed (the splitmix64 finalizer).
  std::uint64_t x = seed + 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<double>(x >> 11) * 0x1.0p-53 < ratio;
}

std::optional<SeedRange> parse_seed_range(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  SeedRange r;
  if (!parse_u64(std::string_view(text).substr(0, colon), r.begin)) return std::nullopt;
  if (!parse_u64(std::string_view(text).substr(colon + 1), r.end)) return std::nullopt;
  if (r.end <= r.begin) return std::nullopt;
  return r;
}

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  Shard s;
  if (!parse_u64(std::string_view(text).substr(0, slash), s.index)) return std::nullopt;
  if (!parse_u64(std::string_view(text).substr(slash + 1), s.count)) return std::nullopt;
  if (s.count == 0 || s.index >= s.count) return std::nullopt;
  return s;
}

namespace {

// One run of one seed, from its start to its report.
struct Job {
  std::uint64_t seed = 0;
  bool recheck = false;      // the second run of the seed before it
  bool has_recheck = false;  // a second run of this seed follows it
  std::chrono::steady_clock::time_point started;
  std::optional<RunResult> result;
};

// A worker is replaced after this many seeds, so that nothing one process
// accumulates (fragmented memory, a leak) grows with the sweep.
constexpr std::uint64_t kSeedsPerWorker = 64;
// Jobs started but not yet reported, at most: a slow seed holds back the
// report of the seeds after it, not their runs, up to this many.
constexpr std::size_t kJobsInFlightMax = 4096;

// A place for one worker process at a time: `jobs` of them run side by side.
struct Slot {
  std::unique_ptr<detail::SeedWorker> worker;
  Job* job = nullptr;  // the job it is running, if any
};

class SweepRunner {
 public:
  SweepRunner(const std::string& scenario, const RunSeed& run, const SweepOptions& options,
              const std::function<void(const RunResult&)>& on_result, SweepSummary& summary)
      : scenario_(scenario), run_(run), options_(options), on_result_(on_result), summary_(summary),
        slots_(static_cast<std::size_t>(std::max(1, options.jobs))), next_seed_(options.seeds.begin) {}

  void run() {
    for (;;) {
      start_jobs();
      if (busy_slots() == 0) break;
      finish_one();
      report_ready();
    }
  }

 private:
  std::size_t busy_slots() const {
    return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.job; }));
  }

  // The next run to start, if any: a seed of this shard, or the second run
  // of the seed just started.
  std::optional<Job> next_job() {
    if (pending_recheck_) {
      Job second{*pending_recheck_, true, false, {}, {}};
      pending_recheck_.reset();
      return second;
    }
    while (next_seed_ < options_.seeds.end && next_seed_ % options_.shard.count != options_.shard.index) ++next_seed_;
    if (next_seed_ >= options_.seeds.end) return std::nullopt;
    const std::uint64_t seed = next_seed_++;
    const bool twice = rechecked(seed, options_.recheck_ratio);
    if (twice) pending_recheck_ = seed;
    return Job{seed, false, twice, {}, {}};
  }

  void start_jobs() {
    for (Slot& slot : slots_) {
      if (slot.job || in_flight_.size() >= kJobsInFlightMax) continue;
      std::optional<Job> job = next_job();
      if (!job) return;
      job->started = std::chrono::steady_clock::now();
      in_flight_.push_back(std::move(*job));
      slot.job = &in_flight_.back();
      // A second run gets a process of its own, so that what a process
      // carries from one seed to the next cannot make the two runs agree.
      if (slot.worker == nullptr || slot.job->recheck) slot.worker = std::make_unique<detail::SeedWorker>(run_, open_fds());
      slot.worker->send(slot.job->seed);
      if (slot.job->recheck || slot.worker->seeds_sent() >= kSeedsPerWorker) slot.worker->close_seeds();
    }
  }

  std::vector<int> open_fds() const {
    std::vector<int> fds;
    for (const Slot& slot : slots_) {
      if (slot.worker == nullptr) continue;
      for (const int fd : slot.worker->fds()) fds.push_back(fd);
    }
    return fds;
  }

  // Waits until a busy worker has a result (or died), and takes it.
  void finish_one() {
    std::vector<pollfd> polled;
    std::vector<Slot*> owners;
    for (Slot& slot : slots_) {
      if (!slot.job) continue;
      polled.push_back({slot.worker->result_fd(), POLLIN, 0});
      owners.push_back(&slot);
    }
    while (::poll(polled.data(), polled.size(), -1) < 0) {
      if (errno != EINTR) throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    }
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].revents != 0) return take_result(*owners[i]);
    }
  }

  void take_result(Slot& slot) {
    Job& job = *slot.job;
    slot.job = nullptr;
    const std::string json = slot.worker->receive();
    try {
      if (!json.empty()) job.result = from_json(scenario_, job.seed, json);
    } catch (const std::exception&) {
    }
    if (!job.result) {
      RunResult r;
      r.scenario = scenario_;
      r.seed = job.seed;
      r.simulator_error = json.empty() ? slot.worker->death() : "worker process wrote an unreadable result";
      r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count();
      job.result = std::move(r);
    }
    if (!slot.worker->accepting()) slot.worker.reset();
  }

  // Reports finished runs in seed order; a rechecked seed once both of its
  // runs are in, as one result.
  void report_ready() {
    while (!in_flight_.empty() && in_flight_.front().result) {
      Job& first = in_flight_.front();
      if (first.has_recheck) {
        if (in_flight_.size() < 2 || !in_flight_[1].result) return;
        compare_runs(*first.result, *in_flight_[1].result);
        ++summary_.seeds_rechecked;
      }
      RunResult r = std::move(*first.result);
      const bool pair = first.has_recheck;
      in_flight_.pop_front();
      if (pair) in_flight_.pop_front();
      tally(summary_, r);
      on_result_(r);
    }
  }

  const std::string& scenario_;
  const RunSeed& run_;
  const SweepOptions& options_;
  const std::function<void(const RunResult&)>& on_result_;
  SweepSummary& summary_;
  std::vector<Slot> slots_;
  std::deque<Job> in_flight_;  // in seed order; references stay valid at both ends
  std::uint64_t next_seed_;
  std::optional<std::uint64_t> pending_recheck_;
};

// A worker that died has closed its pipes; writing to one must fail the
// write, not kill the sweep. Restores the previous disposition on exit.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() { previous_ = std::signal(SIGPIPE, SIG_IGN); }
  ~IgnoreSigpipe() { std::signal(SIGPIPE, previous_); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  void (*previous_)(int);
};

}  // namespace

SweepSummary run_sweep(const std::string& scenario, const RunSeed& run, const SweepOptions& options,
                       const std::function<void(const RunResult&)>& on_result) {
  const auto start = std::chrono::steady_clock::now();
  SweepSummary summary;
  {
    const IgnoreSigpipe ignore_sigpipe;
    SweepRunner(scenario, run, options, on_result, summary).run();
  }
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.seeds_per_minute =
      summary.wall_seconds > 0 ? static_cast<double>(summary.seeds_run) * 60.0 / summary.wall_seconds : 0;
  return summary;
}

}  // namespace weir::scenarios
