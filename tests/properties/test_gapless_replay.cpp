#include <catch2/catch.hpp>

#include "history_builders.h"

using namespace weir::properties;
using namespace weir::properties::testing;
using Catch::Contains;

namespace {

const CheckOptions options;

std::vector<Violation> check(const History& history) {
  return check_gapless_replay(history, options).violations;
}

void apply(History& history, std::string_view zone, Offset first, Offset last, SimTime at) {
  for (Offset o = first; o <= last; ++o) history.record_applied(zone, 0, o, 100 + static_cast<RecordDigest>(o), at);
}

}  // namespace

TEST_CASE("gapless: replay across restarts that covers the log passes", "[gapless]") {
  History history;
  history.record_log_bounds(0, 0, 10);
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 5, secs(1));
  history.record_committed("zone-a", 0, 3, secs(2));
  // Crash: 4 and 5 were not committed, so they are consumed again.
  history.record_restarted("zone-a", 0, secs(3), 4);
  apply(history, "zone-a", 4, 9, secs(4));
  history.record_committed("zone-a", 0, 9, secs(5));
  apply(history, "zone-b", 0, 9, secs(1));  // never restarted
  INFO(describe(check(history)));
  CHECK(check(history).empty());
}

TEST_CASE("gapless: a restart that does not resume at committed + 1 fails", "[gapless]") {
  History history;
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 4, secs(1));
  history.record_committed("zone-a", 0, 4, secs(2));
  history.record_restarted("zone-a", 0, secs(3), 7);
  apply(history, "zone-a", 7, 8, secs(4));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "gapless_replay");
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0"));
  CHECK_THAT(violations[0].message, Contains("restart at 3s resumed at offset 7, expected 5"));
  CHECK_THAT(violations[0].message, Contains("committed offset 4 at 2s"));
}

TEST_CASE("gapless: an ingester with no commit starting at the log end fails (Mimir #16125)",
          "[gapless]") {
  History history;
  history.record_log_bounds(0, 0, 10);
  history.record_restarted("zone-a", 0, secs(1), 6);
  apply(history, "zone-a", 6, 9, secs(2));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 2);
  CHECK_THAT(violations[0].message, Contains("resumed at offset 6, expected 0 (nothing committed: log start offset 0)"));
  CHECK_THAT(violations[1].message, Contains("offsets [0, 5] of the log [0, 10) were never applied"));
}

TEST_CASE("gapless: skipping offsets within one run fails (Mimir #9963)", "[gapless]") {
  History history;
  history.record_restarted("zone-b", 0, secs(1), 0);
  apply(history, "zone-b", 0, 2, secs(2));
  apply(history, "zone-b", 5, 6, secs(3));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].property == "gapless_replay");
  CHECK_THAT(violations[0].message, Contains("zone zone-b partition 0: applied offset 5 at 3s, skipping offsets [3, 4]"));
  CHECK_THAT(violations[0].message, Contains("since the restart at 1s"));
  const Evidence& e = violations[0].evidence;
  CHECK(e.zones == std::vector<std::string>{"zone-b"});
  CHECK(e.partition == 0);
  CHECK(e.offset == 3);  // the first offset skipped
  CHECK(e.from_ns == secs(1));
  CHECK(e.to_ns == secs(3));
}

TEST_CASE("gapless: committed offsets that go backwards fail", "[gapless]") {
  History history;
  apply(history, "zone-a", 0, 5, secs(1));
  history.record_committed("zone-a", 0, 5, secs(2));
  history.record_committed("zone-a", 0, 3, secs(3));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("committed offset 3 at 3s after committing offset 5 at 2s (went backwards)"));
}

TEST_CASE("gapless: committing an offset not yet applied fails", "[gapless]") {
  History history;
  apply(history, "zone-a", 0, 2, secs(1));
  history.record_committed("zone-a", 0, 4, secs(2));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("committed offset 4 at 2s before applying it (highest applied: 2)"));
}

