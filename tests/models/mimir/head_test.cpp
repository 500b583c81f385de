#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/models/mimir/head.h"
#include "weir/properties/sample_value.h"
#include "weir/sim/random.h"

namespace mimir = weir::models::mimir;
using mimir::AppendOutcome;
using mimir::Head;
using mimir::Sample;

namespace {

constexpr std::int64_t kHour = 60 * 60 * 1000;

std::vector<Sample> stored(const Head& head, mimir::SeriesId id) {
  auto s = head.query(id, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("in-order samples are appended and queried by inclusive range") {
  Head head;
  const auto ref = head.get_or_create(1, {{"__name__", "up"}});
  for (int i = 0; i < 10; ++i) CHECK(head.append(ref, {1000 + 15'000 * i, i * 1.0}) == AppendOutcome::appended);
  CHECK(head.sample_count() == 10);
  auto q = head.query(1, 16'000, 46'000);
  REQUIRE(q.size() == 3);
  CHECK(q[0] == Sample{16'000, 1.0});
  CHECK(q[2] == Sample{46'000, 3.0});
  CHECK(head.query(2, 0, 100'000).empty());
  CHECK(head.labels(ref) == mimir::Labels{{"__name__", "up"}});
  CHECK(head.count(AppendOutcome::appended) == 10);
}

TEST_CASE("duplicates of the newest sample are accepted silently; another value at its timestamp is rejected") {
  Head head;
  const auto ref = head.get_or_create(1, {});
  REQUIRE(head.append(ref, {1000, 1.5}) == AppendOutcome::appended);
  REQUIRE(head.append(ref, {2000, 2.5}) == AppendOutcome::appended);
  CHECK(head.append(ref, {2000, 2.5}) == AppendOutcome::duplicate);
  CHECK(head.append(ref, {2000, 9.0}) == AppendOutcome::duplicate_timestamp);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE(head.append(ref, {3000, nan}) == AppendOutcome::appended);
  CHECK(head.append(ref, {3000, nan}) == AppendOutcome::duplicate);  // same bits
  CHECK(head.sample_count() == 3);
  CHECK(head.count(AppendOutcome::duplicate) == 2);
  CHECK(head.count(AppendOutcome::duplicate_timestamp) == 1);
  CHECK(mimir::is_rejected(AppendOutcome::duplicate_timestamp));
  CHECK_FALSE(mimir::is_rejected(AppendOutcome::duplicate));
}

TEST_CASE("without an OOO window, anything older than the newest sample is out of order, even an identical one") {
  Head head;
  const auto ref = head.get_or_create(1, {});
  REQUIRE(head.append(ref, {1000, 1.0}) == AppendOutcome::appended);
  REQUIRE(head.append(ref, {2000, 2.0}) == AppendOutcome::appended);
  CHECK(head.append(ref, {1000, 1.0}) == AppendOutcome::out_of_order);
  CHECK(head.append(ref, {1500, 1.0}) == AppendOutcome::out_of_order);
  CHECK(stored(head, 1) == std::vector<Sample>{{1000, 1.0}, {2000, 2.0}});
  CHECK(mimir::is_rejected(AppendOutcome::out_of_order));
}

TEST_CASE("samples more than half a block range behind the head's max time are out of bounds") {
  Head head;
  const auto a = head.get_or_create(1, {});
  const auto b = head.get_or_create(2, {});
  REQUIRE(head.append(a, {10 * kHour, 1.0}) == AppendOutcome::appended);
  CHECK(head.bounds().min_valid_ms == 9 * kHour);
  CHECK(head.append(b, {9 * kHour - 1, 1.0}) == AppendOutcome::out_of_bounds);  // a new series too
  CHECK(head.append(b, {9 * kHour, 1.0}) == AppendOutcome::appended);

  // A snapshot of the bounds judges a whole request, as one Prometheus appender does.
  const auto snapshot = head.bounds();
  REQUIRE(head.append(a, {12 * kHour, 1.0}, snapshot) == AppendOutcome::appended);
  CHECK(head.append(b, {10 * kHour, 1.0}, snapshot) == AppendOutcome::appended);
  CHECK(head.append(b, {10 * kHour + 1, 1.0}) == AppendOutcome::out_of_bounds);  // fresh bounds: 11 h
}

TEST_CASE("with an OOO window, older samples within it are stored in order; older ones are too old") {
  Head head(mimir::HeadOptions{.out_of_order_window_ms = 30 * 60 * 1000});
  const auto ref = head.get_or_create(1, {});
  REQUIRE(head.append(ref, {10 * kHour, 1.0}) == AppendOutcome::appended);
  CHECK(head.append(ref, {10 * kHour - 1000, 2.0}) == AppendOutcome::appended_out_of_order);
  CHECK(head.append(ref, {10 * kHour - 2000, 3.0}) == AppendOutcome::appended_out_of_order);
  CHECK(head.append(ref, {10 * kHour - 1000, 2.0}) == AppendOutcome::duplicate);
  CHECK(head.append(ref, {10 * kHour - 1000, 7.0}) == AppendOutcome::ooo_collision_dropped);
  CHECK(head.append(ref, {9 * kHour, 4.0}) == AppendOutcome::too_old);
  CHECK(head.append(ref, {10 * kHour, 9.0}) == AppendOutcome::duplicate_timestamp);
  CHECK(stored(head, 1) ==
        std::vector<Sample>{{10 * kHour - 2000, 3.0}, {10 * kHour - 1000, 2.0}, {10 * kHour, 1.0}});
  CHECK(head.max_time_ms() == 10 * kHour);  // OOO samples do not move the head's time range
  CHECK(head.min_time_ms() == 10 * kHour);
  CHECK(head.count(AppendOutcome::appended_out_of_order) == 2);
  CHECK(mimir::is_rejected(AppendOutcome::too_old));
  CHECK_FALSE(mimir::is_rejected(AppendOutcome::ooo_collision_dropped));
}

TEST_CASE("cut_blocks moves samples before an aligned boundary into one block per 2 h range") {
  Head head;
  const auto a = head.get_or_create(1, {{"s", "a"}});
  const auto b = head.get_or_create(2, {{"s", "b"}});
  for (std::int64_t t = 0; t < 5 * kHour; t += 15 * 60 * 1000) {
    REQUIRE(head.append(a, {t, 1.0}) == AppendOutcome::appended);
    if (t < 3 * kHour) REQUIRE(head.append(b, {t, 2.0}, head.bounds()) == AppendOutcome::appended);
  }
  REQUIRE(head.compactable_boundary() == 2 * kHour);
  CHECK_THROWS_AS(head.cut_blocks(kHour), std::invalid_argument);
  const auto blocks = head.cut_blocks(4 * kHour);
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].min_time_ms() == 0);
  CHECK(blocks[0].max_time_ms() == 2 * kHour);
  CHECK(blocks[1].min_time_ms() == 2 * kHour);
  CHECK(blocks[1].max_time_ms() == 4 * kHour);
  CHECK(blocks[0].sample_count() == 16);  // 8 each from a and b
  CHECK(blocks[1].sample_count() == 8 + 4);
  CHECK(blocks[1].find(2)->labels == mimir::Labels{{"s", "b"}});
  CHECK(head.sample_count() == 4);
  CHECK(head.series_count() == 1);  // b had nothing left
  CHECK_FALSE(head.find(2).has_value());
  const auto ref = head.get_or_create(2, {{"s", "b"}});
  CHECK(head.append(ref, {4 * kHour - 1, 1.0}) == AppendOutcome::out_of_bounds);
  CHECK(head.append(ref, {4 * kHour + 1, 1.0}) == AppendOutcome::appended);
  CHECK_FALSE(head.compactable_boundary().has_value());
}

TEST_CASE("property: without OOO, a series stores exactly the samples reported appended, ascending") {
  CHECK(rc::check("append outcomes match storage", [] {
    Head head;
    const auto ref = head.get_or_create(7, {});
    const auto samples = *rc::gen::container<std::vector<std::pair<std::int64_t, int>>>(
        rc::gen::pair(rc::gen::inRange<std::int64_t>(0, 2 * kHour), rc::gen::inRange(0, 3)));
    std::vector<Sample> expected;
    std::size_t rejected = 0;
    for (const auto& [t, v] : samples) {
      const auto outcome = head.append(ref, {t, static_cast<double>(v)});
      if (outcome == AppendOutcome::appended) expected.push_back({t, static_cast<double>(v)});
      if (mimir::is_rejected(outcome)) ++rejected;
      RC_ASSERT(outcome != AppendOutcome::appended_out_of_order);
    }
    RC_ASSERT(stored(head, 7) == expected);
    std::uint64_t total = 0;
    for (std::size_t o = 0; o < mimir::kAppendOutcomeCount; ++o) total += head.count(static_cast<AppendOutcome>(o));
    RC_ASSERT(total == samples.size());
    RC_ASSERT(rejected + expected.size() + head.count(AppendOutcome::duplicate) == samples.size());
  }));
}

TEST_CASE("the same seeded workload gives the same blocks, byte for byte") {
  auto run = [] {
    weir::sim::Random random(42);
    Head head(mimir::HeadOptions{.out_of_order_window_ms = 10 * 60 * 1000});
    for (int step = 0; step < 2'000; ++step) {
      const auto series = random.below(50);
      const auto t = static_cast<std::int64_t>(step) * 5'000 - static_cast<std::int64_t>(random.below(600'000));
      const auto ref = head.get_or_create(series, {{"series", std::to_string(series)}});
      head.append(ref, {t, weir::properties::sample_value(series, t)});
    }
    std::string bytes;
    for (const auto& b : head.cut_blocks(2 * kHour)) bytes += b.serialize();
    return bytes;
  };
  const std::string first = run();
  CHECK_FALSE(first.empty());
  CHECK(first == run());
}
