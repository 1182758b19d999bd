// OpenBLAS (CBLAS) and LAPACKE for Swift. Debian: libopenblas-dev, liblapacke-dev.
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
