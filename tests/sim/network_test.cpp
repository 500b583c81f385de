#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "weir/sim/network.h"
#include "weir/sim/simulation.h"

using namespace weir::sim;
using namespace weir::sim::literals;

namespace {

struct Echo {
  using Reply = std::string;  // the text with '!' appended
  static constexpr std::string_view kService = "echo";
  std::string text;
};

// One-way messages on the "inbox" port.
template <class T>
struct Note {
  static constexpr std::string_view kPort = "inbox";
  T value;
};

NetworkOptions constant_links() {
  NetworkOptions o;
  o.same_zone = Latency::constant(1_ms);
  o.cross_zone = Latency::constant(5_ms);
  return o;
}

// Three nodes: a and b in zone-1, c in zone-2; each echoes RPCs on "echo".
struct Cluster {
  explicit Cluster(NetworkOptions options = constant_links(), std::uint64_t seed = 1)
      : sim({.seed = seed}, options) {
    for (auto [name, zone] : {std::pair{"a", "zone-1"}, {"b", "zone-1"}, {"c", "zone-2"}}) {
      ids.push_back(sim.add_node({name, zone, [](Simulation& s, NodeId id) {
                                    s.network().serve<Echo>(id, [](NodeId, const Echo& echo) {
                                      std::string reply = echo.text;
                                      reply.push_back('!');
                                      return Payload{reply, reply.size(), 0};
                                    });
                                    return std::unique_ptr<Process>();
                                  },
                                  {}}));
      sim.start(ids.back());
    }
  }
  // Calls echo from `from` to `to` and returns the reply (or nothing) and the time it took.
  std::pair<std::optional<std::string>, Duration> echo(NodeId from, NodeId to, Duration timeout = 1_s) {
    std::optional<std::string> reply;
    Duration took;
    sim.spawn(from, [&] {
      const Time start = sim.now();
      auto r = sim.network().call(from, to, Payload{Echo{"hi"}, 2, 0}, timeout);
      if (r.ok()) reply = r.value();
      took = sim.now() - start;
    });
    sim.run();
    return {reply, took};
  }
  Simulation sim;
  std::vector<NodeId> ids;
};

// What the compiler accepts: a call's body must name a service, and a
// handler must return the reply its request names.
template <class Body>
concept Callable = requires(Network& net, Payload<Body> body) { net.call(NodeId{}, NodeId{}, body, Duration()); };
template <class Request, class Handler>
concept Servable = requires(Network& net, Handler handler) { net.serve<Request>(NodeId{}, handler); };
using EchoHandler = Payload<std::string> (*)(NodeId, const Echo&);
using WrongReplyHandler = Payload<int> (*)(NodeId, const Echo&);
static_assert(Callable<Echo>);
static_assert(!Callable<std::string>);
static_assert(!Callable<Note<int>>);  // a one-way message is sent, not called
static_assert(Servable<Echo, EchoHandler>);
static_assert(!Servable<Echo, WrongReplyHandler>);

}  // namespace

TEST_CASE("an RPC round trip pays the link latency both ways", "[network]") {
  Cluster c;
  auto [same_reply, same_took] = c.echo(c.ids[0], c.ids[1]);
  CHECK(same_reply == "hi!");
  CHECK(same_took == 2_ms);
  auto [cross_reply, cross_took] = c.echo(c.ids[0], c.ids[2]);
  CHECK(cross_reply == "hi!");
  CHECK(cross_took == 10_ms);
}

TEST_CASE("bytes are counted per zone pair", "[network]") {
  Cluster c;
  c.echo(c.ids[0], c.ids[2]);
  CHECK(c.sim.network().bytes_between("zone-1", "zone-2") == 2);
  CHECK(c.sim.network().bytes_between("zone-2", "zone-1") == 3);
  CHECK(c.sim.network().cross_zone_bytes() == 5);
  CHECK(c.sim.network().cross_zone_bytes_by_traffic().at("other") == 5);
  c.echo(c.ids[0], c.ids[1]);
  CHECK(c.sim.network().bytes_between("zone-1", "zone-1") == 5);
  CHECK(c.sim.network().cross_zone_bytes() == 5);
  c.sim.network().send(c.ids[0], c.ids[2], Payload{Note<int>{1}, 100, 0, "replication"});  // nobody listens
  const auto by_traffic = c.sim.network().cross_zone_bytes_by_traffic();
  CHECK(by_traffic.at("replication") == 100);
  CHECK(by_traffic.at("other") == 5);
}