TEST_CASE("gapless: applied offsets that stop short of the log end fail", "[gapless]") {
  History history;
  history.record_log_bounds(0, 2, 10);
  apply(history, "zone-a", 2, 5, secs(1));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("offsets [6, 9] of the log [2, 10) were never applied"));
}

TEST_CASE("gapless: an ingester zone that applied nothing of a partition fails", "[gapless]") {
  History history;
  history.record_log_bounds(0, 0, 3);
  history.record_log_bounds(1, 0, 1);
  apply(history, "zone-a", 0, 2, secs(1));
  history.record_applied("zone-a", 1, 0, 7, secs(1));
  history.record_applied("zone-b", 1, 0, 7, secs(1));
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-b partition 0: offsets [0, 2] of the log [0, 3) were never applied"));
}

TEST_CASE("gapless: an unconfirmed commit is ambiguous: resuming after it or after the last commit both pass",
          "[gapless]") {
  for (Offset resumed_at : {4, 8}) {
    History history;
    history.record_log_bounds(0, 0, 10);
    history.record_restarted("zone-a", 0, secs(0), 0);
    apply(history, "zone-a", 0, 7, secs(1));
    history.record_committed("zone-a", 0, 3, secs(2));
    history.record_commit_attempted("zone-a", 0, 7, secs(3));  // no answer; the log may hold it
    history.record_restarted("zone-a", 0, secs(4), resumed_at);
    apply(history, "zone-a", resumed_at, 9, secs(5));
    INFO("resumed at " << resumed_at << ": " << describe(check(history)));
    CHECK(check(history).empty());
  }
}

TEST_CASE("gapless: a resume past both the last commit and the unconfirmed one fails", "[gapless]") {
  History history;
  history.record_log_bounds(0, 0, 12);
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 7, secs(1));
  history.record_committed("zone-a", 0, 3, secs(2));
  history.record_commit_attempted("zone-a", 0, 7, secs(3));
  history.record_restarted("zone-a", 0, secs(4), 10);
  apply(history, "zone-a", 10, 11, secs(5));
  const auto violations = check(history);
  REQUIRE_FALSE(violations.empty());
  CHECK_THAT(violations.front().message, Contains("resumed at offset 10, expected 4"));
}

namespace {

std::vector<Violation> check_exact(const History& history) {
  return check_exact_resume(history, options).violations;
}

// Applied 0..7, committed 3, then two commit attempts (5 and 7) never confirmed.
History two_unconfirmed_commits() {
  History history;
  history.record_log_bounds(0, 0, 12);
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 7, secs(1));
  history.record_committed("zone-a", 0, 3, secs(2));
  history.record_commit_attempted("zone-a", 0, 5, secs(3));
  history.record_commit_attempted("zone-a", 0, 7, secs(4));
  return history;
}

}  // namespace

TEST_CASE("gapless: resuming after an unconfirmed commit older than the newest attempt passes", "[gapless][exact_resume]") {
  for (Offset resumed_at : {4, 6, 8}) {
    History history = two_unconfirmed_commits();
    history.record_restarted("zone-a", 0, secs(5), resumed_at);
    apply(history, "zone-a", resumed_at, 11, secs(6));
    INFO("resumed at " << resumed_at << ": " << describe(check(history)) << describe(check_exact(history)));
    CHECK(check(history).empty());
    CHECK(check_exact(history).empty());
  }
}

TEST_CASE("gapless: resuming between two unconfirmed commits skips offsets", "[gapless][exact_resume]") {
  History history = two_unconfirmed_commits();
  history.record_restarted("zone-a", 0, secs(5), 7);
  apply(history, "zone-a", 7, 11, secs(6));
  const auto violations = check(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("restart at 5s resumed at offset 7, expected 4 or 6 or 8"));
  CHECK_THAT(violations[0].message, Contains("unconfirmed commit of offset 5 at 3s + 1"));
  CHECK_THAT(violations[0].message, Contains("skips offsets 6"));
  CHECK(check_exact(history).empty());
}

