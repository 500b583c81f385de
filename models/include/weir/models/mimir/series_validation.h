// The per-series checks and clean-ups of Mimir's distributor push path
// (pkg/distributor/distributor.go prePushSortAndFilterMiddleware and
// prePushValidationMiddleware; pkg/distributor/validate.go validateLabels,
// validateSample, cleanAndValidateMetadata).
//
// prepare_series runs first: it removes labels with an empty value
// (Prometheus drops them too) and sorts the labels by name. A series left with
// no label is dropped silently. Unsorted labels are therefore never an error.
// validate_series then checks, in Mimir's order: a metric name is present and
// valid; the label count is within the limit (the info limit for "*_info"
// metrics); then for each label: a valid name (legacy Prometheus charset
// [a-zA-Z_][a-zA-Z0-9_]*, as Mimir forces model.LegacyValidation; the empty
// name is invalid), the name length, the value length, no duplicate name; and
// finally every sample's timestamp against the grace periods. The first
// finding rejects the whole series, with Mimir's message (its err-mimir id
// and, for per-tenant limits, the flag to change). Exemplars are removed:
// Mimir does so while -ingester.max-global-exemplars-per-user is 0, its
// default.
//
// Contract: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "weir/models/mimir/tenant_limits.h"
#include "weir/models/proto/remote_write.pb.h"
#include "weir/properties/types.h"

namespace weir::models::mimir {

// Drops empty-valued labels, sorts the rest by name and clears exemplars;
// false when no label is left (the caller drops the series).
bool prepare_series(prometheus::TimeSeries& series);

// Mimir's message for the first problem of a prepared series, or nothing.
std::optional<std::string> validate_series(const prometheus::TimeSeries& series, const TenantLimits& limits,
                                           properties::TimestampMs now_ms);

// Truncates an over-long help text in place; Mimir's message when the entry
// must be dropped (no metric family name, or a name or unit over the limit).
std::optional<std::string> validate_metadata(prometheus::MetricMetadata& metadata, const TenantLimits& limits);

bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

// The label set as Prometheus prints it: {__name__="up", job="node"}.
std::string labels_string(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels);

}  // namespace weir::models::mimir
