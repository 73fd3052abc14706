/*
 * Test-only JNI functions for org.vigil.Bench, on the handle of a Model:
 * the plain C call timed in C, and one classify through each way of reading
 * a Java string, so the binding's choice (GetStringRegion into a buffer) is
 * measured, not assumed.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c99 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil.h"

enum { REGION = 0, CRITICAL = 1, UTF_CHARS = 2 };

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void throw_if(JNIEnv *env, vigil_error *err) {
    if (err != NULL) {
        (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/IllegalStateException"), vigil_error_message(err));
        vigil_error_free(err);
    }
}

/* The baseline: nanoseconds of one vigil_model_classify on UTF-8 already in C memory. */
JNIEXPORT jlong JNICALL Java_org_vigil_Bench_cClassifyNanos(JNIEnv *env, jclass cls, jlong model, jbyteArray utf8) {
    char buffer[1024];
    vigil_str text = {buffer, (size_t)(*env)->GetArrayLength(env, utf8)};
    vigil_classification *result = NULL;
    vigil_error *err;
    int64_t start;
    (void)cls;
    (*env)->GetByteArrayRegion(env, utf8, 0, (jsize)text.len, (jbyte *)buffer);
    start = now_ns();
    err = vigil_model_classify((const vigil_model *)(intptr_t)model, &text, 1, &result);
    vigil_classification_free(result);
    start = now_ns() - start;
    throw_if(env, err);
    return start;
}

/* One classify reading `text` through `access`; returns the top label index. */
JNIEXPORT jint JNICALL Java_org_vigil_Bench_classify(JNIEnv *env, jclass cls, jlong model, jstring text,
                                                    jint access) {
    const vigil_model *m = (const vigil_model *)(intptr_t)model;
    vigil_classification *result = NULL;
    vigil_error *err;
    jint top;
    (void)cls;
    if (access == REGION) {
        vigil_str16 view = {NULL, (size_t)(*env)->GetStringLength(env, text)};
        jchar *units = malloc((view.len + 1) * sizeof(jchar));
        (*env)->GetStringRegion(env, text, 0, (jsize)view.len, units);
        view.ptr = units;
        err = vigil_model_classify_utf16(m, &view, 1, &result);
        free(units);
    } else if (access == CRITICAL) {
        /* Held across inference: no JNI calls until released, GC stalled meanwhile. */
        vigil_str16 view = {NULL, (size_t)(*env)->GetStringLength(env, text)};
        view.ptr = (*env)->GetStringCritical(env, text, NULL);
        err = vigil_model_classify_utf16(m, &view, 1, &result);
        (*env)->ReleaseStringCritical(env, text, view.ptr);
    } else {
        /* Modified UTF-8: right for this ASCII text only (supplementary characters come out as CESU-8). */
        vigil_str view = {(*env)->GetStringUTFChars(env, text, NULL), (size_t)(*env)->GetStringUTFLength(env, text)};
        err = vigil_model_classify(m, &view, 1, &result);
        (*env)->ReleaseStringUTFChars(env, text, view.ptr);
    }
    top = (jint)vigil_classification_top(result, 0);
    vigil_classification_free(result);
    throw_if(env, err);
    return top;
}

/* Mean nanoseconds to get and release `text`'s characters through `access`, no inference. */
JNIEXPORT jdouble JNICALL Java_org_vigil_Bench_accessNanos(JNIEnv *env, jclass cls, jstring text, jint access,
                                                          jint iterations) {
    jsize len = (*env)->GetStringLength(env, text);
    jchar *units = malloc(((size_t)len + 1) * sizeof(jchar));
    volatile jchar sink = 0;
    int64_t start = now_ns();
    jint i;
    (void)cls;
    for (i = 0; i < iterations; i++) {
        if (access == REGION) {
            (*env)->GetStringRegion(env, text, 0, len, units);
            sink += units[len / 2];
        } else if (access == CRITICAL) {
            const jchar *chars = (*env)->GetStringCritical(env, text, NULL);
            sink += chars[len / 2];
            (*env)->ReleaseStringCritical(env, text, chars);
        } else {
            const char *chars = (*env)->GetStringUTFChars(env, text, NULL);
            sink += (jchar)chars[0];
            (*env)->ReleaseStringUTFChars(env, text, chars);
        }
    }
    start = now_ns() - start;
    free(units);
    (void)sink;
    return (jdouble)start / iterations;
}
