// RapidCheck generators of remote-write 1.0 requests (valid UTF-8 strings,
// every field kind: labels, samples, exemplars, metadata) and a one-byte
// mutation, shared by the tests that decode remote-write bytes.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <string>
#include <vector>

#include "weir/models/proto/remote_write.pb.h"

namespace weir::testing {


inline std::string utf8_encode(const std::vector<std::uint32_t>& code_points) {
  std::string text;
  for (const std::uint32_t cp : code_points) {
    if (cp < 0x80) {
      text += static_cast<char>(cp);
    } else if (cp < 0x800) {
      text += static_cast<char>(0xC0 | (cp >> 6));
      text += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      text += static_cast<char>(0xE0 | (cp >> 12));
      text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      text += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      text += static_cast<char>(0xF0 | (cp >> 18));
      text += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      text += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      text += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return text;
}

// Valid UTF-8 (proto3 strings must be): mostly ASCII, any code point but surrogates.
inline rc::Gen<std::string> gen_text() {
  using rc::gen::inRange;
  const auto code_point = rc::gen::oneOf(inRange<std::uint32_t>(0x20, 0x7F), inRange<std::uint32_t>(0x20, 0x7F),
                                         inRange<std::uint32_t>(0, 0x80), inRange<std::uint32_t>(0x80, 0x800),
                                         inRange<std::uint32_t>(0x800, 0xD800), inRange<std::uint32_t>(0xE000, 0x110000));
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(code_point), utf8_encode);
}

template <class T>
rc::Gen<std::vector<T>> gen_list(rc::Gen<T> gen) {
  return rc::gen::scale(0.25, rc::gen::container<std::vector<T>>(std::move(gen)));
}

inline rc::Gen<prometheus::Label> gen_label() {
  return rc::gen::apply(
      [](const std::string& name, const std::string& value) {
        prometheus::Label label;
        label.set_name(name);
        label.set_value(value);
        return label;
      },
      gen_text(), gen_text());
}

inline rc::Gen<prometheus::Sample> gen_sample() {
  return rc::gen::apply(
      [](double value, std::int64_t timestamp) {
        prometheus::Sample sample;
        sample.set_value(value);
        sample.set_timestamp(timestamp);
        return sample;
      },
      rc::gen::arbitrary<double>(), rc::gen::arbitrary<std::int64_t>());
}

inline rc::Gen<prometheus::Exemplar> gen_exemplar() {
  return rc::gen::apply(
      [](const std::vector<prometheus::Label>& labels, const prometheus::Sample& at) {
        prometheus::Exemplar exemplar;
        for (const auto& label : labels) *exemplar.add_labels() = label;
        exemplar.set_value(at.value());
        exemplar.set_timestamp(at.timestamp());
        return exemplar;
      },
      gen_list(gen_label()), gen_sample());
}

inline rc::Gen<prometheus::TimeSeries> gen_series() {
  return rc::gen::apply(
      [](const std::vector<prometheus::Label>& labels, const std::vector<prometheus::Sample>& samples,
         const std::vector<prometheus::Exemplar>& exemplars) {
        prometheus::TimeSeries series;
        for (const auto& label : labels) *series.add_labels() = label;
        for (const auto& sample : samples) *series.add_samples() = sample;
        for (const auto& exemplar : exemplars) *series.add_exemplars() = exemplar;
        return series;
      },
      gen_list(gen_label()), gen_list(gen_sample()), gen_list(gen_exemplar()));
}

inline rc::Gen<prometheus::MetricMetadata> gen_metadata() {
  return rc::gen::apply(
      [](int type, const std::string& name, const std::string& help, const std::string& unit) {
        prometheus::MetricMetadata metadata;
        metadata.set_type(static_cast<prometheus::MetricMetadata::MetricType>(type));
        metadata.set_metric_family_name(name);
        metadata.set_help(help);
        metadata.set_unit(unit);
        return metadata;
      },
      rc::gen::inRange(0, 8), gen_text(), gen_text(), gen_text());
}

inline rc::Gen<prometheus::WriteRequest> gen_request() {
  return rc::gen::apply(
      [](const std::vector<prometheus::TimeSeries>& series, const std::vector<prometheus::MetricMetadata>& metadata) {
        prometheus::WriteRequest request;
        for (const auto& one : series) *request.add_timeseries() = one;
        for (const auto& one : metadata) *request.add_metadata() = one;
        return request;
      },
      gen_list(gen_series()), gen_list(gen_metadata()));
}

// One random edit: replace, insert or delete a byte, or cut the tail off.
inline std::string mutate(std::string bytes) {
  const auto kind = *rc::gen::inRange(0, 4);
  const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size() + 1);
  const auto byte = *rc::gen::arbitrary<char>();
  if (kind == 0 && at < bytes.size()) bytes[at] = byte;
  if (kind == 1) bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), byte);
  if (kind == 2 && at < bytes.size()) bytes.erase(at, 1);
  if (kind == 3) bytes.resize(at);
  return bytes;
}

}  // namespace weir::testing
