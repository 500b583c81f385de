// Node: one simulated machine (a broker, an ingester, a client host...).
//
// A node lives in a zone (an availability zone), owns a Disk whose synced
// contents survive crashes, and runs a Process: the volatile state its boot
// function builds. Crashing a node unwinds its fibers, destroys the Process
// and loses the disk's unsynced writes; restarting it runs boot again on what
// the disk kept. Nodes are owned by the Simulation and live as long as it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "weir/sim/disk.h"
#include "weir/sim/trace.h"

namespace weir::sim {

class Simulation;

// The volatile state of a running node. Destroyed when the node crashes, after
// every fiber of the node has been unwound (so fibers may reference it).
class Process {
 public:
  virtual ~Process() = default;
};

using BootFn = std::function<std::unique_ptr<Process>(Simulation&, NodeId)>;

struct NodeSpec {
  std::string name;
  std::string zone;
  BootFn boot;  // may be empty for a node that only hosts fibers spawned on it
  DiskOptions disk;
};

class Node {
 public:
  Node(NodeId id, NodeSpec spec, Simulation& sim);

  NodeId id() const { return id_; }
  const std::string& name() const { return spec_.name; }
  const std::string& zone() const { return spec_.zone; }
  bool up() const { return up_; }
  // Bumped by every crash: lets queued work for an old incarnation be dropped.
  std::uint32_t incarnation() const { return incarnation_; }
  Disk& disk() { return disk_; }
  Process* process() { return process_.get(); }
  template <class P>
  P& process_as() { return static_cast<P&>(*process_); }

 private:
  friend class Simulation;

  NodeId id_;
  NodeSpec spec_;
  bool up_ = false;
  std::uint32_t incarnation_ = 0;
  Disk disk_;
  std::unique_ptr<Process> process_;
};

}  // namespace weir::sim