TEST_CASE("a partition makes calls time out until it is repaired", "[network]") {
  Cluster c;
  const PartitionId p = c.sim.network().isolate_zone("zone-2");
  auto [reply, took] = c.echo(c.ids[0], c.ids[2], 100_ms);
  CHECK_FALSE(reply);
  CHECK(took == 100_ms);
  CHECK(c.echo(c.ids[0], c.ids[1]).first == "hi!");  // inside zone-1 all is well
  c.sim.network().repair(p);
  CHECK(c.echo(c.ids[0], c.ids[2]).first == "hi!");
}

TEST_CASE("a one-way partition blocks one direction only", "[network]") {
  Cluster c;
  auto& net = c.sim.network();
  net.partition({c.ids[0]}, {c.ids[1]}, /*one_way=*/true);
  CHECK_FALSE(net.reachable(c.ids[0], c.ids[1]));
  CHECK(net.reachable(c.ids[1], c.ids[0]));
  CHECK_FALSE(c.echo(c.ids[0], c.ids[1], 50_ms).first);  // the request is lost
  CHECK_FALSE(c.echo(c.ids[1], c.ids[0], 50_ms).first);  // the reply is lost
  net.repair_all();
  CHECK(c.echo(c.ids[1], c.ids[0]).first == "hi!");
}

TEST_CASE("a crashed server loses the request; after restart it serves again", "[network]") {
  Cluster c;
  c.sim.crash(c.ids[1]);
  CHECK_FALSE(c.echo(c.ids[0], c.ids[1], 50_ms).first);
  c.sim.start(c.ids[1]);
  CHECK(c.echo(c.ids[0], c.ids[1]).first == "hi!");
}

TEST_CASE("a message in flight to a node that restarts is lost", "[network]") {
  Cluster c;
  std::vector<std::string> got;
  auto listen = [&](Simulation& s, NodeId id) {
    s.network().listen<Note<std::string>>(id, [&](NodeId, Note<std::string> note) { got.push_back(note.value); });
  };
  listen(c.sim, c.ids[1]);
  c.sim.network().send(c.ids[0], c.ids[1], Payload{Note<std::string>{std::string("first")}, 5, 0});
  c.sim.restart(c.ids[1]);
  listen(c.sim, c.ids[1]);
  c.sim.network().send(c.ids[0], c.ids[1], Payload{Note<std::string>{std::string("second")}, 6, 0});
  c.sim.run();
  CHECK(got == std::vector<std::string>{"second"});
}

TEST_CASE("links are FIFO by default even with random latency", "[network]") {
  NetworkOptions o;
  o.same_zone = Latency::uniform(1_ms, 50_ms);
  for (bool fifo : {true, false}) {
    o.fifo_links = fifo;
    Cluster c(o);
    std::vector<int> got;
    c.sim.network().listen<Note<int>>(c.ids[1], [&](NodeId, Note<int> note) { got.push_back(note.value); });
    for (int i = 0; i < 50; ++i) c.sim.network().send(c.ids[0], c.ids[1], Payload{Note<int>{i}, 4, 0});
    c.sim.run();
    REQUIRE(got.size() == 50);
    CHECK(std::is_sorted(got.begin(), got.end()) == fifo);
  }
}

TEST_CASE("drop and duplicate faults act on messages", "[network]") {
  NetworkOptions o = constant_links();
  SECTION("drop") {
    o.drop_probability = 0.5;
    Cluster c(o);
    int got = 0;
    c.sim.network().listen<Note<int>>(c.ids[1], [&](NodeId, Note<int>) { ++got; });
    for (int i = 0; i < 1000; ++i) c.sim.network().send(c.ids[0], c.ids[1], Payload{Note<int>{i}, 1, 0});
    c.sim.run();
    CHECK(got > 400);
    CHECK(got < 600);
    CHECK(c.sim.network().messages_dropped() == static_cast<std::uint64_t>(1000 - got));
  }
  SECTION("duplicate") {
    o.duplicate_probability = 1.0;
    Cluster c(o);
    int got = 0;
    c.sim.network().listen<Note<int>>(c.ids[1], [&](NodeId, Note<int>) { ++got; });
    c.sim.network().send(c.ids[0], c.ids[1], Payload{Note<int>{1}, 1, 0});
    c.sim.run();
    CHECK(got == 2);
  }
  SECTION("delay") {
    o.delay_probability = 1.0;
    o.extra_delay = Latency::constant(30_ms);
    Cluster c(o);
    CHECK(c.echo(c.ids[0], c.ids[1]).second == 62_ms);
  }
}
