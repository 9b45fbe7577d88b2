#pragma once
// What the kernel files of cpu/ share: whether x86 SIMD versions are built
// at all, and the target attribute of each level above portable. A function
// with one of these attributes is only ever called through the kernel table
// of a level the CPU supports (kernels.cpp), so the library itself needs no
// -m flag and still runs on the baseline CPU.
#if defined(__x86_64__) && defined(__GNUC__)
#define SUPPORTNLP_CPU_X86 1
// GCC 12's AVX-512 headers initialise "undefined" vectors from themselves
// (`__m256i __Y = __Y;`), which -Wmaybe-uninitialized reports at every
// inlined use (GCC bug 105593); the values are never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
// Isa::avx2 and Isa::avx512 (supportnlp/cpu/cpu.hpp), feature for feature.
#define SUPPORTNLP_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define SUPPORTNLP_TARGET_AVX512 __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vnni")))
#endif
