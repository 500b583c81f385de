// The JUnit report of a sweep: well-formed, one testcase per seed, failures
// with their violations and the reproduction line; written atomically.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "weir/scenarios/junit.h"

using namespace weir::scenarios;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::vector<RunResult> three_seeds() {
  std::vector<RunResult> results(3);
  for (std::uint64_t i = 0; i < 3; ++i) {
    results[i].scenario = "demo";
    results[i].seed = 10 + i;
    results[i].wall_seconds = 0.5;
  }
  results[1].violations.push_back({"no_acked_sample_lost", "sample <a & b> lost"});
  results[1].faults.push_back("t=1.0s broker_crash kafka-broker-0 for 2.0s");
  results[2].simulator_error = "livelock";
  return results;
}

}  // namespace

TEST_CASE("junit: one testcase per seed, failures carry violations and the reproduction line", "[junit]") {
  const std::string xml = to_junit("demo", three_seeds(), SweepSummary{});
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  CHECK(count_of(xml, "<testcase ") == 3);
  CHECK(count_of(xml, "<failure ") == 2);
  CHECK(count_of(xml, "</failure>") == 2);
  CHECK(count_of(xml, "</testcase>") == 2);  // the passing one is self-closing
  CHECK(xml.find("tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(xml.find("name=\"seed 10\" time=\"0.500\"/>") != std::string::npos);
  CHECK(xml.find("type=\"safety\" message=\"safety violated: no_acked_sample_lost\"") != std::string::npos);
  CHECK(xml.find("sample &lt;a &amp; b&gt; lost") != std::string::npos);
  CHECK(xml.find("<a & b>") == std::string::npos);
  CHECK(xml.find("reproduce: weir run --scenario demo --seed 11") != std::string::npos);
  CHECK(xml.find("fault t=1.0s broker_crash kafka-broker-0 for 2.0s") != std::string::npos);
  CHECK(xml.find("type=\"simulator\" message=\"simulator: livelock\"") != std::string::npos);
  CHECK(xml.substr(xml.size() - 29) == "  </testsuite>\n</testsuites>\n");
}

TEST_CASE("junit: the report is written whole, through a temporary file", "[junit]") {
  const std::string path = "weir-junit-test.xml";
  std::remove(path.c_str());
  CHECK_FALSE(write_file_atomically(path, "<a/>\n"));
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  CHECK(contents.str() == "<a/>\n");
  CHECK_FALSE(std::ifstream(path + ".tmp").good());
  std::remove(path.c_str());
  CHECK(write_file_atomically("/nonexistent-dir/report.xml", "x").value().find("cannot write") == 0);
}
