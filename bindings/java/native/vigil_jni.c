/*
 * JNI glue between org.vigil.Native and the C ABI (include/vigil.h).
 *
 * Each native method is one crossing. Handles travel as jlong; failures are
 * thrown as org.vigil.VigilException (a vigil_error's code and message).
 * Results are copied into primitive arrays (layouts in Native.java) and the C
 * result freed before returning, so Java never holds a borrowed C pointer;
 * Java builds the result objects. Building them here instead, with one
 * NewObject upcall each, measured ~1.5 us per text against ~0.13 us.
 *
 * Strings: texts for classify/spans go in as UTF-16 (the vigil_str16 entry
 * points), copied with GetStringRegion into one buffer per call. Critical
 * access would not save that copy for Latin-1 strings (compact strings
 * inflate anyway) and would stall the GC for the whole inference; the
 * benchmark in src/test measures both. Everything else (mention, candidate
 * texts, labels, paths) is UTF-8 in the C ABI, so it is transcoded here,
 * refusing unpaired surrogates with INVALID_UTF16 as the UTF-16 entry points do.
 */
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil.h"

#define MODEL(handle) ((const vigil_model *)(intptr_t)(handle))
#define OPTIONS(handle) ((vigil_options *)(intptr_t)(handle))
#define CANDIDATES(handle) ((vigil_candidates *)(intptr_t)(handle))
#define MEDDRA(handle) ((const vigil_meddra *)(intptr_t)(handle))

/* Resolved once in JNI_OnLoad (FindClass per call measured ~1 us); global
 * references keep the classes loaded. */
static jclass exception_class, object_class, string_class;
static jmethodID exception_init;

static jclass global_class(JNIEnv *env, const char *name) {
    jclass local = (*env)->FindClass(env, name);
    jclass global = local ? (*env)->NewGlobalRef(env, local) : NULL;
    (*env)->DeleteLocalRef(env, local);
    return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    JNIEnv *env;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK ||
        !(exception_class = global_class(env, "org/vigil/VigilException")) ||
        !(exception_init = (*env)->GetMethodID(env, exception_class, "<init>", "(ILjava/lang/String;)V")) ||
        !(object_class = global_class(env, "java/lang/Object")) ||
        !(string_class = global_class(env, "java/lang/String"))) {
        return JNI_ERR; /* a pending NoClassDefFoundError/NoSuchMethodError says which */
    }
    return JNI_VERSION_1_8;
}

/* ---- text: UTF-8 out of C, UTF-16 and UTF-8 into C ---------------------- */

static void throw_oom(JNIEnv *env, const char *what) {
    jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (oom != NULL) {
        (*env)->ThrowNew(env, oom, what);
    }
}

/* Decodes C's UTF-8 (valid by the ABI's contract; bad bytes become U+FFFD
 * rather than trusting it blindly) into a Java string. NewStringUTF would
 * read modified UTF-8, which mangles characters outside the BMP. */
