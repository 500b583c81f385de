// StackPool: fiber stacks, reused instead of mapped and unmapped per fiber.
//
// Each stack is an anonymous mapping with a guard page below it, so a fiber
// that overflows its stack faults at once instead of corrupting a neighbour.
// Mapping costs a few system calls, which the pool pays once per stack ever
// live at the same time. The pool owns every stack it ever handed out and
// must outlive every fiber using one (the Simulation destroys its fibers
// first). Stack tops are staggered across cache sets (see color_bytes). `Allocator` is the handle Boost.Context's fiber constructor takes.
#pragma once

#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace weir::sim::detail {

class StackPool {
 public:
  explicit StackPool(std::size_t stack_bytes);
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  boost::context::stack_context take();
  void give_back(boost::context::stack_context stack);
  std::size_t stack_bytes() const { return usable_bytes_; }

  class Allocator {
   public:
    explicit Allocator(StackPool& pool) : pool_(&pool) {}
    boost::context::stack_context allocate() { return pool_->take(); }
    void deallocate(boost::context::stack_context& stack) { pool_->give_back(stack); }

   private:
    StackPool* pool_;
  };

 private:
  static constexpr std::size_t kCacheLineBytes = 64;
  static constexpr std::size_t kColorSpanBytes = 64 * 1024;

  static void forget_poison(const boost::context::stack_context& stack);
  static std::size_t color_bytes(std::size_t k);
  // Guard page, usable bytes, and the span stack tops are spread over.
  std::size_t mapping_bytes() const { return page_bytes_ + usable_bytes_ + kColorSpanBytes; }

  std::size_t usable_bytes_;
  std::size_t page_bytes_;
  std::vector<boost::context::stack_context> free_;
  std::vector<void*> mappings_;
};

}  // namespace weir::sim::detail
