#include "stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

#if defined(WEIR_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace weir::sim::detail {

StackPool::StackPool(std::size_t stack_bytes)
    : page_bytes_(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))) {
  usable_bytes_ = (stack_bytes + page_bytes_ - 1) / page_bytes_ * page_bytes_;
}

StackPool::~StackPool() {
  for (void* mapping : mappings_) ::munmap(mapping, mapping_bytes());
}

// Where the top of the k-th stack sits above its usable bytes. Stacks of equal
// size would all start at the same offset within a page, so the few hot cache
// lines at the top of every parked fiber (its saved registers and the frames
// of the wait) would share one set of each cache level and evict each other;
// a wake-up then misses on the stack it switches to. Steps of 7 lines cycle
// through every line of the span.
std::size_t StackPool::color_bytes(std::size_t k) { return (k * 7 * kCacheLineBytes) % kColorSpanBytes; }

boost::context::stack_context StackPool::take() {
  if (!free_.empty()) {
    const boost::context::stack_context stack = free_.back();
    free_.pop_back();
    forget_poison(stack);  // left by the fiber that ran on it last
    return stack;
  }
  void* mapping = ::mmap(nullptr, mapping_bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  ::mprotect(mapping, page_bytes_, PROT_NONE);  // the guard page: stacks grow down
  const std::size_t color = color_bytes(mappings_.size());
  mappings_.push_back(mapping);
  boost::context::stack_context stack;
  stack.size = usable_bytes_ + color;
  stack.sp = static_cast<char*>(mapping) + page_bytes_ + stack.size;
  forget_poison(stack);  // left by an earlier pool's stack at this address
  return stack;
}

// A fiber that ended left AddressSanitizer's shadow of its frames behind (a
// frame poisoned at scope exit, redzones of a frame it was parked in). The next
// fiber on this stack starts with nothing on it, so it starts clean.
void StackPool::forget_poison(const boost::context::stack_context& stack) {
#if defined(WEIR_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(static_cast<char*>(stack.sp) - stack.size, stack.size);
#else
  (void)stack;
#endif
}

void StackPool::give_back(boost::context::stack_context stack) { free_.push_back(stack); }

}  // namespace weir::sim::detail
