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
  for (void* mapping : mappings_) ::munmap(mapping, usable_bytes_ + page_bytes_);
}

boost::context::stack_context StackPool::take() {
  if (!free_.empty()) {
    const boost::context::stack_context stack = free_.back();
    free_.pop_back();
    forget_poison(stack);  // left by the fiber that ran on it last
    return stack;
  }
  const std::size_t total = usable_bytes_ + page_bytes_;
  void* mapping = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  ::mprotect(mapping, page_bytes_, PROT_NONE);  // the guard page: stacks grow down
  mappings_.push_back(mapping);
  boost::context::stack_context stack;
  stack.size = usable_bytes_;
  stack.sp = static_cast<char*>(mapping) + total;
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
