#include "violation_json.h"

#include <string>

#include <fmt/format.h>

namespace weir::scenarios::detail {
namespace {

std::string hex(std::uint64_t digest) { return fmt::format("{:#018x}", digest); }
std::uint64_t from_hex(const nlohmann::json& j) { return std::stoull(j.get<std::string>(), nullptr, 16); }

template <typename T>
void put(nlohmann::json& j, const char* name, const std::optional<T>& value) {
  if (value) j[name] = *value;
}

template <typename T>
void get(const nlohmann::json& j, const char* name, std::optional<T>& value) {
  if (j.contains(name)) value = j.at(name).get<T>();
}

nlohmann::json evidence_json(const properties::Evidence& e) {
  nlohmann::json j = nlohmann::json::object();
  put(j, "write", e.write);
  put(j, "read", e.read);
  if (e.series) j["series"] = hex(*e.series);
  put(j, "sample_ts_ms", e.sample_ts_ms);
  put(j, "partition", e.partition);
  put(j, "offset", e.offset);
  if (!e.records.empty()) {
    nlohmann::json records = nlohmann::json::array();
    for (const auto record : e.records) records.push_back(hex(record));
    j["records"] = records;
  }
  if (!e.zones.empty()) j["zones"] = e.zones;
  put(j, "from_ns", e.from_ns);
  put(j, "to_ns", e.to_ns);
  return j;
}

properties::Evidence evidence_from_json(const nlohmann::json& j) {
  properties::Evidence e;
  get(j, "write", e.write);
  get(j, "read", e.read);
  if (j.contains("series")) e.series = from_hex(j.at("series"));
  get(j, "sample_ts_ms", e.sample_ts_ms);
  get(j, "partition", e.partition);
  get(j, "offset", e.offset);
  if (j.contains("records")) {
    for (const auto& record : j.at("records")) e.records.push_back(from_hex(record));
  }
  if (j.contains("zones")) e.zones = j.at("zones").get<std::vector<std::string>>();
  get(j, "from_ns", e.from_ns);
  get(j, "to_ns", e.to_ns);
  return e;
}

}  // namespace

nlohmann::json violation_json(const properties::Violation& violation) {
  nlohmann::json j = {{"property", violation.property}, {"message", violation.message}};
  if (!violation.evidence.empty()) j["evidence"] = evidence_json(violation.evidence);
  return j;
}

properties::Violation violation_from_json(const nlohmann::json& j) {
  properties::Violation v{j.at("property").get<std::string>(), j.at("message").get<std::string>()};
  if (j.contains("evidence")) v.evidence = evidence_from_json(j.at("evidence"));
  return v;
}

}  // namespace weir::scenarios::detail
