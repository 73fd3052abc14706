/*
 * Vigil from C: extract ADR spans and print them with both offset kinds.
 *
 *   cc -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/spans.c \
 *      -Ltarget/release -lvigil -Wl,-rpath,"$PWD/target/release" -o spans
 *   ./spans tests/fixtures/models/bert-ner-bio ["text" ...]
 */
#include <stdio.h>
#include <string.h>

#include "vigil.h"

static const char *const DEFAULT_TEXTS[] = {
    "A 54-year-old woman developed a severe rash and angioedema two days after starting amoxicillin.",
    "😷 Nausea and dizziness after the second dose of tramadol; both resolved on withdrawal.",
};

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
    vigil_model *model = NULL;
    vigil_span_options *options = NULL;
    vigil_spans *spans = NULL;
    vigil_str texts[16];
    size_t n = 0, t, i;
    int status = 1;

    if (argc < 2 || argc - 2 > 16) {
        fprintf(stderr, "usage: %s MODEL_DIR [TEXT...] (at most 16 texts)\n", argv[0]);
        return 2;
    }
    for (i = 2; i < (size_t)argc; i++, n++) {
        texts[n].ptr = argv[i];
        texts[n].len = strlen(argv[i]);
    }
    for (; argc == 2 && n < sizeof DEFAULT_TEXTS / sizeof DEFAULT_TEXTS[0]; n++) {
        texts[n].ptr = DEFAULT_TEXTS[n];
        texts[n].len = strlen(DEFAULT_TEXTS[n]);
    }

    if (failed("vigil_model_open", vigil_model_open(argv[1], NULL, &model))) {
        return 1;
    }
    printf("fingerprint: %s\n", vigil_model_fingerprint(model));
    /* FIRST gives every word one label, so a span never ends inside a word. */
    options = vigil_span_options_new();
    if (failed("vigil_span_options_set_aggregation",
               vigil_span_options_set_aggregation(options, VIGIL_AGGREGATION_FIRST)) ||
        failed("vigil_model_extract_spans",
               vigil_model_extract_spans(model, texts, n, options, &spans))) {
        goto done;
    }
    for (t = 0; t < n; t++) {
        printf("\n%.*s\n  windows read: %u\n", (int)texts[t].len, texts[t].ptr,
               (unsigned)vigil_spans_windows(spans, t));
        for (i = 0; i < vigil_spans_count(spans, t); i++) {
            /* The covered text is a view into the result's own copy. */
            vigil_str covered = vigil_spans_text(spans, t, i);
            printf("  %-5s %.3f  bytes [%zu,%zu)  utf16 [%zu,%zu)  \"%.*s\"\n",
                   vigil_spans_label(spans, t, i), vigil_spans_score(spans, t, i),
                   vigil_spans_start(spans, t, i), vigil_spans_end(spans, t, i),
                   vigil_spans_start_utf16(spans, t, i), vigil_spans_end_utf16(spans, t, i),
                   (int)covered.len, covered.ptr);
        }
    }
    status = 0;
done:
    vigil_spans_free(spans);
    vigil_span_options_free(options);
    vigil_model_free(model);
    return status;
}
