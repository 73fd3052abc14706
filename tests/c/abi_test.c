/*
 * The C ABI exercised through include/vigil.h only, as a host would use it.
 * Built as C99 and as C++17, both under AddressSanitizer + UBSan, by
 * tests/c/run.sh, which also writes the parity table this program reads.
 *
 *   abi_test MODELS_DIR PARITY_TSV
 *       everything below; ONNX Runtime is found beside libvigil.so.
 *   abi_test --missing-runtime MODEL_DIR GOOD_ORT_LIBRARY VIGIL_DIR
 *       run in a process where no candidate path holds ONNX Runtime:
 *       RUNTIME_UNAVAILABLE naming every path tried, then an explicit good
 *       path opens the model in that same process.
 *   abi_test --leak-canary
 *       leaks on purpose, for run.sh to see LeakSanitizer report it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dl_iterate_phdr, to see which libvigil.so is loaded */
#endif
#include <link.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil.h"

/* ---- checks ------------------------------------------------------------ */

static int passed;

/* Stops at the first failure: later checks usually depend on earlier ones
 * (a NULL model, a missing result) and would only crash. */
#define CHECK_AT(cond, file, line)                                           \
    do {                                                                     \
        if (cond) {                                                          \
            passed++;                                                        \
        } else {                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, #cond); \
            printf("%d passed, 1 failed\n", passed);                         \
            exit(1);                                                         \
        }                                                                    \
    } while (0)
#define CHECK(cond) CHECK_AT(cond, __FILE__, __LINE__)

static const char *code_name(uint32_t code) {
    switch (code) {
    case VIGIL_ERROR_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case VIGIL_ERROR_INVALID_UTF8: return "INVALID_UTF8";
    case VIGIL_ERROR_IO: return "IO";
    case VIGIL_ERROR_MODEL_INVALID: return "MODEL_INVALID";
    case VIGIL_ERROR_TOKENIZER_INVALID: return "TOKENIZER_INVALID";
    case VIGIL_ERROR_MODEL_MISMATCH: return "MODEL_MISMATCH";
    case VIGIL_ERROR_RUNTIME_UNAVAILABLE: return "RUNTIME_UNAVAILABLE";
    case VIGIL_ERROR_PROVIDER_UNAVAILABLE: return "PROVIDER_UNAVAILABLE";
    case VIGIL_ERROR_INFERENCE: return "INFERENCE";
    case VIGIL_ERROR_TASK_MISMATCH: return "TASK_MISMATCH";
    case VIGIL_ERROR_EMPTY_TEXT: return "EMPTY_TEXT";
    case VIGIL_ERROR_INPUT_TOO_LARGE: return "INPUT_TOO_LARGE";
    case VIGIL_ERROR_NON_FINITE: return "NON_FINITE";
    case VIGIL_ERROR_PANIC: return "PANIC";
    case VIGIL_ERROR_INVALID_UTF16: return "INVALID_UTF16";
    default: return NULL;
    }
}

/* Every error: the expected code, a message "<CODE_NAME>: ..." that contains
 * `needle` (when given). Frees it. */
static void expect_error_at(vigil_error *err, uint32_t code, const char *needle,
                            const char *file, int line) {
    const char *message = vigil_error_message(err);
    const char *name = code_name(code);
    if (err == NULL || vigil_error_code(err) != code) {
        fprintf(stderr, "%s:%d: expected %s, got %s (%s)\n", file, line, name,
                err ? code_name(vigil_error_code(err)) : "success", message);
    }
    CHECK_AT(err != NULL, file, line);
    CHECK_AT(vigil_error_code(err) == code, file, line);
    CHECK_AT(message != NULL && message[0] != '\0', file, line);
    CHECK_AT(strncmp(message, name, strlen(name)) == 0, file, line);
    CHECK_AT(strncmp(message + strlen(name), ": ", 2) == 0, file, line);
    if (needle != NULL && strstr(message, needle) == NULL) {
        fprintf(stderr, "%s:%d: message lacks \"%s\": %s\n", file, line, needle, message);
    }
    CHECK_AT(needle == NULL || strstr(message, needle) != NULL, file, line);
    vigil_error_free(err);
}
#define EXPECT_ERROR(call, code, needle) expect_error_at((call), (code), (needle), __FILE__, __LINE__)

static void expect_ok_at(vigil_error *err, const char *file, int line) {
    if (err != NULL) {
        fprintf(stderr, "%s:%d: unexpected error %u: %s\n", file, line,
                (unsigned)vigil_error_code(err), vigil_error_message(err));
    }
    CHECK_AT(err == NULL, file, line);
}
#define EXPECT_OK(call) expect_ok_at((call), __FILE__, __LINE__)

/* Stands in for "whatever the caller had there": must survive failed calls. */
static char sentinel_storage;
#define SENTINEL ((void *)&sentinel_storage)

static vigil_str str_of(const char *s) {
    vigil_str v;
    v.ptr = s;
    v.len = strlen(s);
    return v;
}

static char models_dir[4096];

static const char *model_path(const char *name) {
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", models_dir, name);
    return path;
}

static vigil_model *open_model(const char *name, const vigil_options *options) {
    vigil_model *model = NULL;
    EXPECT_OK(vigil_model_open(model_path(name), options, &model));
    CHECK(model != NULL);
    return model;
}

/* ---- saved answers, to compare results across calls and threads -------- */

#define MAX_LABELS 8

typedef struct answer {
    double scores[MAX_LABELS];
    size_t top;
    bool truncated;
    uint32_t windows;
} answer;

/* Copies text `i` of `result` (a model with `labels` labels) into `out`. */
static int save_answer(const vigil_classification *result, size_t i, size_t labels, answer *out) {
    const double *scores = vigil_classification_scores(result, i);
    size_t j;
    if (scores == NULL || labels > MAX_LABELS) {
        return 0;
    }
    for (j = 0; j < labels; j++) {
        out->scores[j] = scores[j];
    }
    out->top = vigil_classification_top(result, i);
    out->truncated = vigil_classification_truncated(result, i);
    out->windows = vigil_classification_windows(result, i);
    return 1;
}

static int same_answer(const answer *a, const answer *b, size_t labels, double tolerance) {
    size_t j;
    for (j = 0; j < labels; j++) {
        if (!(fabs(a->scores[j] - b->scores[j]) < tolerance)) {
            return 0;
        }
    }
    return a->top == b->top && a->truncated == b->truncated && a->windows == b->windows;
}

