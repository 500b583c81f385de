#include "stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

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
  return stack;
}

void StackPool::give_back(boost::context::stack_context stack) { free_.push_back(stack); }

}  // namespace weir::sim::detail
