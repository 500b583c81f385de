#include "weir/scenarios/sweep.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <deque>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "violation_json.h"

namespace weir::scenarios {
namespace {

bool parse_u64(std::string_view text, std::uint64_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

struct Worker {
  std::uint64_t seed;
  pid_t pid;
  int read_fd;
  std::chrono::steady_clock::time_point started;
  bool recheck = false;      // the second run of the seed before it
  bool has_recheck = false;  // a second run of this seed follows it
};

// In the child: run the seed, write its JSON result to the pipe, exit.
[[noreturn]] void run_child(const RunSeed& run, std::uint64_t seed, int write_fd) {
  const std::string json = to_json(run(seed));
  std::size_t written = 0;
  while (written < json.size()) {
    const ssize_t n = ::write(write_fd, json.data() + written, json.size() - written);
    if (n <= 0 && errno != EINTR) break;
    if (n > 0) written += static_cast<std::size_t>(n);
  }
  ::close(write_fd);
  ::_exit(0);
}

Worker start_worker(const RunSeed& run, std::uint64_t seed) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(fds[0]);
    run_child(run, seed, fds[1]);
  }
  ::close(fds[1]);
  return Worker{seed, pid, fds[0], std::chrono::steady_clock::now()};
}

std::string read_all(int fd) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fd);
  return out;
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

// Reads the worker's result and reaps it; a worker that died without
// writing a result is a simulator failure of that seed.
RunResult finish_worker(const std::string& scenario, Worker& w) {
  const std::string output = read_all(w.read_fd);
  int status = 0;
  while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
  }
  RunResult r;
  r.scenario = scenario;
  r.seed = w.seed;
  try {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !output.empty()) return from_json(scenario, w.seed, output);
  } catch (const std::exception&) {
  }
  r.simulator_error = WIFSIGNALED(status) ? fmt::format("worker process killed by signal {} ({})", WTERMSIG(status),
                                                        strsignal(WTERMSIG(status)))
                                          : "worker process exited without a result";
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - w.started).count();
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

SweepSummary run_sweep(const std::string& scenario, const RunSeed& run, const SweepOptions& options,
                       const std::function<void(const RunResult&)>& on_result) {
  const auto start = std::chrono::steady_clock::now();
  SweepSummary summary;
  std::deque<Worker> running;  // in seed order: results are reported in seed order
  std::optional<RunResult> awaiting_recheck;  // a first run whose second run is next in line
  auto finish_oldest = [&] {
    Worker worker = running.front();
    running.pop_front();
    RunResult r = finish_worker(scenario, worker);
    if (worker.has_recheck) {
      awaiting_recheck = std::move(r);
      return;
    }
    if (worker.recheck) {
      compare_runs(*awaiting_recheck, r);
      r = std::move(*awaiting_recheck);
      awaiting_recheck.reset();
      ++summary.seeds_rechecked;
    }
    tally(summary, r);
    on_result(r);
  };
  const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  for (std::uint64_t seed = options.seeds.begin; seed < options.seeds.end; ++seed) {
    if (seed % options.shard.count != options.shard.index) continue;
    const int runs = rechecked(seed, options.recheck_ratio) ? 2 : 1;
    for (int i = 0; i < runs; ++i) {
      if (running.size() >= jobs) finish_oldest();
      running.push_back(start_worker(run, seed));
      running.back().recheck = i == 1;
      running.back().has_recheck = i == 0 && runs == 2;
    }
  }
  while (!running.empty()) finish_oldest();
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.seeds_per_minute =
      summary.wall_seconds > 0 ? static_cast<double>(summary.seeds_run) * 60.0 / summary.wall_seconds : 0;
  return summary;
}

}  // namespace weir::scenarios