/* ---- 1. versions ------------------------------------------------------- */

static void test_versions(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", VIGIL_VERSION_MAJOR,
             VIGIL_VERSION_MINOR, VIGIL_VERSION_PATCH);
    CHECK(vigil_version() != NULL);
    CHECK(strcmp(vigil_version(), expected) == 0);
    CHECK(vigil_abi_version() == VIGIL_ABI_VERSION);
}

/* ---- 2. NULL everywhere ------------------------------------------------ */

static void test_null_handles(void) {
    /* Every _free accepts NULL. */
    vigil_error_free(NULL);
    vigil_model_free(NULL);
    vigil_classification_free(NULL);
    vigil_options_free(NULL);

    /* Accessors on NULL give the documented neutral values. */
    CHECK(vigil_error_code(NULL) == 0);
    CHECK(vigil_error_message(NULL) != NULL && vigil_error_message(NULL)[0] == '\0');
    CHECK(vigil_model_task(NULL) == 0);
    CHECK(vigil_model_label_count(NULL) == 0);
    CHECK(vigil_model_label(NULL, 0) == NULL);
    CHECK(vigil_model_max_length(NULL) == 0);
    CHECK(vigil_model_long_text(NULL) == 0);
    CHECK(vigil_model_stride(NULL) == 0);
    CHECK(vigil_model_fingerprint(NULL) == NULL);
    CHECK(vigil_model_ort_version(NULL) == NULL);
    CHECK(vigil_model_execution_provider(NULL) == NULL);
    CHECK(vigil_classification_count(NULL) == 0);
    CHECK(vigil_classification_scores(NULL, 0) == NULL);
    CHECK(vigil_classification_top(NULL, 0) == SIZE_MAX);
    CHECK(vigil_classification_label_count(NULL) == 0);
    CHECK(vigil_classification_label(NULL, 0) == NULL);
    CHECK(vigil_classification_top_label(NULL, 0) == NULL);
    CHECK(vigil_classification_truncated(NULL, 0) == false);
    CHECK(vigil_classification_windows(NULL, 0) == 0);
}

