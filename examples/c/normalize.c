/*
 * Vigil from C: code reported reactions to MedDRA Preferred Terms.
 * BM25 over the release's PT and LLT names picks candidates, a cross-encoder
 * reranks them, and the PTs over its threshold come back with their SOC.
 *
 *   cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/normalize.c \
 *      -Ltarget/release -lvigil -Wl,-rpath,"$PWD/target/release" -o normalize
 *   ./normalize MEDDRA_DIR CROSS_ENCODER_DIR ["mention" ...]
 */
#include <stdio.h>
#include <string.h>

#include "vigil.h"

static const char *const DEFAULT_MENTIONS[] = {"pain in my head", "felt sick to my stomach", "Headache"};

static int failed(const char *call, vigil_error *err) {
    if (err == NULL) {
        return 0;
    }
    fprintf(stderr, "%s failed (code %u): %s\n", call, (unsigned)vigil_error_code(err),
            vigil_error_message(err));
    vigil_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    vigil_meddra *meddra = NULL;
    vigil_model *model = NULL;
    vigil_normalize_options *options = NULL;
    vigil_codings *codings = NULL;
    vigil_str mentions[16];
    size_t n = 0, m, i;
    int status = 1;

    if (argc < 3 || argc - 3 > 16) {
        fprintf(stderr, "usage: %s MEDDRA_DIR CROSS_ENCODER_DIR [MENTION...] (at most 16)\n", argv[0]);
        return 2;
    }
    for (i = 3; i < (size_t)argc; i++, n++) {
        mentions[n].ptr = argv[i];
        mentions[n].len = strlen(argv[i]);
    }
    for (; argc == 3 && n < sizeof DEFAULT_MENTIONS / sizeof DEFAULT_MENTIONS[0]; n++) {
        mentions[n].ptr = DEFAULT_MENTIONS[n];
        mentions[n].len = strlen(DEFAULT_MENTIONS[n]);
    }

    /* Load once, share across threads: both objects are immutable. */
    if (failed("vigil_meddra_open", vigil_meddra_open(argv[1], 0, &meddra)) ||
        failed("vigil_model_open", vigil_model_open(argv[2], NULL, &model))) {
        goto done;
    }
    printf("MedDRA: %zu PTs, %zu LLTs (%zu LLTs skipped)\n", vigil_meddra_pt_count(meddra),
           vigil_meddra_llt_count(meddra), vigil_meddra_skipped_llts(meddra));
    printf("cross-encoder fingerprint: %s\n", vigil_model_fingerprint(model));

    options = vigil_normalize_options_new();
    if (failed("vigil_normalize_options_set_top_k", vigil_normalize_options_set_top_k(options, 3)) ||
        failed("vigil_meddra_normalize", vigil_meddra_normalize(meddra, model, mentions, n, options, &codings))) {
        goto done;
    }
    for (m = 0; m < n; m++) {
        printf("\n\"%.*s\"\n", (int)mentions[m].len, mentions[m].ptr);
        if (vigil_codings_count(codings, m) == 0) {
            printf("  no PT over the threshold\n");
        }
        for (i = 0; i < vigil_codings_count(codings, m); i++) {
            printf("  PT %u %-28s score %.3f%s  SOC %u %s\n", (unsigned)vigil_codings_pt(codings, m, i),
                   vigil_codings_pt_name(codings, m, i), vigil_codings_score(codings, m, i),
                   vigil_codings_exact(codings, m, i) ? " (exact)" : "", (unsigned)vigil_codings_soc(codings, m, i), vigil_codings_soc_name(codings, m, i));
        }
    }
    status = 0;
done:
    vigil_codings_free(codings);
    vigil_normalize_options_free(options);
    vigil_model_free(model);
    vigil_meddra_free(meddra);
    return status;
}
