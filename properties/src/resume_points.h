// Private: where a restarted ingester may resume, given what it committed.
//
// Contract: fed one (zone, partition)'s commit attempts, confirmed commits
// and restarts in history order. The log may or may not have stored each
// commit request whose answer never came, and a restart reads the newest
// stored commit; so the legal resume points are the last confirmed commit
// + 1 (the log start offset when nothing is confirmed and the start is
// known) and, for every unconfirmed attempt newer than it, that offset + 1.
// judge() compares a resume offset with them: below all of them re-applies
// committed records; above all of them, or between two of them, skips
// records (the log kept the lower commit: the safe reading to report).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weir/properties/history.h"

namespace weir::properties::detail {

class ResumePoints {
 public:
  enum class Verdict { unknown, exact, skips, reapplies };
  struct Judgement {
    Verdict verdict = Verdict::unknown;
    Offset first = 0;  // the offsets skipped or re-applied, inclusive
    Offset last = 0;
  };

  explicit ResumePoints(std::optional<Offset> log_start) : log_start_(log_start) {}

  void attempted(const IngesterEvent& event);
  void confirmed(const IngesterEvent& event);
  // A restart resumed at `offset`: when that follows an unconfirmed attempt,
  // the log evidently stored it, so it becomes the confirmed commit.
  void resumed(const IngesterEvent& restart);

  Judgement judge(Offset resumed) const;
  // "5 or 8"
  std::string expected() const;
  // "committed offset 4 at 2s + 1; unconfirmed commit of offset 7 at 3s + 1"
  std::string why() const;

 private:
  struct Commit {
    Offset offset = 0;
    SimTime at = 0;
    bool by_restart = false;  // inferred from where a restart resumed
  };
  std::vector<Offset> points() const;  // sorted, unique

  std::optional<Offset> log_start_;
  std::optional<Commit> committed_;
  std::map<Offset, SimTime> unconfirmed_;  // attempts newer than committed_, first time sent
};

}  // namespace weir::properties::detail
