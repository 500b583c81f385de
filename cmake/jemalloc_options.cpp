// Options jemalloc reads at start-up, linked into each weir program that
// allocates through it (cmake/WeirOptions.cmake, weir_program_allocator).
//
// thp:always backs the heap with transparent huge pages where the kernel
// allows them (madvise mode included). A run touches most of its memory
// once, as it grows: with 4 KiB pages a 30,000-series pipeline took about
// 47,000 page faults, some 15% of its CPU time; with huge pages about 2,800,
// for about 7% more resident memory (docs/benchmarks.md). MALLOC_CONF in
// the environment still overrides it.
extern "C" {
const char* malloc_conf = "thp:always";
}
