#include <catch2/catch.hpp>

#include "weir/scenarios/rpc_chaos.h"

using weir::scenarios::RpcChaosOptions;
using weir::scenarios::run_rpc_chaos;

TEST_CASE("rpc-chaos: the same seed gives the same trace hash, another seed another", "[rpc-chaos]") {
  const RpcChaosOptions options;
  for (std::uint64_t seed : {0, 1, 42}) {
    const auto a = run_rpc_chaos(options, seed);
    const auto b = run_rpc_chaos(options, seed);
    CHECK(a.trace_hash == b.trace_hash);
    CHECK(a.events == b.events);
    CHECK(a.trace_hash != run_rpc_chaos(options, seed + 1000).trace_hash);
  }
}

TEST_CASE("rpc-chaos: with shuffled same-instant events runs stay deterministic", "[rpc-chaos]") {
  RpcChaosOptions options;
  options.shuffle_same_instant = true;
  CHECK(run_rpc_chaos(options, 9).trace_hash == run_rpc_chaos(options, 9).trace_hash);
  CHECK(run_rpc_chaos(options, 9).trace_hash != run_rpc_chaos(RpcChaosOptions{}, 9).trace_hash);
}

TEST_CASE("rpc-chaos: the planted ack-before-fsync bug is caught, and absent without the knob", "[rpc-chaos]") {
  RpcChaosOptions buggy;
  buggy.ack_before_fsync = true;
  int caught_at = -1;
  for (int seed = 0; seed < 50 && caught_at < 0; ++seed) {
    const auto result = run_rpc_chaos(buggy, static_cast<std::uint64_t>(seed));
    if (result.exit_code() == 1) {
      caught_at = seed;
      REQUIRE_FALSE(result.violations.empty());
      CHECK(result.violations.front().property == "no_lost_acked_writes");
      CHECK(result.violations.front().message.find("acknowledged by store-") != std::string::npos);
    }
  }
  REQUIRE(caught_at >= 0);
  for (int seed = 0; seed <= caught_at; ++seed) {
    const auto result = run_rpc_chaos(RpcChaosOptions{}, static_cast<std::uint64_t>(seed));
    INFO(weir::scenarios::to_text(result));
    CHECK(result.exit_code() == 0);
  }
}

TEST_CASE("rpc-chaos: option validation names the bad field", "[rpc-chaos]") {
  RpcChaosOptions o;
  CHECK_FALSE(o.validate());
  o.nodes = 0;
  CHECK(o.validate().value().find("nodes") != std::string::npos);
}
