// DecodeError and DecodeResult<T>: how weir's decoders report bad input.
//
// Contract: a decoder never throws for malformed input and never crashes; it
// returns a DecodeResult that holds either the decoded value or a DecodeError
// whose message is one line naming the problem, e.g. "snappy: corrupt block"
// or "protobuf: truncated WriteRequest: ...". value() on an error and error()
// on a value are programming errors (they throw std::bad_variant_access).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace weir::models {

struct DecodeError {
  std::string message;

  // The same error with "context: " in front (e.g. the file it came from).
  [[nodiscard]] DecodeError in(std::string_view context) const {
    return DecodeError{std::string(context) + ": " + message};
  }
};

template <class T>
class [[nodiscard]] DecodeResult {
 public:
  DecodeResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  DecodeResult(DecodeError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const DecodeError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, DecodeError> state_;
};

}  // namespace weir::models
