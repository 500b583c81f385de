// SharedBytes: copies of a record share its value's bytes, and replacing one
// copy's value leaves the others as they were.
#include <catch2/catch.hpp>

#include <string>

#include "weir/models/kafka/protocol.h"

using weir::models::kafka::Record;
using weir::models::kafka::SharedBytes;

TEST_CASE("shared bytes: copies of a record share one value buffer", "[kafka][shared_bytes]") {
  Record written;
  written.value = std::string(1000, 'x');
  const Record replica = written;
  const Record fetched = replica;
  CHECK(fetched.value.data() == written.value.data());
  CHECK(fetched.value == std::string(1000, 'x'));
  CHECK(fetched.digest() == written.digest());
}

TEST_CASE("shared bytes: assigning a value replaces it for that copy only", "[kafka][shared_bytes]") {
  SharedBytes original = "abc";
  SharedBytes copy = original;
  copy = std::string("xyz");
  CHECK(original == "abc");
  CHECK(copy == "xyz");
  CHECK(original.data() != copy.data());
}

TEST_CASE("shared bytes: an empty value reads as an empty string", "[kafka][shared_bytes]") {
  const SharedBytes none;
  CHECK(none.empty());
  CHECK(none.size() == 0);
  CHECK(none == "");
  CHECK(none.str().empty());
}

TEST_CASE("a shared value's digest is its bytes' digest, for every copy", "[shared_bytes]") {
  const SharedBytes original = std::string("some record bytes");
  const SharedBytes copy = original;
  CHECK(original.digest() == weir::sim::fnv1a64("some record bytes"));
  CHECK(copy.digest() == original.digest());
  CHECK(SharedBytes().digest() == weir::sim::fnv1a64(""));
  SharedBytes replaced = original;
  replaced = std::string("other bytes");
  CHECK(replaced.digest() == weir::sim::fnv1a64("other bytes"));
  CHECK(original.digest() == weir::sim::fnv1a64("some record bytes"));
}
