// WEIR_ASSERT(condition, format, args...): an invariant of weir's own code,
// checked in every build type.
//
// Models assert their own rules where they could break (a high watermark past
// the log end, an ISR member that is not a replica, a commit past what was
// consumed, a head taking a sample out of order), so that a model defect
// stops the run at its cause rather than surfacing later as a property
// violation far away, or never. A failed assertion throws sim::InvariantError
// naming the file, line, condition and the formatted message; the Simulation
// adds the simulated time and the node (the fiber or callback that raised it)
// and ends the run as a simulator failure: exit 3, with the seed's
// reproduction line, and `sweep` lists the seed.
//
// The message is formatted only on failure, so an assertion costs its
// condition. Use it for what must hold whatever the input and the faults;
// bad input gets an error, not an assertion.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace weir::sim::detail {

[[noreturn]] void invariant_failed(std::string_view file, int line, std::string_view condition, std::string message);

}  // namespace weir::sim::detail

#if !defined(WEIR_ASSERTS) || WEIR_ASSERTS
#define WEIR_ASSERT(condition, ...)                                                                     \
  do {                                                                                                  \
    if (!(condition)) [[unlikely]] {                                                                    \
      ::weir::sim::detail::invariant_failed(__FILE__, __LINE__, #condition, ::fmt::format(__VA_ARGS__)); \
    }                                                                                                   \
  } while (false)
#else
// Built with -DWEIR_ASSERTS=OFF, only to measure their cost: the condition
// still compiles but is never evaluated.
#define WEIR_ASSERT(condition, ...)   \
  do {                                \
    if (false && (condition)) {       \
    }                                 \
  } while (false)
#endif
