// Umbrella header: the history types, serialization and every checker.
#pragma once

#include "weir/properties/check_all.hpp"
#include "weir/properties/check_options.hpp"
#include "weir/properties/checks/check_bounded_staleness.hpp"
#include "weir/properties/checks/check_gapless_replay.hpp"
#include "weir/properties/checks/check_identical_ordering.hpp"
#include "weir/properties/checks/check_liveness.hpp"
#include "weir/properties/checks/check_no_duplicate_samples.hpp"
#include "weir/properties/checks/check_no_lost_acked_samples.hpp"
#include "weir/properties/checks/check_no_phantom_samples.hpp"
#include "weir/properties/checks/check_read_after_write.hpp"
#include "weir/properties/history.hpp"
#include "weir/properties/sample_value.hpp"
#include "weir/properties/serialization.hpp"
#include "weir/properties/violation.hpp"
