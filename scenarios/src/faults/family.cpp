#include "family.h"

#include "crash.h"
#include "disk.h"
#include "network.h"
#include "object_store.h"
#include "partition.h"

namespace weir::scenarios::faults {

std::unique_ptr<Family> make_family(FaultFamily family, PipelineWorld& world) {
  switch (family) {
    case FaultFamily::crash: return std::make_unique<CrashFamily>(world);
    case FaultFamily::partition: return std::make_unique<PartitionFamily>(world);
    case FaultFamily::disk: return std::make_unique<DiskFamily>(world);
    case FaultFamily::object_store: return std::make_unique<ObjectStoreFamily>(world);
    case FaultFamily::network: return std::make_unique<NetworkFamily>(world);
  }
  return nullptr;
}

}  // namespace weir::scenarios::faults
