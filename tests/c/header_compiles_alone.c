/*
 * include/vigil.h needs nothing included before it, compiles as C99
 * -pedantic and as C++17, survives being included twice, and defines nothing
 * that would clash when two translation units include it.
 *
 * tests/c/run.sh builds this file twice, once as each half, in C and in C++,
 * and links a C half with a C++ half (both ways) against libvigil:
 *   default              defines header_check_abi_version()
 *   -DHEADER_CHECK_MAIN  defines main(), which calls both halves and the library
 */
#include "vigil.h"
#include "vigil.h" /* the include guard holds */

#ifdef __cplusplus
extern "C" {
#endif
uint32_t header_check_abi_version(void);
#ifdef __cplusplus
}
#endif

#ifndef HEADER_CHECK_MAIN

uint32_t header_check_abi_version(void) {
    /* Types and macros from the header, usable without any other include. */
    vigil_str text = {"x", 1};
    const vigil_model *model = NULL;
    return (uint32_t)VIGIL_ABI_VERSION + (uint32_t)(text.len - 1) + vigil_model_task(model);
}

#else

int main(void) {
    vigil_error *err = vigil_model_open(NULL, NULL, NULL);
    int ok = header_check_abi_version() == vigil_abi_version() &&
             vigil_error_code(err) == VIGIL_ERROR_INVALID_ARGUMENT;
    vigil_error_free(err);
    return ok ? 0 : 1;
}

#endif
