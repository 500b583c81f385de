// Errors the runtime raises to the runner. Each means "the simulator itself
// failed" (exit code 3), as opposed to a property of the system under test.
#pragma once

#include <stdexcept>
#include <string>

namespace weir::sim {

// Base of every failure of the simulation machinery or of model code, such as
// an exception escaping a fiber.
class SimulatorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A model broke one of its own invariants (WEIR_ASSERT): a defect in weir.
class InvariantError : public SimulatorError {
 public:
  using SimulatorError::SimulatorError;
};

// A run exceeded its bound on events or simulated time: likely a livelock.
class LivelockError : public SimulatorError {
 public:
  using SimulatorError::SimulatorError;
};

}  // namespace weir::sim
