// OpenBLAS (CBLAS) and LAPACKE for Swift. Debian: libopenblas-dev, liblapacke-dev.
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>

/* IEEE square roots without errno (llvm.sqrt): Swift's squareRoot() calls sqrtf for negative inputs to set errno,
   which keeps the loops around it from vectorising; these give the same correctly rounded values (NaN below 0). */
static inline float initscope_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double initscope_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
/* One spin-wait hint (x86 PAUSE): a waiting thread keeps its core without a system call and sees the next job
   within a microsecond; sched_yield instead hands a loaded machine's core to another process for a time slice. */
static inline void initscope_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
/* Four Doubles clamped to [low, high] in lanes (vmaxpd/vminpd with AVX): Swift's SIMD `replacing(with:where:)` on
   Double lanes goes through scalar mask shuffles. For non-NaN lanes only (histogram positions). */
typedef double initscope_double4 __attribute__((ext_vector_type(4)));
static inline initscope_double4 initscope_clamp4(initscope_double4 x, initscope_double4 low, initscope_double4 high) {
    return __builtin_elementwise_min(__builtin_elementwise_max(x, low), high);
}
#endif
