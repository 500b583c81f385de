#include "weir/scenarios/junit.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace weir::scenarios {
namespace {

// Escapes the five XML specials and drops the control characters XML 1.0
// does not allow (all below 0x20 but tab, newline and carriage return).
std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out.push_back(c);
    }
  }
  return out;
}

const char* failure_type(const RunResult& r) {
  switch (r.exit_code()) {
    case exit_code::safety_failed: return "safety";
    case exit_code::liveness_failed: return "liveness";
    case exit_code::expected_failure_missing: return "expected_failure";
    default: return "simulator";
  }
}

std::string failure_message(const RunResult& r) {
  if (!r.simulator_error.empty()) return "simulator: " + r.simulator_error;
  if (!r.nondeterminism.empty()) return "nondeterministic: " + r.nondeterminism;
  if (r.exit_code() == exit_code::expected_failure_missing) {
    return "passed, but the scenario expects " + r.expected.describe();
  }
  std::string properties;
  for (const auto& v : r.violations) {
    if (properties.find(v.property) != std::string::npos) continue;
    if (!properties.empty()) properties.append(", ");
    properties.append(v.property);
  }
  return fmt::format("{} violated: {}", failure_type(r), properties);
}

std::string failure_body(const RunResult& r) {
  std::string body;
  if (!r.simulator_error.empty()) body += fmt::format("simulator error: {}\n", r.simulator_error);
  if (!r.nondeterminism.empty()) body += fmt::format("nondeterministic: {}\n", r.nondeterminism);
  for (const auto& v : r.violations) body += fmt::format("violation {}: {}\n", v.property, v.message);
  for (const auto& fault : r.faults) body += fmt::format("fault {}\n", fault);
  body += fmt::format("trace_hash {:016x}\nreproduce: {}\n", r.trace_hash, r.reproduce_command());
  return body;
}

std::string testcase(const std::string& scenario, const RunResult& r) {
  std::string out = fmt::format("    <testcase classname=\"weir.{}\" name=\"seed {}\" time=\"{:.3f}\"",
                                xml_escape(scenario), r.seed, r.wall_seconds);
  if (r.exit_code() == exit_code::ok) return out + "/>\n";
  out += fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n", failure_type(r),
                     xml_escape(failure_message(r)), xml_escape(failure_body(r)));
  return out;
}

}  // namespace

std::string to_junit(const std::string& scenario, const std::vector<RunResult>& results,
                     const SweepSummary& summary) {
  std::size_t failures = 0;
  for (const auto& r : results) failures += r.exit_code() == exit_code::ok ? 0 : 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"weir sweep\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     results.size(), failures, summary.wall_seconds);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
                     xml_escape(scenario), results.size(), failures, summary.wall_seconds);
  for (const auto& r : results) out += testcase(scenario, r);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::optional<std::string> write_file_atomically(const std::string& path, const std::string& contents) {
  const std::string tmp = path + ".tmp";
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (file == nullptr) return fmt::format("cannot write {}: {}", tmp, std::strerror(errno));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(tmp.c_str());
    return fmt::format("cannot write {}", tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string error = std::strerror(errno);
    std::remove(tmp.c_str());
    return fmt::format("cannot rename {} to {}: {}", tmp, path, error);
  }
  return std::nullopt;
}

}  // namespace weir::scenarios
