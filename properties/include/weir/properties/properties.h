// Umbrella header: the history types, serialization and every checker.
#pragma once

#include "weir/properties/check_all.h"
#include "weir/properties/check_options.h"
#include "weir/properties/checks/check_bounded_staleness.h"
#include "weir/properties/checks/check_exact_resume.h"
#include "weir/properties/checks/check_gapless_replay.h"
#include "weir/properties/checks/check_identical_ordering.h"
#include "weir/properties/checks/check_liveness.h"
#include "weir/properties/checks/check_no_duplicate_samples.h"
#include "weir/properties/checks/check_no_lost_acked_samples.h"
#include "weir/properties/checks/check_no_phantom_samples.h"
#include "weir/properties/checks/check_read_after_write.h"
#include "weir/properties/history.h"
#include "weir/properties/sample_value.h"
#include "weir/properties/serialization.h"
#include "weir/properties/violation.h"
