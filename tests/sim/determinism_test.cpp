// Determinism of the runtime: random programs of nodes, sleeps, RPCs,
// channels, disk writes, crashes and partitions give the same trace hash for
// the same seed, and different hashes for different seeds.
#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include <memory>

#include <fmt/format.h>
#include <vector>

#include "weir/sim/channel.h"
#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

namespace {

struct Program {
  int nodes = 3;
  int zones = 2;
  int calls_per_node = 5;
  int faults = 3;
  bool shuffle = false;
};

struct Put {
  using Reply = int;  // the value put, once durable
  static constexpr std::string_view kService = "put";
  int value;
};

struct Peer : Process {
  Peer(Simulation& sim, NodeId id, const Program& p) {
    sim.network().serve<Put>(id, [&sim, id](NodeId, const Put& put) {
      const int value = put.value;
      sim.node(id).disk().append("log", std::to_string(value));
      sim.node(id).disk().fsync("log");
      return Payload{value, 8, static_cast<std::uint64_t>(value)};
    });
    Channel<int> done(sim);
    sim.spawn(id, [&sim, id, p, done]() mutable {
      Random r = sim.random("client").fork(std::to_string(id));
      for (int i = 0; i < p.calls_per_node; ++i) {
        sim.sleep(Duration::microseconds(r.uniform_int(1, 20'000)));
        const auto to = static_cast<NodeId>(r.below(static_cast<std::uint64_t>(p.nodes)));
        auto reply = sim.network().call(id, to, Payload{Put{i}, 8, static_cast<std::uint64_t>(i)}, 50_ms);
        done.send(reply.ok() ? 1 : 0);
      }
    });
  }
};

std::uint64_t run_program(const Program& p, std::uint64_t seed) {
  NetworkOptions net;
  net.drop_probability = 0.02;
  net.duplicate_probability = 0.02;
  Simulation sim({.seed = seed, .shuffle_same_instant = p.shuffle}, net);
  for (int i = 0; i < p.nodes; ++i) {
    const NodeId id = sim.add_node({fmt::format("n{}", i), fmt::format("z{}", i % p.zones),
                                    [&p](Simulation& s, NodeId n) { return std::make_unique<Peer>(s, n, p); },
                                    {}});
    sim.start(id);
  }
  sim.spawn(kNoNode, [&] {
    Random r = sim.random("faults");
    for (int i = 0; i < p.faults; ++i) {
      sim.sleep(Duration::microseconds(r.uniform_int(1, 30'000)));
      const auto victim = static_cast<NodeId>(r.below(static_cast<std::uint64_t>(p.nodes)));
      if (r.bernoulli(0.5)) {
        sim.restart(victim);
      } else {
        const PartitionId part = sim.network().isolate(victim);
        sim.sleep(5_ms);
        sim.network().repair(part);
      }
    }
  });
  sim.run_until(Time::zero() + 10_s);
  return sim.trace_hash();
}

rc::Gen<Program> program_gen() {
  return rc::gen::build<Program>(rc::gen::set(&Program::nodes, rc::gen::inRange(1, 6)),
                                 rc::gen::set(&Program::zones, rc::gen::inRange(1, 4)),
                                 rc::gen::set(&Program::calls_per_node, rc::gen::inRange(0, 20)),
                                 rc::gen::set(&Program::faults, rc::gen::inRange(0, 8)),
                                 rc::gen::set(&Program::shuffle, rc::gen::arbitrary<bool>()));
}

}  // namespace

TEST_CASE("same program and seed give the same trace hash", "[determinism]") {
  CHECK(rc::check("run twice, same hash", [] {
    const Program p = *program_gen();
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    RC_ASSERT(run_program(p, seed) == run_program(p, seed));
  }));
}

TEST_CASE("different seeds give different trace hashes", "[determinism]") {
  CHECK(rc::check("distinct seeds, distinct hashes", [] {
    Program p = *program_gen();
    p.calls_per_node = std::max(p.calls_per_node, 2);  // something random must happen
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    RC_ASSERT(run_program(p, seed) != run_program(p, seed + 1));
  }));
}
