# Compile options shared by every weir target: warnings on and clean, and the
# optional sanitizer build. Each target calls weir_target_options(<target>).

add_library(weir_options INTERFACE)
target_compile_options(weir_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

if(WEIR_SANITIZE)
  # WEIR_ASAN makes the fiber code annotate its stack switches for ASan.
  target_compile_options(weir_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_definitions(weir_options INTERFACE WEIR_ASAN=1)
  target_link_options(weir_options INTERFACE -fsanitize=address,undefined)
endif()

function(weir_target_options target)
  target_link_libraries(${target} PRIVATE weir_options)
endfunction()

# Programs (the weir binary, the test executables) allocate through jemalloc
# from Debian's libjemalloc-dev: the pipeline makes many small, short-lived
# protobuf and record allocations, on which glibc's malloc spent about half
# of a 30,000-series run (docs/benchmarks.md). Libraries leave the choice to
# the program that links them; a sanitizer build keeps the sanitizer's own.
# Each program calls weir_program_allocator(<target>).
# Without jemalloc (a subproject on a machine without it) they use the
# system's malloc: slower, the same results.
set(WEIR_JEMALLOC_OPTIONS ${CMAKE_CURRENT_LIST_DIR}/jemalloc_options.cpp)
if(NOT WEIR_SANITIZE)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(JEMALLOC QUIET IMPORTED_TARGET jemalloc)
  endif()
  if(NOT JEMALLOC_FOUND)
    message(STATUS "weir: jemalloc not found (Debian: libjemalloc-dev); programs use the system malloc")
  endif()
endif()

function(weir_program_allocator target)
  if(NOT WEIR_SANITIZE AND JEMALLOC_FOUND)
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
    target_sources(${target} PRIVATE ${WEIR_JEMALLOC_OPTIONS})
  endif()
endfunction()