static void test_null_arguments(void) {
    vigil_model *model = (vigil_model *)SENTINEL;
    vigil_model *cls2;
    vigil_classification *result = (vigil_classification *)SENTINEL;
    vigil_options *options = vigil_options_new();
    vigil_str text = str_of("Anaphylaxis after the first dose.");
    vigil_str bad_view;

    CHECK(options != NULL);

    /* vigil_model_open: NULL dir, NULL out. */
    EXPECT_ERROR(vigil_model_open(NULL, NULL, &model), VIGIL_ERROR_INVALID_ARGUMENT, "dir");
    CHECK(model == (vigil_model *)SENTINEL);
    EXPECT_ERROR(vigil_model_open(model_path("bert-cls2"), NULL, NULL),
                 VIGIL_ERROR_INVALID_ARGUMENT, "out");

    /* vigil_model_classify: NULL model, NULL texts with n > 0, NULL out, a
     * view with a NULL pointer but a length. */
    cls2 = open_model("bert-cls2", NULL);
    EXPECT_ERROR(vigil_model_classify(NULL, &text, 1, &result), VIGIL_ERROR_INVALID_ARGUMENT, "model");
    CHECK(result == (vigil_classification *)SENTINEL);
    EXPECT_ERROR(vigil_model_classify(cls2, NULL, 1, &result), VIGIL_ERROR_INVALID_ARGUMENT, "texts");
    CHECK(result == (vigil_classification *)SENTINEL);
    EXPECT_ERROR(vigil_model_classify(cls2, &text, 1, NULL), VIGIL_ERROR_INVALID_ARGUMENT, "out");
    bad_view.ptr = NULL;
    bad_view.len = 5;
    EXPECT_ERROR(vigil_model_classify(cls2, &bad_view, 1, &result), VIGIL_ERROR_INVALID_ARGUMENT, "text 0");
    CHECK(result == (vigil_classification *)SENTINEL);
    vigil_model_free(cls2);

    /* Every setter refuses NULL options. */
    EXPECT_ERROR(vigil_options_set_ort_library(NULL, "/x"), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_intra_threads(NULL, 1), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_sessions(NULL, 1), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_max_tokens_per_batch(NULL, 1024), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_max_length(NULL, 64), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_long_text(NULL, VIGIL_LONG_TEXT_TRUNCATE), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_stride(NULL, 8), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_max_text_bytes(NULL, 100), VIGIL_ERROR_INVALID_ARGUMENT, "options");
    EXPECT_ERROR(vigil_options_set_execution_provider(NULL, "cpu"), VIGIL_ERROR_INVALID_ARGUMENT, "options");

    /* NULL string arguments and out-of-range values. */
    EXPECT_ERROR(vigil_options_set_ort_library(options, NULL), VIGIL_ERROR_INVALID_ARGUMENT, "ort_library");
    EXPECT_ERROR(vigil_options_set_execution_provider(options, NULL), VIGIL_ERROR_INVALID_ARGUMENT, "name");
    EXPECT_ERROR(vigil_options_set_sessions(options, 0), VIGIL_ERROR_INVALID_ARGUMENT, "sessions");
    EXPECT_ERROR(vigil_options_set_max_tokens_per_batch(options, 0), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    EXPECT_ERROR(vigil_options_set_max_length(options, 1), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    EXPECT_ERROR(vigil_options_set_long_text(options, 99), VIGIL_ERROR_INVALID_ARGUMENT, "99");
    vigil_options_free(options);
}

/* ---- 3. texts: UTF-8, empty batch, empty text, views, limits ----------- */

static void test_texts(void) {
    vigil_model *model = open_model("bert-cls2", NULL);
    vigil_classification *result = (vigil_classification *)SENTINEL;
    vigil_classification *whole = NULL, *view = NULL;
    vigil_options *options;
    vigil_error *err;
    vigil_str texts[2];
    char *exact;
    const char *word = "Anaphylaxis";
    size_t j;

    /* Invalid UTF-8 in the second text: the message names index 1. The
     * literal is split so "\xff" is not read as "\xffba...". */
    texts[0] = str_of("Rash after the second infusion.");
    texts[1] = str_of("caf\xc3\xa9 \xff" "bad");
    err = vigil_model_classify(model, texts, 2, &result);
    CHECK(strstr(vigil_error_message(err), "offset 6") != NULL); /* and the byte */
    EXPECT_ERROR(err, VIGIL_ERROR_INVALID_UTF8, "text 1");
    CHECK(result == (vigil_classification *)SENTINEL);

    /* An empty batch is an empty result, not an error. */
    EXPECT_OK(vigil_model_classify(model, NULL, 0, &result));
    CHECK(result != NULL && result != (vigil_classification *)SENTINEL);
    CHECK(vigil_classification_count(result) == 0);
    CHECK(vigil_classification_scores(result, 0) == NULL);
    CHECK(vigil_classification_top_label(result, 0) == NULL);
    vigil_classification_free(result);

    /* Empty, {NULL, 0} and whitespace-only texts are refused, with the index. */
    result = (vigil_classification *)SENTINEL;
    texts[1] = str_of("");
    EXPECT_ERROR(vigil_model_classify(model, texts, 2, &result), VIGIL_ERROR_EMPTY_TEXT, "text 1");
    texts[1].ptr = NULL;
    texts[1].len = 0;
    EXPECT_ERROR(vigil_model_classify(model, texts, 2, &result), VIGIL_ERROR_EMPTY_TEXT, "text 1");
    texts[1] = str_of(" \t\r\n ");
    EXPECT_ERROR(vigil_model_classify(model, texts, 2, &result), VIGIL_ERROR_EMPTY_TEXT, "text 1");
    CHECK(result == (vigil_classification *)SENTINEL);

    /* Views are not NUL-terminated: a heap copy of exactly len bytes (ASan
     * flags any read past it) scores the same as the literal. */
    exact = (char *)malloc(strlen(word));
    CHECK(exact != NULL);
    memcpy(exact, word, strlen(word));
    texts[0].ptr = exact;
    texts[0].len = strlen(word);
    EXPECT_OK(vigil_model_classify(model, texts, 1, &view));
    texts[0] = str_of("Anaphylaxis occurred");
    texts[0].len = strlen(word); /* a prefix of a longer buffer */
    EXPECT_OK(vigil_model_classify(model, texts, 1, &whole));
    for (j = 0; j < vigil_model_label_count(model); j++) {
        CHECK(vigil_classification_scores(view, 0)[j] == vigil_classification_scores(whole, 0)[j]);
    }
    vigil_classification_free(view);
    vigil_classification_free(whole);
    free(exact);
    vigil_model_free(model);

    /* max_text_bytes: longer texts give INPUT_TOO_LARGE. */
    options = vigil_options_new();
    EXPECT_OK(vigil_options_set_max_text_bytes(options, 16));
    model = open_model("bert-cls2", options);
    vigil_options_free(options); /* models do not depend on their options */
    texts[0] = str_of("Short text.");
    texts[1] = str_of("This text is longer than sixteen bytes.");
    EXPECT_ERROR(vigil_model_classify(model, texts, 2, &result), VIGIL_ERROR_INPUT_TOO_LARGE, NULL);
    CHECK(result == (vigil_classification *)SENTINEL);
    EXPECT_OK(vigil_model_classify(model, texts, 1, &result));
    CHECK(vigil_classification_count(result) == 1);
    vigil_classification_free(result);
    vigil_model_free(model);
}

/* ---- 4. opening: directories, providers, what a model reports ---------- */

static void test_open(void) {
    vigil_model *model = (vigil_model *)SENTINEL;
    vigil_options *options = vigil_options_new();
    const char *fingerprint;

    EXPECT_ERROR(vigil_model_open(model_path("no-such-model"), NULL, &model), VIGIL_ERROR_IO, "no-such-model");
    CHECK(model == (vigil_model *)SENTINEL);

    /* Only cpu exists in this build; asking for more is never a silent fallback. */
    EXPECT_ERROR(vigil_options_set_execution_provider(options, "cuda"), VIGIL_ERROR_PROVIDER_UNAVAILABLE, "cuda");
    EXPECT_ERROR(vigil_options_set_execution_provider(options, "tensorrt"), VIGIL_ERROR_PROVIDER_UNAVAILABLE, "tensorrt");
    EXPECT_ERROR(vigil_options_set_execution_provider(options, "bogus"), VIGIL_ERROR_INVALID_ARGUMENT, "bogus");
    EXPECT_OK(vigil_options_set_execution_provider(options, "cpu"));

    EXPECT_OK(vigil_options_set_long_text(options, VIGIL_LONG_TEXT_TRUNCATE));
    EXPECT_OK(vigil_options_set_max_length(options, 64));
    EXPECT_OK(vigil_options_set_stride(options, 8));
    EXPECT_OK(vigil_options_set_intra_threads(options, 1));
    EXPECT_OK(vigil_options_set_sessions(options, 2));
    EXPECT_OK(vigil_options_set_max_tokens_per_batch(options, 1024));
    model = open_model("bert-cls2", options);
    vigil_options_free(options);

    CHECK(vigil_model_task(model) == VIGIL_TASK_SEQUENCE_CLASSIFICATION);
    CHECK(vigil_model_label_count(model) == 2);
    CHECK(strcmp(vigil_model_label(model, 0), "non_causal") == 0);
    CHECK(strcmp(vigil_model_label(model, 1), "causal") == 0);
    CHECK(vigil_model_label(model, 2) == NULL);
    CHECK(vigil_model_max_length(model) == 64);
    CHECK(vigil_model_long_text(model) == VIGIL_LONG_TEXT_TRUNCATE);
    CHECK(vigil_model_stride(model) == 8);
    CHECK(strcmp(vigil_model_execution_provider(model), "cpu") == 0);
    CHECK(vigil_model_ort_version(model) != NULL && vigil_model_ort_version(model)[0] == '1');
    fingerprint = vigil_model_fingerprint(model);
    CHECK(fingerprint != NULL && strncmp(fingerprint, "sha256:", 7) == 0);
    CHECK(strlen(fingerprint) == 7 + 64);
    CHECK(strspn(fingerprint + 7, "0123456789abcdef") == 64);
    vigil_model_free(model);

    /* A model fails to open with a stride that does not fit max_length. */
    options = vigil_options_new();
    EXPECT_OK(vigil_options_set_max_length(options, 16));
    EXPECT_OK(vigil_options_set_stride(options, 16));
    model = (vigil_model *)SENTINEL;
    EXPECT_ERROR(vigil_model_open(model_path("bert-cls2"), options, &model), VIGIL_ERROR_INVALID_ARGUMENT, "stride");
    CHECK(model == (vigil_model *)SENTINEL);
    vigil_options_free(options);
}

/* ---- 5. parity: transformers' numbers, batch vs one at a time ---------- */

typedef struct row {
    char model[64], policy[32], top_label[64];
    long stride; /* -1: the model's default */
    unsigned max_length, windows;
    bool truncated;
    size_t labels;
    double scores[MAX_LABELS];
    char *text;
    size_t len;
} row;

static row *rows;
static size_t row_count;

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* One line per reference text, tab-separated (written by run.sh):
 * model policy stride|- max_length top_label truncated windows s0,s1,.. text_hex
 * The text is hex so tabs, newlines and any byte survive the trip. */
static void read_parity(const char *path) {
    static char line[1 << 16];
    FILE *file = fopen(path, "r");
    CHECK(file != NULL);
    while (fgets(line, sizeof line, file) != NULL) {
        row r;
        char *field[9], *save = NULL, *score;
        size_t k, hex_len;
        CHECK(strchr(line, '\n') != NULL); /* the line fitted */
        line[strcspn(line, "\n")] = '\0';
        memset(&r, 0, sizeof r);
        for (k = 0; k < 9; k++) {
            field[k] = strtok_r(k == 0 ? line : NULL, "\t", &save);
            CHECK(field[k] != NULL);
        }
        snprintf(r.model, sizeof r.model, "%s", field[0]);
        snprintf(r.policy, sizeof r.policy, "%s", field[1]);
        r.stride = strcmp(field[2], "-") == 0 ? -1 : strtol(field[2], NULL, 10);
        r.max_length = (unsigned)strtoul(field[3], NULL, 10);
        snprintf(r.top_label, sizeof r.top_label, "%s", field[4]);
        r.truncated = strcmp(field[5], "1") == 0;
        r.windows = (unsigned)strtoul(field[6], NULL, 10);
        for (score = strtok_r(field[7], ",", &save); score != NULL; score = strtok_r(NULL, ",", &save)) {
            CHECK(r.labels < MAX_LABELS);
            r.scores[r.labels++] = strtod(score, NULL);
        }
        hex_len = strlen(field[8]);
        CHECK(hex_len % 2 == 0);
        r.len = hex_len / 2;
        r.text = (char *)malloc(r.len + 1);
        CHECK(r.text != NULL);
        for (k = 0; k < r.len; k++) {
            int hi = hex_value(field[8][2 * k]), lo = hex_value(field[8][2 * k + 1]);
            if (hi < 0 || lo < 0) {
                break;
            }
            r.text[k] = (char)(hi * 16 + lo);
        }
        CHECK(k == r.len); /* all hex */
        r.text[r.len] = '\0';
        rows = (row *)realloc(rows, (row_count + 1) * sizeof *rows);
        CHECK(rows != NULL);
        rows[row_count++] = r;
    }
    fclose(file);
    CHECK(row_count >= 20);
}

static int same_case(const row *a, const row *b) {
    return strcmp(a->model, b->model) == 0 && strcmp(a->policy, b->policy) == 0 &&
           a->stride == b->stride && a->max_length == b->max_length;
}

static vigil_model *open_case(const row *r, uint32_t sessions) {
    vigil_options *options = vigil_options_new();
    vigil_model *model;
    uint32_t policy = strcmp(r->policy, "truncate") == 0      ? VIGIL_LONG_TEXT_TRUNCATE
                      : strcmp(r->policy, "window_mean") == 0 ? VIGIL_LONG_TEXT_WINDOW_MEAN
                                                              : VIGIL_LONG_TEXT_WINDOW_MAX;
    CHECK(strcmp(r->policy, "window_max") == 0 || policy != VIGIL_LONG_TEXT_WINDOW_MAX);
    EXPECT_OK(vigil_options_set_long_text(options, policy));
    if (r->stride >= 0) {
        EXPECT_OK(vigil_options_set_stride(options, (uint32_t)r->stride));
    }
    EXPECT_OK(vigil_options_set_sessions(options, sessions));
    model = open_model(r->model, options);
    vigil_options_free(options);
    CHECK(vigil_model_max_length(model) == r->max_length);
    return model;
}

static vigil_str *views_of(const row *first, size_t n) {
    vigil_str *texts = (vigil_str *)malloc(n * sizeof *texts);
    size_t i;
    CHECK(texts != NULL);
    for (i = 0; i < n; i++) {
        texts[i].ptr = first[i].text;
        texts[i].len = first[i].len;
    }
    return texts;
}

static void test_parity(void) {
    size_t start = 0, i, j, cases = 0;
    double worst = 0;
    while (start < row_count) {
        size_t n = 1;
        const row *first = &rows[start];
        vigil_model *model;
        vigil_classification *batch = NULL;
        vigil_str *texts;
        while (start + n < row_count && same_case(first, &rows[start + n])) {
            n++;
        }
        model = open_case(first, 1);
        CHECK(vigil_model_label_count(model) == first->labels);
        texts = views_of(first, n);

        EXPECT_OK(vigil_model_classify(model, texts, n, &batch));
        CHECK(vigil_classification_count(batch) == n);
        for (i = 0; i < n; i++) {
            const row *r = &first[i];
            const double *scores = vigil_classification_scores(batch, i);
            vigil_classification *single = NULL;
            answer together, alone;
            for (j = 0; j < r->labels; j++) {
                double diff = fabs(scores[j] - r->scores[j]);
                if (!(diff < 1e-5)) {
                    fprintf(stderr, "%s %s text %u label %u: got %.9f, transformers %.9f\n",
                            r->model, r->policy, (unsigned)i, (unsigned)j, scores[j], r->scores[j]);
                }
                CHECK(diff < 1e-5);
                worst = diff > worst ? diff : worst;
            }
            CHECK(strcmp(vigil_classification_top_label(batch, i), r->top_label) == 0);
            CHECK(strcmp(vigil_model_label(model, vigil_classification_top(batch, i)), r->top_label) == 0);
            CHECK(vigil_classification_truncated(batch, i) == r->truncated);
            CHECK(vigil_classification_windows(batch, i) == r->windows);

            /* The same text alone gives the batch's answer. */
            EXPECT_OK(vigil_model_classify(model, &texts[i], 1, &single));
            CHECK(save_answer(batch, i, r->labels, &together));
            CHECK(save_answer(single, 0, r->labels, &alone));
            CHECK(same_answer(&together, &alone, r->labels, 1e-6));
            vigil_classification_free(single);
        }
        CHECK(vigil_classification_scores(batch, n) == NULL); /* out of range */
        CHECK(vigil_classification_windows(batch, n) == 0);
        vigil_classification_free(batch);
        vigil_model_free(model);
        free(texts);
        start += n;
        cases++;
    }
    CHECK(cases >= 5);
    printf("parity: %u texts in %u cases, largest |vigil - transformers| %.2e\n",
           (unsigned)row_count, (unsigned)cases, worst);
}

/* ---- 6. results keep their model alive --------------------------------- */

static void test_result_outlives_model(void) {
    vigil_model *model = open_model("bert-cls3", NULL);
    vigil_classification *result = NULL;
    vigil_str text = str_of("Severe hepatotoxicity requiring hospitalisation after valproate.");
    char expected_label[64];
    double expected[3];
    const double *scores;
    size_t j;

    EXPECT_OK(vigil_model_classify(model, &text, 1, &result));
    snprintf(expected_label, sizeof expected_label, "%s",
             vigil_model_label(model, vigil_classification_top(result, 0)));
    memcpy(expected, vigil_classification_scores(result, 0), sizeof expected);

    vigil_model_free(model); /* first: the result still holds a reference */
    scores = vigil_classification_scores(result, 0);
    CHECK(scores != NULL);
    for (j = 0; j < 3; j++) {
        CHECK(scores[j] == expected[j]);
    }
    CHECK(strcmp(vigil_classification_top_label(result, 0), expected_label) == 0);
    CHECK(vigil_classification_label_count(result) == 3);
    CHECK(strcmp(vigil_classification_label(result, 0), "DLT") == 0);
    CHECK(vigil_classification_label(result, 3) == NULL);
    CHECK(vigil_classification_top(result, 1) == SIZE_MAX);
    vigil_classification_free(result); /* releases the model too (ASan/LSan see it) */
}

/* ---- 6b. spans and reranking through the ABI --------------------------- */

static void test_spans(void) {
    /* The emoji makes UTF-16 offsets differ from byte offsets. */
    const char *text = "\xF0\x9F\x98\xB7 rash and nausea after ibuprofen, then severe angioedema.";
    vigil_str view = str_of(text);
    vigil_model *model = open_model("bert-ner-bio", NULL);
    vigil_model *classifier = open_model("bert-cls2", NULL);
    vigil_span_options *options = vigil_span_options_new();
    vigil_spans *spans = (vigil_spans *)SENTINEL;
    vigil_str none = {NULL, 0};
    size_t i, n;

    CHECK(vigil_model_task(model) == VIGIL_TASK_TOKEN_CLASSIFICATION);
    EXPECT_ERROR(vigil_model_extract_spans(classifier, &view, 1, NULL, &spans), VIGIL_ERROR_TASK_MISMATCH, NULL);
    EXPECT_ERROR(vigil_span_options_set_aggregation(options, 99), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    EXPECT_ERROR(vigil_model_extract_spans(model, NULL, 1, options, &spans), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    CHECK(spans == (vigil_spans *)SENTINEL);
    /* Keep every label, O included, so there is always something to check. */
    EXPECT_OK(vigil_span_options_set_ignore_labels(options, NULL, 0));
    EXPECT_OK(vigil_span_options_set_aggregation(options, VIGIL_AGGREGATION_FIRST));
    spans = NULL;
    EXPECT_OK(vigil_model_extract_spans(model, &view, 1, options, &spans));
    vigil_model_free(model); /* the result keeps its model and its copy of the text */
    CHECK(vigil_spans_text_count(spans) == 1);
    n = vigil_spans_count(spans, 0);
    CHECK(n > 3);
    CHECK(vigil_spans_windows(spans, 0) == 1);
    for (i = 0; i < n; i++) {
        size_t start = vigil_spans_start(spans, 0, i), end = vigil_spans_end(spans, 0, i);
        vigil_str covered = vigil_spans_text(spans, 0, i);
        CHECK(start < end && end <= view.len);
        CHECK(covered.len == end - start && memcmp(covered.ptr, text + start, covered.len) == 0);
        /* Past the 4-byte emoji (2 UTF-16 units), byte offsets run 2 ahead. */
        CHECK(start < 4 || vigil_spans_start_utf16(spans, 0, i) == start - 2);
        CHECK(vigil_spans_end_utf16(spans, 0, i) == end - 2);
        CHECK(vigil_spans_label(spans, 0, i) != NULL);
        CHECK(vigil_spans_score(spans, 0, i) > 0.0 && vigil_spans_score(spans, 0, i) <= 1.0);
        CHECK(vigil_spans_token(spans, 0, i) == -1);
        CHECK(i == 0 || vigil_spans_start(spans, 0, i - 1) < start);
    }
    CHECK(vigil_spans_label(spans, 0, n) == NULL);
    CHECK(vigil_spans_text(spans, 0, n).ptr == none.ptr);
    CHECK(vigil_spans_score(spans, 1, 0) != vigil_spans_score(spans, 1, 0)); /* NaN out of range */
    vigil_spans_free(spans);
    vigil_span_options_free(options);
    vigil_model_free(classifier);
}

/* UTF-16 input (what Java and .NET hold): same answers as UTF-8, offsets that
 * index the UTF-16 string, and unpaired surrogates refused. */
static void test_utf16(void) {
    /* "rash 😷 after dose" in UTF-8 and UTF-16 (the emoji is a surrogate pair). */
    const char *utf8 = "rash \xF0\x9F\x98\xB7 after dose";
    static const uint16_t utf16[] = {'r', 'a', 's', 'h', ' ', 0xD83D, 0xDE37, ' ', 'a', 'f', 't', 'e', 'r',
                                     ' ', 'd', 'o', 's', 'e'};
    static const uint16_t lone[] = {'r', 'a', 's', 'h', 0xD83D};
    vigil_str16 text16 = {utf16, sizeof utf16 / sizeof utf16[0]};
    vigil_str16 bad = {lone, 5};
    vigil_str text8 = str_of(utf8);
    vigil_model *model = open_model("bert-cls2", NULL);
    vigil_model *tagger = open_model("bert-ner-bio", NULL);
    vigil_classification *a = NULL, *b = (vigil_classification *)SENTINEL;
    vigil_spans *spans = NULL;
    vigil_span_options *keep_all = vigil_span_options_new();
    size_t i;

    EXPECT_ERROR(vigil_model_classify_utf16(model, &bad, 1, &b), VIGIL_ERROR_INVALID_UTF16, "text 0");
    CHECK(b == (vigil_classification *)SENTINEL);
    EXPECT_OK(vigil_model_classify(model, &text8, 1, &a));
    EXPECT_OK(vigil_model_classify_utf16(model, &text16, 1, &b));
    CHECK(vigil_classification_scores(a, 0)[0] == vigil_classification_scores(b, 0)[0]);
    CHECK(vigil_classification_scores(a, 0)[1] == vigil_classification_scores(b, 0)[1]);
    EXPECT_OK(vigil_span_options_set_ignore_labels(keep_all, NULL, 0));
    EXPECT_OK(vigil_model_extract_spans_utf16(tagger, &text16, 1, keep_all, &spans));
    CHECK(vigil_spans_count(spans, 0) > 0);
    for (i = 0; i < vigil_spans_count(spans, 0); i++) {
        size_t s16 = vigil_spans_start_utf16(spans, 0, i), e16 = vigil_spans_end_utf16(spans, 0, i);
        vigil_str covered = vigil_spans_text(spans, 0, i);
        CHECK(s16 < e16 && e16 <= text16.len);
        /* The UTF-8 copy of the covered text matches the UTF-8 input at the byte offsets. */
        CHECK(memcmp(covered.ptr, utf8 + vigil_spans_start(spans, 0, i), covered.len) == 0);
        /* ASCII-only spans: UTF-16 units equal the bytes they cover. */
        if (covered.len == e16 - s16) {
            size_t k;
            for (k = 0; k < covered.len; k++) {
                CHECK(utf16[s16 + k] == (uint16_t)(unsigned char)covered.ptr[k]);
            }
        }
    }
    vigil_spans_free(spans);
    vigil_span_options_free(keep_all);
    vigil_classification_free(a);
    vigil_classification_free(b);
    vigil_model_free(model);
    vigil_model_free(tagger);
}

static void test_rerank(void) {
    vigil_model *model = open_model("bert-cross-encoder", NULL);
    vigil_candidates *candidates = vigil_candidates_new();
    vigil_rerank_options *options = vigil_rerank_options_new();
    vigil_ranking *ranking = (vigil_ranking *)SENTINEL;
    vigil_str llts[2], none = {NULL, 0};
    vigil_str texts[3];
    size_t i, n;

    llts[0] = str_of("Heart racing");
    llts[1] = str_of("Pulse fast");
    texts[0] = str_of("Rash");
    texts[1] = str_of("Nausea");
    texts[2] = str_of("Rash");
    CHECK(vigil_model_task(model) == VIGIL_TASK_CROSS_ENCODER);
    EXPECT_OK(vigil_candidates_add_meddra(candidates, str_of("Tachycardia"), llts, 2, str_of("Rate disorders"), none,
                                          str_of("Cardiac disorders")));
    EXPECT_OK(vigil_candidates_add_text(candidates, str_of("Rash")));
    EXPECT_OK(vigil_candidates_add_meddra(candidates, str_of("Nausea"), NULL, 0, none, none, none));
    EXPECT_ERROR(vigil_candidates_add_meddra(candidates, str_of("x"), NULL, 3, none, none, none),
                 VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    EXPECT_ERROR(vigil_model_rerank(model, str_of("heart racing"), NULL, NULL, &ranking), VIGIL_ERROR_INVALID_ARGUMENT,
                 "candidates");
    EXPECT_ERROR(vigil_rerank_options_set_threshold(options, 1.5), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    CHECK(ranking == (vigil_ranking *)SENTINEL);

    ranking = NULL;
    EXPECT_OK(vigil_model_rerank(model, str_of("felt my heart racing"), candidates, NULL, &ranking));
    vigil_model_free(model); /* the ranking keeps the model alive */
    n = vigil_ranking_count(ranking);
    CHECK(n == 3);
    for (i = 0; i < n; i++) {
        double score = vigil_ranking_score(ranking, i);
        CHECK(vigil_ranking_index(ranking, i) < 3);
        CHECK(i == 0 || vigil_ranking_score(ranking, i - 1) >= score);
        CHECK(vigil_ranking_passes(ranking, i) == (score >= 0.3)); /* vigil.json's threshold */
        CHECK(!vigil_ranking_truncated(ranking, i));
    }
    CHECK(vigil_ranking_index(ranking, n) == SIZE_MAX);
    vigil_ranking_free(ranking);

    model = open_model("bert-cross-encoder", NULL);
    EXPECT_OK(vigil_rerank_options_set_top_k(options, 2));
    EXPECT_OK(vigil_rerank_options_set_threshold(options, 1.0));
    EXPECT_OK(vigil_model_rerank_texts(model, str_of("itchy rash"), texts, 3, options, &ranking));
    CHECK(vigil_ranking_count(ranking) == 2);
    CHECK(!vigil_ranking_passes(ranking, 0));
    /* Equal candidates tie and keep input order. */
    CHECK(vigil_ranking_index(ranking, 0) == 0 || vigil_ranking_index(ranking, 0) == 1);
    vigil_ranking_free(ranking);
    EXPECT_OK(vigil_model_rerank_texts(model, str_of("itchy rash"), NULL, 0, NULL, &ranking));
    CHECK(vigil_ranking_count(ranking) == 0);
    vigil_ranking_free(ranking);
    vigil_candidates_free(candidates);
    vigil_rerank_options_free(options);
    vigil_model_free(model);
}

/* ---- 6c. MedDRA: dictionary, retrieval, normalisation ------------------ */

static void test_meddra(const char *meddra_dir) {
    vigil_meddra *meddra = (vigil_meddra *)SENTINEL;
    vigil_model *model = open_model("bert-cross-encoder", NULL);
    vigil_model *classifier = open_model("bert-cls2", NULL);
    vigil_hits *hits = NULL;
    vigil_codings *codings = NULL;
    vigil_normalize_options *options = vigil_normalize_options_new();
    vigil_str mentions[2];
    uint32_t pt, hlt = 0, hlgt = 0, soc = 0;
    bool primary = false;
    size_t i;

    EXPECT_ERROR(vigil_meddra_open("/nonexistent/meddra", 0, &meddra), VIGIL_ERROR_IO, "/nonexistent/meddra");
    EXPECT_ERROR(vigil_meddra_open(meddra_dir, 8, &meddra), VIGIL_ERROR_INVALID_ARGUMENT, "flags");
    CHECK(meddra == (vigil_meddra *)SENTINEL);
    EXPECT_OK(vigil_meddra_open(meddra_dir, 0, &meddra));
    CHECK(vigil_meddra_pt_count(meddra) == 64);
    CHECK(vigil_meddra_llt_count(meddra) > vigil_meddra_pt_count(meddra));

    EXPECT_OK(vigil_meddra_retrieve(meddra, str_of("Headache"), 5, &hits));
    CHECK(vigil_hits_count(hits) == 5);
    CHECK(vigil_hits_exact(hits, 0));
    CHECK(strcmp(vigil_hits_matched_name(hits, 0), "Headache") == 0);
    pt = vigil_hits_pt(hits, 0);
    CHECK(strcmp(vigil_meddra_name(meddra, pt), "Headache") == 0);
    CHECK(vigil_meddra_llt_pt(meddra, vigil_hits_matched_code(hits, 0)) == pt);
    CHECK(vigil_meddra_path_count(meddra, pt) >= 1);
    CHECK(vigil_meddra_path(meddra, pt, 0, &hlt, &hlgt, &soc, &primary));
    CHECK(primary && soc == vigil_meddra_primary_soc(meddra, pt) && vigil_meddra_name(meddra, hlt) != NULL);
    CHECK(!vigil_meddra_path(meddra, pt, 99, NULL, NULL, NULL, NULL));
    CHECK(vigil_meddra_name(meddra, 1) == NULL);
    for (i = 1; i < vigil_hits_count(hits); i++) {
        CHECK(!vigil_hits_exact(hits, i));
    }
    vigil_hits_free(hits);

    mentions[0] = str_of("pain in my head");
    mentions[1] = str_of("Headache");
    EXPECT_ERROR(vigil_meddra_normalize(meddra, classifier, mentions, 2, NULL, &codings), VIGIL_ERROR_TASK_MISMATCH, NULL);
    EXPECT_ERROR(vigil_normalize_options_set_candidates(options, 0), VIGIL_ERROR_INVALID_ARGUMENT, NULL);
    EXPECT_OK(vigil_normalize_options_set_threshold(options, 0.0));
    EXPECT_OK(vigil_normalize_options_set_candidates(options, 20));
    EXPECT_OK(vigil_normalize_options_set_top_k(options, 4));
    EXPECT_OK(vigil_meddra_normalize(meddra, model, mentions, 2, options, &codings));
    /* The codings keep the dictionary and the model alive. */
    vigil_meddra_free(meddra);
    vigil_model_free(model);
    CHECK(vigil_codings_mention_count(codings) == 2);
    for (i = 0; i < 2; i++) {
        size_t j;
        CHECK(vigil_codings_count(codings, i) == 4); /* threshold 0 passes all, top-k keeps 4 */
        for (j = 0; j < 4; j++) {
            CHECK(vigil_codings_pt(codings, i, j) != 0 && vigil_codings_soc(codings, i, j) != 0);
            CHECK(vigil_codings_pt_name(codings, i, j) != NULL);
            CHECK(vigil_codings_soc_name(codings, i, j) != NULL && vigil_codings_soc_name(codings, i, j)[0] != '\0');
            CHECK(j == 0 || vigil_codings_score(codings, i, j - 1) >= vigil_codings_score(codings, i, j));
        }
    }
    CHECK(vigil_codings_pt_name(codings, 2, 0) == NULL);
    vigil_codings_free(codings);
    vigil_normalize_options_free(options);
    vigil_model_free(classifier);
}

/* ---- 7. threads share one const model ---------------------------------- */

#define THREADS 8
#define ROUNDS 3
#define MAX_TEXTS 32

typedef struct worker {
    const vigil_model *model; /* shared, read-only */
    const vigil_str *texts;
    size_t n, labels, offset;
    answer got[ROUNDS][MAX_TEXTS]; /* in input order */
    int ok;
} worker;

static void *work(void *arg) {
    worker *w = (worker *)arg;
    vigil_str order[MAX_TEXTS];
    size_t round, k;
    w->ok = 1;
    for (round = 0; round < ROUNDS; round++) {
        vigil_classification *result = NULL;
        vigil_error *err;
        /* Each thread starts at a different text, so batches differ. */
        for (k = 0; k < w->n; k++) {
            order[k] = w->texts[(k + w->offset + round) % w->n];
        }
        err = vigil_model_classify(w->model, order, w->n, &result);
        if (err != NULL) {
            fprintf(stderr, "thread %u: %s\n", (unsigned)w->offset, vigil_error_message(err));
            vigil_error_free(err);
            w->ok = 0;
            return NULL;
        }
        for (k = 0; k < w->n; k++) {
            w->ok &= save_answer(result, k, w->labels, &w->got[round][(k + w->offset + round) % w->n]);
        }
        vigil_classification_free(result);
    }
    return NULL;
}

static void test_threads(void) {
    static worker workers[THREADS];
    const row *first = NULL;
    size_t i, n = 0, t, round;
    uint32_t sessions;

    /* The windowed case: long texts make several graph runs per call. */
    for (i = 0; i < row_count && first == NULL; i++) {
        if (strcmp(rows[i].policy, "window_mean") == 0) {
            first = &rows[i];
        }
    }
    CHECK(first != NULL);
    while (first + n < rows + row_count && same_case(first, first + n)) {
        n++;
    }
    CHECK(n <= MAX_TEXTS);

    for (sessions = 1; sessions <= 3; sessions += 2) {
        vigil_model *model = open_case(first, sessions);
        vigil_str *texts = views_of(first, n);
        vigil_classification *serial = NULL;
        pthread_t threads[THREADS];
        size_t labels = vigil_model_label_count(model);

        EXPECT_OK(vigil_model_classify(model, texts, n, &serial));
        for (t = 0; t < THREADS; t++) {
            workers[t].model = model;
            workers[t].texts = texts;
            workers[t].n = n;
            workers[t].labels = labels;
            workers[t].offset = t;
            CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
        }
        for (t = 0; t < THREADS; t++) {
            CHECK(pthread_join(threads[t], NULL) == 0);
        }
        for (t = 0; t < THREADS; t++) {
            size_t differ = 0;
            CHECK(workers[t].ok);
            for (round = 0; round < ROUNDS; round++) {
                for (i = 0; i < n; i++) {
                    answer expected;
                    CHECK(save_answer(serial, i, labels, &expected));
                    differ += !same_answer(&expected, &workers[t].got[round][i], labels, 1e-6);
                }
            }
            CHECK(differ == 0); /* every text, every round: the serial answer */
        }
        vigil_classification_free(serial);
        vigil_model_free(model);
        free(texts);
    }
}

/* ---- --missing-runtime ------------------------------------------------- */

static char loaded_vigil[4096];

static int find_vigil(struct dl_phdr_info *info, size_t size, void *data) {
    const char *name = info->dlpi_name;
    (void)size;
    (void)data;
    if (name != NULL && strstr(name, "libvigil.so") != NULL) {
        snprintf(loaded_vigil, sizeof loaded_vigil, "%s", name);
        return 1;
    }
    return 0;
}

static int missing_runtime(const char *model_dir, const char *good_ort, const char *vigil_dir) {
    vigil_model *model = (vigil_model *)SENTINEL;
    vigil_options *options = vigil_options_new();
    vigil_classification *result = NULL;
    vigil_str text = str_of("Dizziness after the dose was doubled.");
    const char *env_paths[2];
    char beside[4096 + 32], real_loaded[4096], real_dir[4096];
    size_t i;

    /* This process must really run the lone copy of libvigil.so. */
    dl_iterate_phdr(find_vigil, NULL);
    CHECK(loaded_vigil[0] != '\0');
    CHECK(realpath(loaded_vigil, real_loaded) != NULL);
    CHECK(realpath(vigil_dir, real_dir) != NULL);
    snprintf(beside, sizeof beside, "%s/libvigil.so", real_dir);
    if (strcmp(real_loaded, beside) != 0) {
        fprintf(stderr, "loaded %s, expected %s\n", real_loaded, beside);
    }
    CHECK(strcmp(real_loaded, beside) == 0);
    snprintf(beside, sizeof beside, "%s/libonnxruntime.so", vigil_dir);

    env_paths[0] = getenv("VIGIL_ORT_LIBRARY");
    env_paths[1] = getenv("ORT_DYLIB_PATH");
    CHECK(env_paths[0] != NULL && env_paths[1] != NULL);

    /* Defaults: both variables, the folder of libvigil.so, the system loader. */
    {
        vigil_error *err = vigil_model_open(model_dir, NULL, &model);
        const char *message = vigil_error_message(err);
        printf("missing runtime: %s\n", message);
        for (i = 0; i < 2; i++) {
            CHECK(strstr(message, env_paths[i]) != NULL);
        }
        CHECK(strstr(message, beside) != NULL);
        CHECK(strstr(message, "tried: ") != NULL);
        CHECK(strstr(message, "; libonnxruntime.so (") != NULL); /* the system loader, last */
        EXPECT_ERROR(err, VIGIL_ERROR_RUNTIME_UNAVAILABLE, NULL);
        CHECK(model == (vigil_model *)SENTINEL);
    }

    /* An explicit bad path comes first in the list. */
    EXPECT_OK(vigil_options_set_ort_library(options, "/nonexistent/explicit/libonnxruntime.so"));
    EXPECT_ERROR(vigil_model_open(model_dir, options, &model), VIGIL_ERROR_RUNTIME_UNAVAILABLE,
                 "tried: /nonexistent/explicit/libonnxruntime.so");
    CHECK(model == (vigil_model *)SENTINEL);

    /* Nothing was lost: the right path now works in this same process. */
    EXPECT_OK(vigil_options_set_ort_library(options, good_ort));
    EXPECT_OK(vigil_model_open(model_dir, options, &model));
    CHECK(model != (vigil_model *)SENTINEL);
    EXPECT_OK(vigil_model_classify(model, &text, 1, &result));
    CHECK(vigil_classification_count(result) == 1);
    vigil_classification_free(result);
    vigil_model_free(model);

    /* Once loaded, the runtime is the process's: default options find it. */
    model = NULL;
    EXPECT_OK(vigil_model_open(model_dir, NULL, &model));
    vigil_model_free(model);
    vigil_options_free(options);

    printf("%d passed, 0 failed\n", passed);
    return 0;
}

/* Leaks one options object on purpose: run.sh expects LeakSanitizer to
 * report it, proving leak detection is live (it silently is not under
 * ptrace, for one) and so that the clean runs above mean something. */
static int leak_canary(void) {
    vigil_options *volatile leaked = vigil_options_new();
    printf("leaking the vigil_options at %p on purpose\n", (void *)leaked);
    leaked = NULL;
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--leak-canary") == 0) {
        return leak_canary();
    }
    if (argc == 5 && strcmp(argv[1], "--missing-runtime") == 0) {
        return missing_runtime(argv[2], argv[3], argv[4]);
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODELS_DIR PARITY_TSV\n"
                        "       %s --missing-runtime MODEL_DIR GOOD_ORT_LIBRARY VIGIL_DIR\n",
                argv[0], argv[0]);
        return 2;
    }
    snprintf(models_dir, sizeof models_dir, "%s", argv[1]);
    read_parity(argv[2]);

    test_versions();
    test_null_handles();
    test_null_arguments();
    test_texts();
    test_open();
    test_parity();
    test_result_outlives_model();
    test_threads();
    test_spans();
    test_utf16();
    test_rerank();
    {
        /* The invented MedDRA release sits beside the fixture models. */
        char meddra_dir[4096 + 32];
        snprintf(meddra_dir, sizeof meddra_dir, "%s/../meddra/en", models_dir);
        test_meddra(meddra_dir);
    }

    for (size_t i = 0; i < row_count; i++) {
        free(rows[i].text);
    }
    free(rows);
    printf("%d passed, 0 failed\n", passed);
    return 0;
}