static jstring new_string(JNIEnv *env, const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    jchar small[256] = {0}; /* zeroed only to quiet -Wmaybe-uninitialized for empty strings */
    jchar *units = len <= 256 ? small : malloc(len * sizeof(jchar)); /* units <= bytes */
    size_t i = 0, n = 0;
    jstring result;
    if (units == NULL) {
        throw_oom(env, "vigil: string");
        return NULL;
    }
    while (i < len) {
        uint32_t c = s[i], min;
        size_t extra = c < 0x80 ? 0 : c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 4;
        size_t k;
        if (extra == 4 || extra > len - i - 1) { /* stray byte, or cut short */
            units[n++] = 0xFFFD;
            i++;
            continue;
        }
        c &= extra == 0 ? 0x7F : extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07;
        for (k = 1; k <= extra && (s[i + k] & 0xC0) == 0x80; k++) {
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
        if (k <= extra || (extra > 0 && c < min) || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) {
            units[n++] = 0xFFFD;
            i++;
            continue;
        }
        i += extra + 1;
        if (c >= 0x10000) {
            units[n++] = (jchar)(0xD800 + ((c - 0x10000) >> 10));
            units[n++] = (jchar)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            units[n++] = (jchar)c;
        }
    }
    result = (*env)->NewString(env, units, (jsize)n);
    if (units != small) {
        free(units);
    }
    return result;
}

static jstring new_c_string(JNIEnv *env, const char *text) {
    return text == NULL ? NULL : new_string(env, text, strlen(text));
}

/* Throws VigilException(code, message); the message starts with the code's
 * name, as the C ABI's messages do. */
static void throw_vigil(JNIEnv *env, uint32_t code, const char *message) {
    jstring text = new_c_string(env, message);
    jobject exception = text ? (*env)->NewObject(env, exception_class, exception_init, (jint)code, text) : NULL;
    if (exception != NULL) {
        (*env)->Throw(env, exception);
    }
}

/* Nonzero when `err` was an error: it is thrown and freed. */
static int failed(JNIEnv *env, vigil_error *err) {
    if (err == NULL) {
        return 0;
    }
    throw_vigil(env, vigil_error_code(err), vigil_error_message(err));
    vigil_error_free(err);
    return 1;
}

/* Java strings to pass in: either the elements of a String[] or one String
 * (a NULL `one` is an absent optional: zero strings). `what` names them in
 * error messages ("text 3", "mention"). */
typedef struct {
    jobjectArray array;
    jstring one;
    const char *what;
} strings;

static jsize strings_count(JNIEnv *env, strings in) {
    return in.array ? (*env)->GetArrayLength(env, in.array) : in.one ? 1 : 0;
}

static void describe(char *buf, size_t size, strings in, size_t i) {
    if (in.array) {
        snprintf(buf, size, "%s %zu", in.what, i);
    } else {
        snprintf(buf, size, "%s", in.what);
    }
}

/* The strings' UTF-16 in one buffer, with a view of each. */
typedef struct {
    jchar *units;
    vigil_str16 *views;
    size_t n;
} texts16;

static void texts16_free(texts16 *t) {
    free(t->units);
    free(t->views);
}

/* Copies every string with GetStringRegion (one pass, one growing buffer,
 * so each array element is read once). Nonzero with an exception pending
 * on failure; `out` is then already freed. */
static int texts16_load(JNIEnv *env, strings in, texts16 *out) {
    jsize n = strings_count(env, in), i;
    size_t used = 0, capacity = 256;
    const jchar *at;
    memset(out, 0, sizeof *out);
    out->n = (size_t)n;
    out->views = calloc(n > 0 ? (size_t)n : 1, sizeof *out->views);
    out->units = malloc(capacity * sizeof(jchar));
    if (out->views == NULL || out->units == NULL) {
        texts16_free(out);
        throw_oom(env, "vigil: texts");
        return 1;
    }
    for (i = 0; i < n; i++) {
        jstring s = in.array ? (*env)->GetObjectArrayElement(env, in.array, i) : in.one;
        jsize len;
        if (s == NULL) {
            char name[64], message[96];
            describe(name, sizeof name, in, (size_t)i);
            snprintf(message, sizeof message, "%s is null", name);
            texts16_free(out);
            (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/NullPointerException"), message);
            return 1;
        }
        len = (*env)->GetStringLength(env, s);
        if (used + (size_t)len > capacity) {
            jchar *grown;
            while (used + (size_t)len > capacity) {
                capacity *= 2;
            }
            grown = realloc(out->units, capacity * sizeof(jchar));
            if (grown == NULL) {
                texts16_free(out);
                throw_oom(env, "vigil: texts");
                return 1;
            }
            out->units = grown;
        }
        (*env)->GetStringRegion(env, s, 0, len, out->units + used);
        out->views[i].len = (size_t)len;
        used += (size_t)len;
        if (in.array) {
            (*env)->DeleteLocalRef(env, s);
        }
    }
    /* Pointers only now: the buffer may have moved while growing. */
    for (at = out->units, i = 0; i < n; at += out->views[i].len, i++) {
        out->views[i].ptr = at;
    }
    return 0;
}

/* Encodes UTF-16 as UTF-8 into `dst` (room for 3 bytes per unit). Returns
 * the bytes written, or SIZE_MAX with `*bad` set to an unpaired surrogate's
 * index: it has no UTF-8 form. */
static size_t encode_utf8(const jchar *u, size_t n, char *dst, size_t *bad) {
    unsigned char *d = (unsigned char *)dst;
    size_t i;
    for (i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
        } else if (c >= 0xD800 && c < 0xE000) {
            *bad = i;
            return SIZE_MAX;
        }
        if (c < 0x80) {
            *d++ = (unsigned char)c;
        } else if (c < 0x800) {
            *d++ = (unsigned char)(0xC0 | (c >> 6));
            *d++ = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *d++ = (unsigned char)(0xE0 | (c >> 12));
            *d++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *d++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *d++ = (unsigned char)(0xF0 | (c >> 18));
            *d++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            *d++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *d++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    return (size_t)(d - (unsigned char *)dst);
}

/* The strings as UTF-8, each NUL-terminated too (for paths and names). */
typedef struct {
    char *bytes;
    vigil_str *views;
    size_t n;
} texts8;

static void texts8_free(texts8 *t) {
    free(t->bytes);
    free(t->views);
}

static int texts8_load(JNIEnv *env, strings in, texts8 *out) {
    texts16 utf16;
    size_t total = 0, i;
    char *at;
    memset(out, 0, sizeof *out);
    if (texts16_load(env, in, &utf16)) {
        return 1;
    }
    for (i = 0; i < utf16.n; i++) {
        total += utf16.views[i].len;
    }
    out->n = utf16.n;
    out->bytes = malloc(3 * total + utf16.n + 1);
    out->views = calloc(utf16.n > 0 ? utf16.n : 1, sizeof *out->views);
    if (out->bytes == NULL || out->views == NULL) {
        texts16_free(&utf16);
        texts8_free(out);
        throw_oom(env, "vigil: texts");
        return 1;
    }
    for (at = out->bytes, i = 0; i < utf16.n; i++) {
        size_t bad = 0;
        size_t len = encode_utf8(utf16.views[i].ptr, utf16.views[i].len, at, &bad);
        if (len == SIZE_MAX) {
            char name[64], message[192];
            describe(name, sizeof name, in, i);
            snprintf(message, sizeof message,
                     "INVALID_UTF16: %s is not valid UTF-16 (unpaired surrogate %#06x at unit %zu)", name,
                     (unsigned)utf16.views[i].ptr[bad], bad);
            texts16_free(&utf16);
            texts8_free(out);
            throw_vigil(env, VIGIL_ERROR_INVALID_UTF16, message);
            return 1;
        }
        out->views[i].ptr = at;
        out->views[i].len = len;
        at[len] = '\0';
        at += len + 1;
    }
    texts16_free(&utf16);
    return 0;
}

static vigil_str first_or_absent(const texts8 *t) {
    vigil_str absent = {NULL, 0};
    return t->n > 0 ? t->views[0] : absent;
}

/* A path or name for a NUL-terminated parameter; an embedded NUL would
 * silently cut it short, so it is refused. */
static int c_string_load(JNIEnv *env, jstring s, const char *what, texts8 *out) {
    strings in = {NULL, s, what};
    char message[128];
    if (s == NULL) { /* not absent here: these parameters are required */
        snprintf(message, sizeof message, "%s is null", what);
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/NullPointerException"), message);
        return 1;
    }
    if (texts8_load(env, in, out)) {
        return 1;
    }
    if (strlen(out->views[0].ptr) == out->views[0].len) {
        return 0;
    }
    texts8_free(out);
    snprintf(message, sizeof message, "INVALID_ARGUMENT: %s contains a NUL character", what);
    throw_vigil(env, VIGIL_ERROR_INVALID_ARGUMENT, message);
    return 1;
}

/* ---- results: primitive arrays, one copy each ---------------------------- */

/* Java arrays from C buffers; NULL with OutOfMemoryError pending on failure. */
static jobject new_ints(JNIEnv *env, const jint *values, size_t n) {
    jintArray array = (*env)->NewIntArray(env, (jsize)n);
    if (array != NULL) {
        (*env)->SetIntArrayRegion(env, array, 0, (jsize)n, values);
    }
    return array;
}

static jobject new_longs(JNIEnv *env, const jlong *values, size_t n) {
    jlongArray array = (*env)->NewLongArray(env, (jsize)n);
    if (array != NULL) {
        (*env)->SetLongArrayRegion(env, array, 0, (jsize)n, values);
    }
    return array;
}

static jobject new_doubles(JNIEnv *env, const jdouble *values, size_t n) {
    jdoubleArray array = (*env)->NewDoubleArray(env, (jsize)n);
    if (array != NULL) {
        (*env)->SetDoubleArrayRegion(env, array, 0, (jsize)n, values);
    }
    return array;
}

/* Sets element `i` of a String[]; a NULL `text` leaves it null. Nonzero
 * with an exception pending on failure. */
static int put_string(JNIEnv *env, jobjectArray array, size_t i, const char *text) {
    jstring s;
    if (text == NULL) {
        return 0;
    }
    if ((s = new_c_string(env, text)) == NULL) {
        return 1;
    }
    (*env)->SetObjectArrayElement(env, array, (jsize)i, s);
    (*env)->DeleteLocalRef(env, s);
    return 0;
}

/* The Object[] a result travels in; NULL if any part is (exception pending). */
static jobjectArray pack(JNIEnv *env, jobject *parts, jsize n) {
    jobjectArray out;
    jsize i;
    for (i = 0; i < n; i++) {
        if (parts[i] == NULL) {
            return NULL;
        }
    }
    out = (*env)->NewObjectArray(env, n, object_class, NULL);
    for (i = 0; out != NULL && i < n; i++) {
        (*env)->SetObjectArrayElement(env, out, i, parts[i]);
    }
    return out;
}

/* One calloc for a result's C-side buffers; NULL with OutOfMemoryError pending. */
static void *buffers(JNIEnv *env, size_t bytes) {
    void *memory = calloc(bytes > 0 ? bytes : 1, 1);
    if (memory == NULL) {
        throw_oom(env, "vigil: result");
    }
    return memory;
}

/* ---- version ------------------------------------------------------------ */

JNIEXPORT jstring JNICALL Java_org_vigil_Native_version(JNIEnv *env, jclass cls) {
    (void)cls;
    return new_c_string(env, vigil_version());
}

JNIEXPORT jint JNICALL Java_org_vigil_Native_abiVersion(JNIEnv *env, jclass cls) {
    (void)env, (void)cls;
    return (jint)vigil_abi_version();
}

/* What this glue was compiled against, to catch a mismatched libvigil.so. */
JNIEXPORT jint JNICALL Java_org_vigil_Native_headerAbiVersion(JNIEnv *env, jclass cls) {
    (void)env, (void)cls;
    return VIGIL_ABI_VERSION;
}

/* ---- options ------------------------------------------------------------ */

JNIEXPORT jlong JNICALL Java_org_vigil_Native_optionsNew(JNIEnv *env, jclass cls) {
    vigil_options *options = vigil_options_new();
    (void)cls;
    if (options == NULL) {
        throw_oom(env, "vigil: options");
    }
    return (jlong)(intptr_t)options;
}

JNIEXPORT void JNICALL Java_org_vigil_Native_optionsFree(JNIEnv *env, jclass cls, jlong options) {
    (void)env, (void)cls;
    vigil_options_free(OPTIONS(options));
}

/* The string-valued setters share one shape. */
static void set_string(JNIEnv *env, jlong options, jstring value, const char *what,
                       vigil_error *(*setter)(vigil_options *, const char *)) {
    texts8 text;
    if (c_string_load(env, value, what, &text)) {
        return;
    }
    failed(env, setter(OPTIONS(options), text.views[0].ptr));
    texts8_free(&text);
}

JNIEXPORT void JNICALL Java_org_vigil_Native_optionsSetOrtLibrary(JNIEnv *env, jclass cls, jlong options,
                                                                  jstring path) {
    (void)cls;
    set_string(env, options, path, "ort_library", vigil_options_set_ort_library);
}

JNIEXPORT void JNICALL Java_org_vigil_Native_optionsSetExecutionProvider(JNIEnv *env, jclass cls, jlong options,
                                                                         jstring name) {
    (void)cls;
    set_string(env, options, name, "execution provider", vigil_options_set_execution_provider);
}

/* Java ints are checked non-negative before they get here. */
#define U32_SETTER(java_name, c_setter)                                                               \
    JNIEXPORT void JNICALL Java_org_vigil_Native_##java_name(JNIEnv *env, jclass cls, jlong options, \
                                                             jint value) {                            \
        (void)cls;                                                                                    \
        failed(env, c_setter(OPTIONS(options), (uint32_t)value));                                     \
    }
U32_SETTER(optionsSetIntraThreads, vigil_options_set_intra_threads)
U32_SETTER(optionsSetSessions, vigil_options_set_sessions)
U32_SETTER(optionsSetMaxTokensPerBatch, vigil_options_set_max_tokens_per_batch)
U32_SETTER(optionsSetMaxLength, vigil_options_set_max_length)
U32_SETTER(optionsSetLongText, vigil_options_set_long_text)
U32_SETTER(optionsSetStride, vigil_options_set_stride)

JNIEXPORT void JNICALL Java_org_vigil_Native_optionsSetMaxTextBytes(JNIEnv *env, jclass cls, jlong options,
                                                                    jlong bytes) {
    (void)cls;
    failed(env, vigil_options_set_max_text_bytes(OPTIONS(options), (size_t)bytes));
}

/* ---- model -------------------------------------------------------------- */

JNIEXPORT jlong JNICALL Java_org_vigil_Native_modelOpen(JNIEnv *env, jclass cls, jstring dir, jlong options) {
    vigil_model *model = NULL;
    texts8 path;
    (void)cls;
    if (c_string_load(env, dir, "model directory", &path)) {
        return 0;
    }
    failed(env, vigil_model_open(path.views[0].ptr, OPTIONS(options), &model));
    texts8_free(&path);
    return (jlong)(intptr_t)model;
}

JNIEXPORT void JNICALL Java_org_vigil_Native_modelFree(JNIEnv *env, jclass cls, jlong model) {
    (void)env, (void)cls;
    vigil_model_free((vigil_model *)(intptr_t)model);
}

JNIEXPORT jint JNICALL Java_org_vigil_Native_modelTask(JNIEnv *env, jclass cls, jlong model) {
    (void)env, (void)cls;
    return (jint)vigil_model_task(MODEL(model));
}

JNIEXPORT jint JNICALL Java_org_vigil_Native_modelMaxLength(JNIEnv *env, jclass cls, jlong model) {
    (void)env, (void)cls;
    return (jint)vigil_model_max_length(MODEL(model));
}

JNIEXPORT jint JNICALL Java_org_vigil_Native_modelLongText(JNIEnv *env, jclass cls, jlong model) {
    (void)env, (void)cls;
    return (jint)vigil_model_long_text(MODEL(model));
}

JNIEXPORT jint JNICALL Java_org_vigil_Native_modelStride(JNIEnv *env, jclass cls, jlong model) {
    (void)env, (void)cls;
    return (jint)vigil_model_stride(MODEL(model));
}

JNIEXPORT jstring JNICALL Java_org_vigil_Native_modelFingerprint(JNIEnv *env, jclass cls, jlong model) {
    (void)cls;
    return new_c_string(env, vigil_model_fingerprint(MODEL(model)));
}

JNIEXPORT jstring JNICALL Java_org_vigil_Native_modelOrtVersion(JNIEnv *env, jclass cls, jlong model) {
    (void)cls;
    return new_c_string(env, vigil_model_ort_version(MODEL(model)));
}

JNIEXPORT jstring JNICALL Java_org_vigil_Native_modelExecutionProvider(JNIEnv *env, jclass cls, jlong model) {
    (void)cls;
    return new_c_string(env, vigil_model_execution_provider(MODEL(model)));
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_modelLabels(JNIEnv *env, jclass cls, jlong model) {
    size_t n = vigil_model_label_count(MODEL(model)), i;
    jobjectArray labels = (*env)->NewObjectArray(env, (jsize)n, string_class, NULL);
    (void)cls;
    for (i = 0; labels != NULL && i < n; i++) {
        if (put_string(env, labels, i, vigil_model_label(MODEL(model), i))) {
            return NULL;
        }
    }
    return labels;
}

/* ---- classify ----------------------------------------------------------- */

/* Fills Java's arrays (layout in Native.classify) with two region copies:
 * after inference every JNI call runs cache-cold, so fewer is measurably faster. */
static void classifications(JNIEnv *env, const vigil_classification *result, jdoubleArray scores_out,
                            jintArray meta_out) {
    size_t n = vigil_classification_count(result), width = vigil_classification_label_count(result), i;
    jdouble *scores = buffers(env, (n * width * sizeof *scores) + (3 * n * sizeof(jint)));
    jint *meta = (jint *)(scores + n * width);
    if (scores == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        memcpy(scores + i * width, vigil_classification_scores(result, i), width * sizeof *scores);
        meta[3 * i] = (jint)vigil_classification_top(result, i);
        meta[3 * i + 1] = vigil_classification_truncated(result, i);
        meta[3 * i + 2] = (jint)vigil_classification_windows(result, i);
    }
    /* Region copies check bounds: a wrongly sized array throws, never overflows. */
    (*env)->SetDoubleArrayRegion(env, scores_out, 0, (jsize)(n * width), scores);
    (*env)->SetIntArrayRegion(env, meta_out, 0, (jsize)(3 * n), meta);
    free(scores);
}

JNIEXPORT void JNICALL Java_org_vigil_Native_classify(JNIEnv *env, jclass cls, jlong model, jobjectArray texts,
                                                     jdoubleArray scores, jintArray meta) {
    strings in = {texts, NULL, "text"};
    vigil_classification *result = NULL;
    texts16 utf16;
    vigil_error *err;
    (void)cls;
    if (texts16_load(env, in, &utf16)) {
        return;
    }
    err = vigil_model_classify_utf16(MODEL(model), utf16.views, utf16.n, &result);
    texts16_free(&utf16);
    if (!failed(env, err)) {
        classifications(env, result, scores, meta);
    }
    vigil_classification_free(result);
}

/* ---- spans -------------------------------------------------------------- */

/* Layout in Native.extractSpans. Span texts are cut from the caller's own
 * strings by UTF-16 offset in Java, so vigil_spans_text's copy is not read. */
static jobjectArray spans_result(JNIEnv *env, const vigil_spans *result) {
    size_t texts = vigil_spans_text_count(result), total = 0, t, i, k;
    jint *per_text, *per_span;
    jlong *utf8;
    jdouble *scores;
    jobjectArray labels;
    jobject parts[5];
    for (t = 0; t < texts; t++) {
        total += vigil_spans_count(result, t);
    }
    /* doubles and longs first: the buffer's alignment suits them. */
    scores = buffers(env, total * (sizeof *scores + 2 * sizeof *utf8 + 3 * sizeof(jint)) + 3 * texts * sizeof(jint));
    if (scores == NULL) {
        return NULL;
    }
    utf8 = (jlong *)(scores + total);
    per_span = (jint *)(utf8 + 2 * total);
    per_text = per_span + 3 * total;
    labels = (*env)->NewObjectArray(env, (jsize)total, string_class, NULL);
    for (t = 0, k = 0; labels != NULL && t < texts; t++) {
        size_t count = vigil_spans_count(result, t);
        per_text[3 * t] = (jint)count;
        per_text[3 * t + 1] = (jint)vigil_spans_windows(result, t);
        per_text[3 * t + 2] = vigil_spans_truncated(result, t);
        for (i = 0; i < count; i++, k++) {
            if (put_string(env, labels, k, vigil_spans_label(result, t, i))) {
                free(scores);
                return NULL;
            }
            scores[k] = vigil_spans_score(result, t, i);
            utf8[2 * k] = (jlong)vigil_spans_start(result, t, i);
            utf8[2 * k + 1] = (jlong)vigil_spans_end(result, t, i);
            per_span[3 * k] = (jint)vigil_spans_start_utf16(result, t, i);
            per_span[3 * k + 1] = (jint)vigil_spans_end_utf16(result, t, i);
            per_span[3 * k + 2] = (jint)vigil_spans_token(result, t, i);
        }
    }
    parts[0] = labels ? new_ints(env, per_text, 3 * texts) : NULL;
    parts[1] = parts[0] ? new_ints(env, per_span, 3 * total) : NULL;
    parts[2] = parts[1] ? new_longs(env, utf8, 2 * total) : NULL;
    parts[3] = parts[2] ? new_doubles(env, scores, total) : NULL;
    parts[4] = labels;
    free(scores);
    return pack(env, parts, 5);
}

/* Nonzero with an exception pending when an option is refused. */
static int span_options(JNIEnv *env, jint aggregation, jobjectArray ignore_labels, vigil_span_options *options) {
    strings in = {ignore_labels, NULL, "ignore label"};
    texts8 labels;
    int refused;
    if (failed(env, vigil_span_options_set_aggregation(options, (uint32_t)aggregation))) {
        return 1;
    }
    if (ignore_labels == NULL) { /* keeps the default {"O"} */
        return 0;
    }
    if (texts8_load(env, in, &labels)) {
        return 1;
    }
    refused = failed(env, vigil_span_options_set_ignore_labels(options, labels.views, labels.n));
    texts8_free(&labels);
    return refused;
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_extractSpans(JNIEnv *env, jclass cls, jlong model,
                                                                 jobjectArray texts, jint aggregation,
                                                                 jobjectArray ignore_labels) {
    strings in = {texts, NULL, "text"};
    vigil_span_options *options = vigil_span_options_new();
    vigil_spans *result = NULL;
    jobjectArray out = NULL;
    texts16 utf16;
    (void)cls;
    if (options == NULL) {
        throw_oom(env, "vigil: span options");
        return NULL;
    }
    if (span_options(env, aggregation, ignore_labels, options) || texts16_load(env, in, &utf16)) {
        vigil_span_options_free(options);
        return NULL;
    }
    if (!failed(env, vigil_model_extract_spans_utf16(MODEL(model), utf16.views, utf16.n, options, &result))) {
        out = spans_result(env, result);
    }
    texts16_free(&utf16);
    vigil_span_options_free(options);
    vigil_spans_free(result);
    return out;
}

/* ---- rerank ------------------------------------------------------------- */

JNIEXPORT jlong JNICALL Java_org_vigil_Native_candidatesNew(JNIEnv *env, jclass cls) {
    vigil_candidates *candidates = vigil_candidates_new();
    (void)cls;
    if (candidates == NULL) {
        throw_oom(env, "vigil: candidates");
    }
    return (jlong)(intptr_t)candidates;
}

JNIEXPORT void JNICALL Java_org_vigil_Native_candidatesFree(JNIEnv *env, jclass cls, jlong candidates) {
    (void)env, (void)cls;
    vigil_candidates_free(CANDIDATES(candidates));
}

JNIEXPORT void JNICALL Java_org_vigil_Native_candidatesAddText(JNIEnv *env, jclass cls, jlong candidates,
                                                               jstring text) {
    strings in = {NULL, text, "candidate text"};
    texts8 utf8;
    (void)cls;
    if (texts8_load(env, in, &utf8)) {
        return;
    }
    failed(env, vigil_candidates_add_text(CANDIDATES(candidates), first_or_absent(&utf8)));
    texts8_free(&utf8);
}

/* Null HLT/HLGT/SOC names are absent ({NULL, 0}). */
JNIEXPORT void JNICALL Java_org_vigil_Native_candidatesAddMeddra(JNIEnv *env, jclass cls, jlong candidates,
                                                                 jstring pt, jobjectArray llts, jstring hlt,
                                                                 jstring hlgt, jstring soc) {
    strings sources[5] = {
        {NULL, pt, "pt_name"}, {llts, NULL, "llt name"}, {NULL, hlt, "hlt_name"},
        {NULL, hlgt, "hlgt_name"}, {NULL, soc, "soc_name"},
    };
    texts8 names[5];
    size_t loaded;
    (void)cls;
    for (loaded = 0; loaded < 5 && !texts8_load(env, sources[loaded], &names[loaded]); loaded++) {
    }
    if (loaded == 5) {
        failed(env, vigil_candidates_add_meddra(CANDIDATES(candidates), first_or_absent(&names[0]), names[1].views,
                                                names[1].n, first_or_absent(&names[2]),
                                                first_or_absent(&names[3]), first_or_absent(&names[4])));
    }
    while (loaded > 0) {
        texts8_free(&names[--loaded]);
    }
}

/* Layout in Native.rerank. */
static jobjectArray ranking_result(JNIEnv *env, const vigil_ranking *ranking) {
    size_t n = vigil_ranking_count(ranking), i;
    jdouble *scores = buffers(env, n * (sizeof *scores + 3 * sizeof(jint)));
    jint *per_rank = (jint *)(scores + n);
    jobject parts[2];
    if (scores == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        scores[i] = vigil_ranking_score(ranking, i);
        per_rank[3 * i] = (jint)vigil_ranking_index(ranking, i);
        per_rank[3 * i + 1] = vigil_ranking_passes(ranking, i);
        per_rank[3 * i + 2] = vigil_ranking_truncated(ranking, i);
    }
    parts[0] = new_ints(env, per_rank, 3 * n);
    parts[1] = parts[0] ? new_doubles(env, scores, n) : NULL;
    free(scores);
    return pack(env, parts, 2);
}

/* NaN threshold keeps the model's; top_k 0 keeps all. */
static vigil_rerank_options *rerank_options(JNIEnv *env, jdouble threshold, jlong top_k) {
    vigil_rerank_options *options = vigil_rerank_options_new();
    if (options == NULL) {
        throw_oom(env, "vigil: rerank options");
        return NULL;
    }
    if ((threshold == threshold && failed(env, vigil_rerank_options_set_threshold(options, threshold))) ||
        failed(env, vigil_rerank_options_set_top_k(options, (size_t)top_k))) {
        vigil_rerank_options_free(options);
        return NULL;
    }
    return options;
}

/* `texts` non-NULL: vigil_model_rerank_texts on them; else the built list. */
static jobjectArray rerank(JNIEnv *env, jlong model, jstring mention, jlong candidates, jobjectArray texts,
                           jdouble threshold, jlong top_k) {
    strings mention_in = {NULL, mention, "mention"}, texts_in = {texts, NULL, "candidate"};
    vigil_rerank_options *options = rerank_options(env, threshold, top_k);
    vigil_ranking *ranking = NULL;
    vigil_error *err = NULL;
    texts8 mention8, plain = {NULL, NULL, 0};
    jobjectArray out = NULL;
    if (options == NULL) {
        return NULL;
    }
    if (!texts8_load(env, mention_in, &mention8)) {
        if (texts == NULL) {
            err = vigil_model_rerank(MODEL(model), mention8.views[0], CANDIDATES(candidates), options, &ranking);
        } else if (!texts8_load(env, texts_in, &plain)) {
            err = vigil_model_rerank_texts(MODEL(model), mention8.views[0], plain.views, plain.n, options,
                                           &ranking);
            texts8_free(&plain);
        }
        texts8_free(&mention8);
    }
    vigil_rerank_options_free(options);
    /* No ranking and no error: a string was refused, its exception pending. */
    if (!failed(env, err) && ranking != NULL) {
        out = ranking_result(env, ranking);
    }
    vigil_ranking_free(ranking);
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_rerank(JNIEnv *env, jclass cls, jlong model, jstring mention,
                                                           jlong candidates, jdouble threshold, jlong top_k) {
    (void)cls;
    return rerank(env, model, mention, candidates, NULL, threshold, top_k);
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_rerankTexts(JNIEnv *env, jclass cls, jlong model,
                                                                jstring mention, jobjectArray texts,
                                                                jdouble threshold, jlong top_k) {
    (void)cls;
    return rerank(env, model, mention, 0, texts, threshold, top_k);
}

/* ---- MedDRA ------------------------------------------------------------- */

JNIEXPORT jlong JNICALL Java_org_vigil_Native_meddraOpen(JNIEnv *env, jclass cls, jstring dir, jint flags) {
    vigil_meddra *meddra = NULL;
    texts8 path;
    (void)cls;
    if (c_string_load(env, dir, "MedDRA directory", &path)) {
        return 0;
    }
    failed(env, vigil_meddra_open(path.views[0].ptr, (uint32_t)flags, &meddra));
    texts8_free(&path);
    return (jlong)(intptr_t)meddra;
}

JNIEXPORT void JNICALL Java_org_vigil_Native_meddraFree(JNIEnv *env, jclass cls, jlong meddra) {
    (void)env, (void)cls;
    vigil_meddra_free((vigil_meddra *)(intptr_t)meddra);
}

/* Counts fit a jint: a release has under a million terms. */
#define MEDDRA_COUNT(java_name, c_count)                                                            \
    JNIEXPORT jint JNICALL Java_org_vigil_Native_##java_name(JNIEnv *env, jclass cls, jlong meddra) { \
        (void)env, (void)cls;                                                                       \
        return (jint)c_count(MEDDRA(meddra));                                                       \
    }
MEDDRA_COUNT(meddraPtCount, vigil_meddra_pt_count)
MEDDRA_COUNT(meddraLltCount, vigil_meddra_llt_count)
MEDDRA_COUNT(meddraSkippedLlts, vigil_meddra_skipped_llts)

/* MedDRA codes have 8 digits, so they survive the trip through a jint. */
#define MEDDRA_LOOKUP(java_name, c_lookup)                                                          \
    JNIEXPORT jint JNICALL Java_org_vigil_Native_##java_name(JNIEnv *env, jclass cls, jlong meddra, \
                                                             jint code) {                           \
        (void)env, (void)cls;                                                                       \
        return (jint)c_lookup(MEDDRA(meddra), (uint32_t)code);                                      \
    }
MEDDRA_LOOKUP(meddraLltPt, vigil_meddra_llt_pt)
MEDDRA_LOOKUP(meddraPrimarySoc, vigil_meddra_primary_soc)

/* The name is copied out while the caller holds the dictionary: the C
 * pointer is only borrowed. */
JNIEXPORT jstring JNICALL Java_org_vigil_Native_meddraName(JNIEnv *env, jclass cls, jlong meddra, jint code) {
    (void)cls;
    return new_c_string(env, vigil_meddra_name(MEDDRA(meddra), (uint32_t)code));
}

/* Layout in Native.meddraPaths. */
JNIEXPORT jintArray JNICALL Java_org_vigil_Native_meddraPaths(JNIEnv *env, jclass cls, jlong meddra, jint pt) {
    size_t n = vigil_meddra_path_count(MEDDRA(meddra), (uint32_t)pt), i;
    jint *fields = buffers(env, 4 * n * sizeof *fields);
    jintArray out;
    (void)cls;
    if (fields == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        uint32_t hlt = 0, hlgt = 0, soc = 0;
        bool primary = false;
        vigil_meddra_path(MEDDRA(meddra), (uint32_t)pt, i, &hlt, &hlgt, &soc, &primary);
        fields[4 * i] = (jint)hlt;
        fields[4 * i + 1] = (jint)hlgt;
        fields[4 * i + 2] = (jint)soc;
        fields[4 * i + 3] = primary;
    }
    out = new_ints(env, fields, 4 * n);
    free(fields);
    return out;
}

/* Layout in Native.meddraRetrieve. */
static jobjectArray hits_result(JNIEnv *env, const vigil_hits *hits) {
    size_t n = vigil_hits_count(hits), i;
    jdouble *scores = buffers(env, n * (sizeof *scores + 3 * sizeof(jint)));
    jint *per_hit = (jint *)(scores + n);
    jobjectArray names;
    jobject parts[3];
    if (scores == NULL) {
        return NULL;
    }
    names = (*env)->NewObjectArray(env, (jsize)n, string_class, NULL);
    for (i = 0; names != NULL && i < n; i++) {
        if (put_string(env, names, i, vigil_hits_matched_name(hits, i))) {
            free(scores);
            return NULL;
        }
        scores[i] = vigil_hits_score(hits, i);
        per_hit[3 * i] = (jint)vigil_hits_pt(hits, i);
        per_hit[3 * i + 1] = (jint)vigil_hits_matched_code(hits, i);
        per_hit[3 * i + 2] = vigil_hits_exact(hits, i);
    }
    parts[0] = names ? new_ints(env, per_hit, 3 * n) : NULL;
    parts[1] = parts[0] ? new_doubles(env, scores, n) : NULL;
    parts[2] = names;
    free(scores);
    return pack(env, parts, 3);
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_meddraRetrieve(JNIEnv *env, jclass cls, jlong meddra,
                                                                   jstring mention, jlong k) {
    strings in = {NULL, mention, "mention"};
    vigil_hits *hits = NULL;
    jobjectArray out = NULL;
    texts8 utf8;
    (void)cls;
    if (texts8_load(env, in, &utf8)) {
        return NULL;
    }
    if (!failed(env, vigil_meddra_retrieve(MEDDRA(meddra), first_or_absent(&utf8), (size_t)k, &hits))) {
        out = hits_result(env, hits);
    }
    texts8_free(&utf8);
    vigil_hits_free(hits);
    return out;
}

/* Candidates 0 and NaN threshold keep the library's; top_k 0 keeps all. */
static vigil_normalize_options *normalize_options(JNIEnv *env, jlong candidates, jdouble threshold, jlong top_k) {
    vigil_normalize_options *options = vigil_normalize_options_new();
    if (options == NULL) {
        throw_oom(env, "vigil: normalize options");
        return NULL;
    }
    if ((candidates > 0 && failed(env, vigil_normalize_options_set_candidates(options, (size_t)candidates))) ||
        (threshold == threshold && failed(env, vigil_normalize_options_set_threshold(options, threshold))) ||
        failed(env, vigil_normalize_options_set_top_k(options, (size_t)top_k))) {
        vigil_normalize_options_free(options);
        return NULL;
    }
    return options;
}

/* Layout in Native.meddraNormalize. The codings carry SOC codes only, so
 * their names come from the dictionary, held by the caller for this call. */
static jobjectArray codings_result(JNIEnv *env, const vigil_meddra *meddra, const vigil_codings *codings) {
    size_t mentions = vigil_codings_mention_count(codings), total = 0, m, i, k;
    jdouble *scores;
    jint *per_coding, *per_mention;
    jobjectArray pt_names, soc_names;
    jobject parts[5];
    for (m = 0; m < mentions; m++) {
        total += vigil_codings_count(codings, m);
    }
    /* doubles first: the buffer's alignment suits them. */
    scores = buffers(env, total * (sizeof *scores + 3 * sizeof(jint)) + mentions * sizeof(jint));
    if (scores == NULL) {
        return NULL;
    }
    per_coding = (jint *)(scores + total);
    per_mention = per_coding + 3 * total;
    pt_names = (*env)->NewObjectArray(env, (jsize)total, string_class, NULL);
    soc_names = pt_names ? (*env)->NewObjectArray(env, (jsize)total, string_class, NULL) : NULL;
    for (m = 0, k = 0; soc_names != NULL && m < mentions; m++) {
        size_t count = vigil_codings_count(codings, m);
        per_mention[m] = (jint)count;
        for (i = 0; i < count; i++, k++) {
            uint32_t soc = vigil_codings_soc(codings, m, i);
            if (put_string(env, pt_names, k, vigil_codings_pt_name(codings, m, i)) ||
                put_string(env, soc_names, k, vigil_meddra_name(meddra, soc))) {
                free(scores);
                return NULL;
            }
            scores[k] = vigil_codings_score(codings, m, i);
            per_coding[3 * k] = (jint)vigil_codings_pt(codings, m, i);
            per_coding[3 * k + 1] = (jint)soc;
            per_coding[3 * k + 2] = vigil_codings_exact(codings, m, i);
        }
    }
    parts[0] = soc_names ? new_ints(env, per_mention, mentions) : NULL;
    parts[1] = parts[0] ? new_ints(env, per_coding, 3 * total) : NULL;
    parts[2] = parts[1] ? new_doubles(env, scores, total) : NULL;
    parts[3] = pt_names;
    parts[4] = soc_names;
    free(scores);
    return pack(env, parts, 5);
}

JNIEXPORT jobjectArray JNICALL Java_org_vigil_Native_meddraNormalize(JNIEnv *env, jclass cls, jlong meddra,
                                                                    jlong model, jobjectArray mentions,
                                                                    jlong candidates, jdouble threshold,
                                                                    jlong top_k) {
    strings in = {mentions, NULL, "mention"};
    vigil_normalize_options *options = normalize_options(env, candidates, threshold, top_k);
    vigil_codings *codings = NULL;
    jobjectArray out = NULL;
    texts8 utf8;
    (void)cls;
    if (options == NULL) {
        return NULL;
    }
    if (!texts8_load(env, in, &utf8)) {
        if (!failed(env, vigil_meddra_normalize(MEDDRA(meddra), MODEL(model), utf8.views, utf8.n, options,
                                                &codings))) {
            out = codings_result(env, MEDDRA(meddra), codings);
        }
        texts8_free(&utf8);
    }
    vigil_normalize_options_free(options);
    vigil_codings_free(codings);
    return out;
}
