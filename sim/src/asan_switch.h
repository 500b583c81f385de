// Annotations that tell AddressSanitizer when execution moves to another
// fiber stack. They compile to nothing unless WEIR_ASAN is defined.
#pragma once

#include <cstddef>

#if defined(WEIR_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace weir::sim::detail {

inline void asan_start_switch(void** fake_stack_save, const void* bottom, std::size_t size) {
#if defined(WEIR_ASAN)
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}

inline void asan_finish_switch(void* fake_stack_save, const void** bottom_old, std::size_t* size_old) {
#if defined(WEIR_ASAN)
  __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
  (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

}  // namespace weir::sim::detail
