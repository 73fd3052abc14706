/*
 * Vigil from C: open a model directory, classify a few texts, print the
 * answers.
 *
 *   cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/classify.c \
 *      -Ltarget/release -lvigil -Wl,-rpath,"$PWD/target/release" -o classify
 *   ./classify tests/fixtures/models/bert-cls3 ["text" ...]
 *
 * ONNX Runtime is found without configuration when libonnxruntime.so sits
 * beside libvigil.so; otherwise set VIGIL_ORT_LIBRARY or call
 * vigil_options_set_ort_library.
 */
#include <stdio.h>
#include <string.h>

#include "vigil.h"

/* Self-written narratives of the kind a safety team triages. */
static const char *const DEFAULT_TEXTS[] = {
    "A 62-year-old man developed severe hypoglycaemia two days after glipizide "
    "was added to his metformin; it resolved once glipizide was stopped.",
    "Urticaria and lip swelling began within 30 minutes of the first dose of "
    "ceftriaxone; the antibiotic was discontinued and antihistamines given.",
    "Routine follow-up visit: no new symptoms since starting atorvastatin 20 mg.",
    "An 81-year-old woman on warfarin was admitted with gastrointestinal "
    "bleeding and an INR of 6.8 after clarithromycin was prescribed for "
    "bronchitis.",
    "Rechallenge with allopurinol brought back the generalised rash and fever.",
};

/* Every fallible call returns NULL or an owned error. The message already
 * starts with the code's name (e.g. "IO: ..."), so it is printed as is. */
static int failed(const char *call, vigil_error *err) {
    if (err == NULL) {
        return 0;
    }
    fprintf(stderr, "%s failed (code %u): %s\n", call,
            (unsigned)vigil_error_code(err), vigil_error_message(err));
    vigil_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    vigil_model *model = NULL;
    vigil_classification *result = NULL;
    vigil_str texts[64];
    size_t n = 0, i, j, labels;
    uint32_t policy;
    int status = 1;

    if (argc < 2) {
        fprintf(stderr, "usage: %s MODEL_DIR [TEXT...]\n", argv[0]);
        return 2;
    }
    /* Texts are (pointer, length) views: no terminator needed, nothing copied. */
    if (argc - 2 > (int)(sizeof texts / sizeof texts[0])) {
        fprintf(stderr, "at most %u texts\n", (unsigned)(sizeof texts / sizeof texts[0]));
        return 2;
    }
    if (argc > 2) {
        for (i = 2; i < (size_t)argc; i++, n++) {
            texts[n].ptr = argv[i];
            texts[n].len = strlen(argv[i]);
        }
    } else {
        for (n = 0; n < sizeof DEFAULT_TEXTS / sizeof DEFAULT_TEXTS[0]; n++) {
            texts[n].ptr = DEFAULT_TEXTS[n];
            texts[n].len = strlen(DEFAULT_TEXTS[n]);
        }
    }

    printf("vigil %s (ABI %u)\n", vigil_version(), (unsigned)vigil_abi_version());

    /* NULL options: defaults, and ONNX Runtime found by the usual search. */
    if (failed("vigil_model_open", vigil_model_open(argv[1], NULL, &model))) {
        return 1;
    }
    printf("onnx runtime: %s\n", vigil_model_ort_version(model));
    printf("execution provider: %s\n", vigil_model_execution_provider(model));
    /* Log this with every result: it identifies the exact model files used. */
    printf("fingerprint: %s\n", vigil_model_fingerprint(model));
    /* Texts longer than max_length are truncated or split into windows
     * that overlap by `stride` tokens, depending on the policy. */
    policy = vigil_model_long_text(model);
    printf("max_length: %u, long text: %s, stride: %u\n",
           (unsigned)vigil_model_max_length(model),
           policy == VIGIL_LONG_TEXT_TRUNCATE      ? "truncate"
           : policy == VIGIL_LONG_TEXT_WINDOW_MEAN ? "window_mean"
                                                   : "window_max",
           (unsigned)vigil_model_stride(model));
    labels = vigil_model_label_count(model);
    printf("labels:");
    for (j = 0; j < labels; j++) {
        printf(" %s", vigil_model_label(model, j));
    }
    printf("\n");

    /* One call for the whole batch: Vigil pads and batches internally. */
    if (failed("vigil_model_classify", vigil_model_classify(model, texts, n, &result))) {
        goto done;
    }
    for (i = 0; i < vigil_classification_count(result); i++) {
        const double *scores = vigil_classification_scores(result, i);
        printf("\n[%u] %.*s\n", (unsigned)i, (int)texts[i].len, texts[i].ptr);
        printf("    top: %s\n", vigil_classification_top_label(result, i));
        printf("    scores:");
        for (j = 0; j < labels; j++) {
            printf(" %s=%.4f", vigil_model_label(model, j), scores[j]);
        }
        /* A truncated text was judged on its start only; a long-text window
         * policy (VIGIL_LONG_TEXT_WINDOW_*) reads all of it instead. */
        printf("\n    truncated: %s, windows: %u\n",
               vigil_classification_truncated(result, i) ? "yes" : "no",
               (unsigned)vigil_classification_windows(result, i));
    }
    status = 0;

done:
    /* Any order works: a result holds its own reference to the model. */
    vigil_classification_free(result);
    vigil_model_free(model);
    return status;
}
