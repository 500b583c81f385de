// shrink_list: cuts a failing list (a fault schedule, an input) down to a
// small one that still fails, by delta debugging, then simplifies each of
// its elements.
//
// The caller owns the test: `still_fails(candidate)` runs it and says
// whether the candidate shows the same failure. Removal first tries the
// empty list, then drops chunks of halving size (halves, quarters, ...,
// single elements), keeping every removal that still fails, until no single
// element can go (the list is 1-minimal). Then each element in turn is
// replaced by the first of `simpler(element)`'s candidates that still fails,
// greedily, until none does; when that changed anything, removal of single
// elements runs again. `simpler` must return strictly simpler values (a
// shorter duration, a default magnitude) or the search only ends at
// `runs_max`.
//
// Every call of `still_fails` counts as a run; at `runs_max` the search
// stops and returns the smallest failing list found so far. The list
// returned is always the input or the argument of the last call that
// returned true, so a caller may keep that call's details (a run's
// verdict) as the result's. Deterministic: the same input and the same
// answers give the same calls in the same order. Header-only; borrows the
// callables for the duration of the call.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace weir::replay {

struct ShrinkLimits {
  int runs_max = 100;  // calls of still_fails, at most
};

template <class T>
struct ShrinkOutcome {
  std::vector<T> smallest;  // still fails (or is the input, if nothing else did)
  int runs = 0;             // calls of still_fails made
  bool finished = false;    // 1-minimal and simplified; false: runs_max stopped it
};

namespace shrink_detail {

template <class T>
class ListShrinker {
 public:
  using Predicate = std::function<bool(const std::vector<T>&)>;
  using Simpler = std::function<std::vector<T>(const T&)>;

  ListShrinker(std::vector<T> failing, const Predicate& still_fails, const Simpler& simpler, ShrinkLimits limits)
      : list_(std::move(failing)), still_fails_(still_fails), simpler_(simpler), limits_(limits) {}

  ShrinkOutcome<T> run() {
    bool finished = remove_chunks(list_.size());
    while (finished) {
      bool changed = false;
      finished = simplify_all(changed);
      if (!finished || !changed) break;
      bool removed = false;
      finished = remove_singles(removed);
      if (!removed) break;
    }
    return {std::move(list_), runs_, finished};
  }

 private:
  // Tries `candidate`; on a failure it becomes the list. False when out of runs.
  bool try_candidate(std::vector<T>& candidate, bool& accepted) {
    accepted = false;
    if (runs_ >= limits_.runs_max) return false;
    ++runs_;
    if (still_fails_(candidate)) {
      list_ = std::move(candidate);
      accepted = true;
    }
    return true;
  }

  // One pass dropping [i, i + chunk) at each i; a kept removal keeps i.
  bool remove_pass(std::size_t chunk, bool& removed) {
    std::size_t i = 0;
    while (i < list_.size()) {
      const std::size_t end = std::min(list_.size(), i + chunk);
      std::vector<T> candidate;
      candidate.reserve(list_.size() - (end - i));
      candidate.insert(candidate.end(), list_.begin(), list_.begin() + static_cast<std::ptrdiff_t>(i));
      candidate.insert(candidate.end(), list_.begin() + static_cast<std::ptrdiff_t>(end), list_.end());
      bool accepted = false;
      if (!try_candidate(candidate, accepted)) return false;
      if (accepted) {
        removed = true;
      } else {
        i = end;
      }
    }
    return true;
  }

  bool remove_chunks(std::size_t chunk) {
    while (chunk > 1 && !list_.empty()) {
      bool removed = false;
      if (!remove_pass(chunk, removed)) return false;
      chunk = (chunk + 1) / 2;
    }
    bool removed = false;
    return remove_singles(removed);
  }

  // Single removals until none still fails: the list is then 1-minimal.
  bool remove_singles(bool& removed_any) {
    bool removed = true;
    while (removed && !list_.empty()) {
      removed = false;
      if (!remove_pass(1, removed)) return false;
      removed_any = removed_any || removed;
    }
    return true;
  }

  bool simplify_all(bool& changed) {
    for (std::size_t i = 0; i < list_.size(); ++i) {
      bool simplified = true;
      while (simplified) {
        simplified = false;
        for (T& value : simpler_(list_[i])) {
          std::vector<T> candidate = list_;
          candidate[i] = std::move(value);
          if (!try_candidate(candidate, simplified)) return false;
          if (simplified) break;
        }
        changed = changed || simplified;
      }
    }
    return true;
  }

  std::vector<T> list_;
  const Predicate& still_fails_;
  const Simpler& simpler_;
  ShrinkLimits limits_;
  int runs_ = 0;
};

}  // namespace shrink_detail

// The smallest failing list found from `failing` (which must fail); see the
// contract above. `simpler` may return nothing for an element.
template <class T>
ShrinkOutcome<T> shrink_list(std::vector<T> failing,
                             const std::type_identity_t<std::function<bool(const std::vector<T>&)>>& still_fails,
                             const std::type_identity_t<std::function<std::vector<T>(const T&)>>& simpler,
                             ShrinkLimits limits = {}) {
  return shrink_detail::ListShrinker<T>(std::move(failing), still_fails, simpler, limits).run();
}

// Removal only: no element is simplified.
template <class T>
ShrinkOutcome<T> shrink_list(std::vector<T> failing,
                             const std::type_identity_t<std::function<bool(const std::vector<T>&)>>& still_fails,
                             ShrinkLimits limits = {}) {
  const std::function<std::vector<T>(const T&)> none = [](const T&) { return std::vector<T>{}; };
  return shrink_list<T>(std::move(failing), still_fails, none, limits);
}

}  // namespace weir::replay
