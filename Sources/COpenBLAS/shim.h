// OpenBLAS (CBLAS) and LAPACKE for Swift. Debian: libopenblas-dev, liblapacke-dev.
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>

/* IEEE square roots without errno (llvm.sqrt): Swift's squareRoot() calls sqrtf for negative inputs to set errno,
   which keeps the loops around it from vectorising; these give the same correctly rounded values (NaN below 0). */
static inline float initscope_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double initscope_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
#endif
