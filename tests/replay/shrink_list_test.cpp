// shrink_list on pure predicates: what it keeps, the runs it counts, where
// runs_max stops it, and that the same answers give the same calls.
#include <algorithm>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>
#include <rapidcheck.h>

#include "weir/replay/shrink.h"

using weir::replay::ShrinkLimits;
using weir::replay::shrink_list;

namespace {

bool contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::vector<int> one_to(int n) {
  std::vector<int> list(static_cast<std::size_t>(n));
  std::iota(list.begin(), list.end(), 1);
  return list;
}

}  // namespace

TEST_CASE("shrink_list keeps exactly the elements the failure needs", "[shrink]") {
  int calls = 0;
  const auto outcome = shrink_list<int>(one_to(20), [&](const std::vector<int>& list) {
    ++calls;
    return contains(list, 3) && contains(list, 7);
  });
  CHECK(outcome.smallest == std::vector<int>{3, 7});
  CHECK(outcome.finished);
  CHECK(outcome.runs == calls);
  CHECK(outcome.runs < 40);  // far fewer than trying subsets
}

TEST_CASE("shrink_list tries the empty list first and stops when it fails", "[shrink]") {
  std::vector<std::size_t> sizes;
  const auto outcome = shrink_list<int>(one_to(9), [&](const std::vector<int>& list) {
    sizes.push_back(list.size());
    return true;
  });
  CHECK(outcome.smallest.empty());
  CHECK(outcome.finished);
  CHECK(sizes == std::vector<std::size_t>{0});
}

TEST_CASE("shrink_list of a list no removal keeps failing returns it whole", "[shrink]") {
  const std::vector<int> all = one_to(5);
  const auto outcome =
      shrink_list<int>(all, [&](const std::vector<int>& list) { return list.size() == all.size(); });
  CHECK(outcome.smallest == all);
  CHECK(outcome.finished);
  // The empty list, two halves, ..., and then each single element once.
  CHECK(outcome.runs >= static_cast<int>(all.size()) + 1);
}

TEST_CASE("shrink_list stops at runs_max with the smallest failing list so far", "[shrink]") {
  auto fails = [](const std::vector<int>& list) { return contains(list, 3) && contains(list, 7); };
  const auto outcome = shrink_list<int>(one_to(20), fails, ShrinkLimits{4});
  CHECK_FALSE(outcome.finished);
  CHECK(outcome.runs == 4);
  CHECK(fails(outcome.smallest));
  CHECK(outcome.smallest.size() < 20);
  CHECK(outcome.smallest.size() > 2);

  const auto none = shrink_list<int>(one_to(20), fails, ShrinkLimits{0});
  CHECK(none.runs == 0);
  CHECK_FALSE(none.finished);
  CHECK(none.smallest == one_to(20));
}

TEST_CASE("shrink_list simplifies each element greedily, in the candidates' order", "[shrink]") {
  // Fails while the list holds an element >= 10: halving keeps one at 10..19.
  auto fails = [](const std::vector<int>& list) {
    return std::any_of(list.begin(), list.end(), [](int v) { return v >= 10; });
  };
  auto halve = [](const int& v) { return v > 1 ? std::vector<int>{v / 2} : std::vector<int>{}; };
  const auto outcome = shrink_list<int>({4, 160, 2, 90}, fails, halve);
  REQUIRE(outcome.smallest.size() == 1);
  // Removal drops the first half, then 2: {90}; 90 -> 45 -> 22 -> 11; 5 passes.
  CHECK(outcome.smallest[0] == 11);
  CHECK(outcome.finished);
}

TEST_CASE("shrink_list removes again what a simplification made redundant", "[shrink]") {
  // Fails with a 1, or with both 8 and 9. {8, 9} is 1-minimal; simplifying
  // each to 1 gives {1, 1}, of which one 1 is enough.
  auto fails = [](const std::vector<int>& list) {
    return contains(list, 1) || (contains(list, 8) && contains(list, 9));
  };
  auto to_one = [](const int& v) { return v > 1 ? std::vector<int>{1} : std::vector<int>{}; };
  const auto outcome = shrink_list<int>({8, 9}, fails, to_one);
  CHECK(outcome.finished);
  CHECK(outcome.smallest == std::vector<int>{1});
}

TEST_CASE("shrink_list is deterministic and returns a 1-minimal failing list", "[shrink]") {
  CHECK(rc::check("same input, same calls; the result fails and loses no element", [] {
    const auto input = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 30));
    const auto needed = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 30));
    auto fails = [&](const std::vector<int>& list) {
      return std::all_of(needed.begin(), needed.end(), [&](int v) { return !contains(input, v) || contains(list, v); });
    };
    std::vector<std::vector<int>> calls_a;
    std::vector<std::vector<int>> calls_b;
    const ShrinkLimits unbounded{1'000'000};
    const auto a = shrink_list<int>(
        input, [&](const std::vector<int>& l) { calls_a.push_back(l); return fails(l); }, unbounded);
    const auto b = shrink_list<int>(
        input, [&](const std::vector<int>& l) { calls_b.push_back(l); return fails(l); }, unbounded);
    RC_ASSERT(calls_a == calls_b);
    RC_ASSERT(a.smallest == b.smallest);
    RC_ASSERT(a.finished);
    RC_ASSERT(fails(a.smallest));
    for (std::size_t i = 0; i < a.smallest.size(); ++i) {
      std::vector<int> without = a.smallest;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
      RC_ASSERT(!fails(without));
    }
    // The returned list is the last one a call answered true for.
    const auto last_true = std::find_if(calls_a.rbegin(), calls_a.rend(), fails);
    if (last_true != calls_a.rend()) RC_ASSERT(*last_true == a.smallest);
  }));
}
