// Private: the legal resume points of a restarted ingester.
#include "resume_points.h"

#include <algorithm>

#include <fmt/format.h>

#include "format.h"

namespace weir::properties::detail {

void ResumePoints::attempted(const IngesterEvent& event) {
  if (committed_ && event.offset <= committed_->offset) return;
  unconfirmed_.emplace(event.offset, event.at);
}

void ResumePoints::confirmed(const IngesterEvent& event) {
  committed_ = Commit{event.offset, event.at, false};
  unconfirmed_.erase(unconfirmed_.begin(), unconfirmed_.upper_bound(event.offset));
}

void ResumePoints::resumed(const IngesterEvent& restart) {
  const auto it = unconfirmed_.find(restart.offset - 1);
  if (it == unconfirmed_.end()) return;
  // Attempts newer than it stay unconfirmed: a request still in flight may be stored later.
  committed_ = Commit{it->first, restart.at, true};
  unconfirmed_.erase(unconfirmed_.begin(), std::next(it));
}

std::vector<Offset> ResumePoints::points() const {
  std::vector<Offset> all;
  if (committed_) {
    all.push_back(committed_->offset + 1);
  } else if (log_start_) {
    all.push_back(*log_start_);
  }
  for (const auto& [offset, at] : unconfirmed_) all.push_back(offset + 1);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

ResumePoints::Judgement ResumePoints::judge(Offset resumed) const {
  const std::vector<Offset> all = points();
  if (all.empty()) return {};
  if (std::binary_search(all.begin(), all.end(), resumed)) return {Verdict::exact, resumed, resumed};
  const bool floor_known = committed_ || log_start_;
  if (resumed < all.front()) {
    // Without a commit or a known log start, resuming low may be the log start.
    if (!floor_known) return {};
    return {Verdict::reapplies, resumed, all.front() - 1};
  }
  const auto above = std::upper_bound(all.begin(), all.end(), resumed);
  return {Verdict::skips, *std::prev(above), resumed - 1};
}

std::string ResumePoints::expected() const {
  std::string text;
  for (const Offset point : points()) text += fmt::format("{}{}", text.empty() ? "" : " or ", point);
  return text;
}

std::string ResumePoints::why() const {
  std::string text;
  if (committed_) {
    text = committed_->by_restart
               ? fmt::format("commit of offset {} kept by the log (a restart at {} resumed after it) + 1",
                             committed_->offset, format_time(committed_->at))
               : fmt::format("committed offset {} at {} + 1", committed_->offset, format_time(committed_->at));
  } else if (log_start_) {
    text = fmt::format("nothing committed: log start offset {}", *log_start_);
  } else {
    text = "nothing committed";
  }
  for (const auto& [offset, at] : unconfirmed_) {
    text += fmt::format("; unconfirmed commit of offset {} at {} + 1", offset, format_time(at));
  }
  return text;
}

}  // namespace weir::properties::detail
