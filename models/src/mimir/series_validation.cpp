#include "weir/models/mimir/series_validation.h"

#include <algorithm>

#include <fmt/format.h>

#include "go_format.h"

namespace weir::models::mimir {
namespace {

constexpr std::string_view kMetricNameLabel = "__name__";
constexpr std::size_t kMessageRunes = 200;  // Mimir formats names and series with %.200s

// globalerror.ID.Message and MessageWithPerTenantLimitConfig.
std::string with_id(const std::string& message, std::string_view id) {
  return fmt::format("{} (err-mimir-{})", message, id);
}
std::string with_id_and_flag(const std::string& message, std::string_view id, std::string_view flag) {
  return fmt::format(
      "{} (err-mimir-{}). To adjust the related per-tenant limit, configure -{}, or contact your service "
      "administrator.",
      message, id, flag);
}

std::string_view cut(std::string_view text) { return go::truncate_runes(text, kMessageRunes); }

const prometheus::Label* find_label(const prometheus::TimeSeries& series, std::string_view name) {
  for (const prometheus::Label& label : series.labels()) {
    if (label.name() == name) return &label;
  }
  return nullptr;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// validate.go removeNonASCIIChars.
std::string remove_non_ascii(std::string_view text) {
  std::string out;
  bool removed = false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x80) {
      out.push_back(c);
    } else {
      removed = true;
    }
  }
  if (removed) out += " (non-ascii characters removed)";
  return out;
}

std::optional<std::string> too_many_labels(const prometheus::TimeSeries& series, std::string_view metric,
                                           const TenantLimits& limits) {
  const int count = series.labels_size();
  const bool info = ends_with(metric, "_info");
  const int limit = info ? std::max(limits.max_label_names_per_info_series, limits.max_label_names_per_series)
                         : limits.max_label_names_per_series;
  if (count <= limit) return std::nullopt;
  const std::string all = labels_string(series.labels());
  const std::string_view ellipsis = go::truncate_runes(all, kMessageRunes).size() < all.size() ? "\u2026" : "";
  if (info) {
    return with_id_and_flag(fmt::format("received an info series whose number of labels exceeds the limit "
                                        "(actual: {}, limit: {}) series: '{}{}'",
                                        count, limit, cut(all), ellipsis),
                            "max-label-names-per-info-series", "validation.max-label-names-per-info-series");
  }
  return with_id_and_flag(fmt::format("received a series whose number of labels exceeds the limit "
                                      "(actual: {}, limit: {}) series: '{}{}'",
                                      count, limit, cut(all), ellipsis),
                          "max-label-names-per-series", "validation.max-label-names-per-series");
}

std::optional<std::string> invalid_label(const prometheus::TimeSeries& series, const TenantLimits& limits) {
  std::string_view last_name;
  for (const prometheus::Label& label : series.labels()) {
    if (!is_valid_label_name(label.name())) {
      return with_id(fmt::format("received a series with an invalid label: '{}' series: '{}'", cut(label.name()),
                                 cut(labels_string(series.labels()))),
                     "label-invalid");
    }
    if (label.name().size() > static_cast<std::size_t>(limits.max_label_name_length)) {
      return with_id_and_flag(fmt::format("received a series whose label name length exceeds the limit, label: "
                                          "'{}' series: '{}'",
                                          cut(label.name()), cut(labels_string(series.labels()))),
                              "label-name-too-long", "validation.max-length-label-name");
    }
    if (label.value().size() > static_cast<std::size_t>(limits.max_label_value_length)) {
      return with_id_and_flag(fmt::format("received a series whose label value length exceeds the limit, label: "
                                          "'{}', value: '{}' (truncated) series: '{}'",
                                          label.name(), cut(label.value()), cut(labels_string(series.labels()))),
                              "label-value-too-long", "validation.max-length-label-value");
    }
    if (label.name() == last_name) {
      return with_id(fmt::format("received a series with duplicate label name, label: '{}' series: '{}'",
                                 cut(label.name()), cut(labels_string(series.labels()))),
                     "duplicate-label-names");
    }
    last_name = label.name();
  }
  return std::nullopt;
}

std::optional<std::string> invalid_sample(const prometheus::TimeSeries& series, std::string_view metric,
                                          const TenantLimits& limits, properties::TimestampMs now_ms) {
  const std::int64_t newest_ms = now_ms + limits.creation_grace_period.ns() / 1'000'000;
  const std::int64_t past_ms = limits.past_grace_period.ns() / 1'000'000;
  for (const prometheus::Sample& sample : series.samples()) {
    if (sample.timestamp() > newest_ms) {
      return with_id_and_flag(fmt::format("received a sample whose timestamp is too far in the future, "
                                          "timestamp: {} series: '{}'",
                                          sample.timestamp(), cut(metric)),
                              "too-far-in-future", "validation.create-grace-period");
    }
    if (past_ms > 0 && sample.timestamp() < now_ms - past_ms) {
      return with_id_and_flag(fmt::format("received a sample whose timestamp is too far in the past, "
                                          "timestamp: {} series: '{}'",
                                          sample.timestamp(), cut(metric)),
                              "too-far-in-past", "validation.past-grace-period");
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string labels_string(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  return go::labels_string(labels);
}

bool prepare_series(prometheus::TimeSeries& series) {
  auto* labels = series.mutable_labels();
  labels->erase(std::remove_if(labels->begin(), labels->end(),
                               [](const prometheus::Label& l) { return l.value().empty(); }),
                labels->end());
  if (labels->empty()) return false;
  std::stable_sort(labels->begin(), labels->end(),
                   [](const prometheus::Label& a, const prometheus::Label& b) { return a.name() < b.name(); });
  series.clear_exemplars();
  return true;
}

std::optional<std::string> validate_series(const prometheus::TimeSeries& series, const TenantLimits& limits,
                                           properties::TimestampMs now_ms) {
  const prometheus::Label* name = find_label(series, kMetricNameLabel);
  if (name == nullptr) return with_id("received series has no metric name", "missing-metric-name");
  if (!is_valid_metric_name(name->value())) {
    return with_id(fmt::format("received a series with invalid metric name: '{}'",
                               cut(remove_non_ascii(name->value()))),
                   "metric-name-invalid");
  }
  if (auto error = too_many_labels(series, name->value(), limits)) return error;
  if (auto error = invalid_label(series, limits)) return error;
  return invalid_sample(series, name->value(), limits, now_ms);
}

std::optional<std::string> validate_metadata(prometheus::MetricMetadata& metadata, const TenantLimits& limits) {
  if (metadata.metric_family_name().empty()) {
    return with_id("received a metric metadata with no metric name", "metadata-missing-metric-name");
  }
  const auto max = static_cast<std::size_t>(limits.max_metadata_length);
  if (metadata.help().size() > max) {
    // Cut at the last rune boundary at or below the limit, as cleanAndValidateMetadata does.
    std::size_t keep = 0;
    for (std::size_t i = 0; i < metadata.help().size() && i <= max; ++i) {
      if ((static_cast<unsigned char>(metadata.help()[i]) & 0xC0U) != 0x80U) keep = i;
    }
    metadata.mutable_help()->resize(keep);
  }
  if (metadata.metric_family_name().size() > max) {
    return with_id_and_flag(fmt::format("received a metric metadata whose metric name length exceeds the limit, "
                                        "metric name: '{}'",
                                        cut(metadata.metric_family_name())),
                            "metric-name-too-long", "validation.max-metadata-length");
  }
  if (metadata.unit().size() > max) {
    return with_id_and_flag(fmt::format("received a metric metadata whose unit name length exceeds the limit, "
                                        "unit: '{}' metric name: '{}'",
                                        cut(metadata.unit()), cut(metadata.metric_family_name())),
                            "unit-too-long", "validation.max-metadata-length");
  }
  return std::nullopt;
}

}  // namespace weir::models::mimir