TEST_CASE("gapless: resuming past committed + 1 fails as gapless replay, not exact resume",
          "[gapless][exact_resume]") {
  History history;
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 4, secs(1));
  history.record_committed("zone-a", 0, 4, secs(2));
  history.record_restarted("zone-a", 0, secs(3), 7);
  const auto violations = check(history);
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("zone zone-a partition 0: restart at 3s resumed at offset 7, expected 5"));
  CHECK_THAT(violations[0].message, Contains("skips offsets [5, 6]"));
  CHECK(check_exact(history).empty());
}

TEST_CASE("exact_resume: resuming before committed + 1 fails as exact resume, not gapless replay",
          "[gapless][exact_resume]") {
  History history;
  history.record_log_bounds(0, 0, 5);
  history.record_restarted("zone-a", 0, secs(0), 0);
  apply(history, "zone-a", 0, 4, secs(1));
  history.record_committed("zone-a", 0, 4, secs(2));
  history.record_restarted("zone-a", 0, secs(3), 2);
  apply(history, "zone-a", 2, 4, secs(4));
  INFO(describe(check(history)));
  CHECK(check(history).empty());
  const PropertyResult exact = check_exact_resume(history, options);
  REQUIRE(exact.violations.size() == 1);
  CHECK(exact.violations[0].property == "exact_resume");
  CHECK(property_kind(exact.violations[0].property) == PropertyKind::safety);
  CHECK_THAT(exact.violations[0].message, Contains("zone zone-a partition 0: restart at 3s resumed at offset 2, expected 5 (committed offset 4 at 2s + 1)"));
  CHECK_THAT(exact.violations[0].message, Contains("re-applies committed offsets [2, 4]"));
  CHECK(exact.judged == 2);  // the first start (against the log start) and the restart
}

TEST_CASE("exact_resume: a restart after resuming past an unconfirmed commit may resume there again",
          "[exact_resume]") {
  History history = two_unconfirmed_commits();
  history.record_restarted("zone-a", 0, secs(5), 8);  // the log kept the commit of 7
  history.record_restarted("zone-a", 0, secs(6), 8);  // crashed again before committing
  apply(history, "zone-a", 8, 11, secs(7));
  INFO(describe(check(history)) << describe(check_exact(history)));
  CHECK(check(history).empty());
  CHECK(check_exact(history).empty());
}

TEST_CASE("exact_resume: without a commit or known log start, resuming low is not judged", "[exact_resume]") {
  History history;
  history.record_commit_attempted("zone-a", 0, 5, secs(1));
  history.record_restarted("zone-a", 0, secs(2), 0);
  const PropertyResult exact = check_exact_resume(history, options);
  CHECK(exact.violations.empty());
  CHECK(exact.judged == 0);
}

TEST_CASE("exact_resume: once a restart showed the log kept an unconfirmed commit, resuming before it fails",
          "[exact_resume]") {
  History history = two_unconfirmed_commits();
  history.record_restarted("zone-a", 0, secs(5), 8);  // the log kept the commit of 7
  history.record_restarted("zone-a", 0, secs(6), 4);  // back to the confirmed commit of 3
  apply(history, "zone-a", 4, 11, secs(7));
  const auto violations = check_exact(history);
  INFO(describe(violations));
  REQUIRE(violations.size() == 1);
  CHECK_THAT(violations[0].message, Contains("restart at 6s resumed at offset 4, expected 8"));
  CHECK_THAT(violations[0].message, Contains("commit of offset 7 kept by the log (a restart at 5s resumed after it) + 1"));
  CHECK_THAT(violations[0].message, Contains("re-applies committed offsets [4, 7]"));
  CHECK(check(history).empty());
}
