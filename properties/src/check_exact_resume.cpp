// Property 9: a restart resumes exactly after the last committed offset.
// Judged by the walk gapless replay shares (replay_walk.h): the restart that
// resumes too early and the one that resumes too late are found together.
#include "weir/properties/checks/check_exact_resume.h"

#include "replay_walk.h"

namespace weir::properties {

PropertyResult check_exact_resume(const History& history, const CheckOptions& options) {
  return detail::walk_replay(history, options).exact_resume;
}

}  // namespace weir::properties
