package org.vigil;

/** The C ABI's stable error codes ({@code VIGIL_ERROR_*}). */
public enum ErrorCode {
    /** A code this binding does not know yet (the C ABI may add codes). */
    UNKNOWN(0),
    INVALID_ARGUMENT(1),
    INVALID_UTF8(2),
    IO(3),
    MODEL_INVALID(4),
    TOKENIZER_INVALID(5),
    MODEL_MISMATCH(6),
    RUNTIME_UNAVAILABLE(7),
    PROVIDER_UNAVAILABLE(8),
    INFERENCE(9),
    TASK_MISMATCH(10),
    EMPTY_TEXT(11),
    INPUT_TOO_LARGE(12),
    NON_FINITE(13),
    PANIC(14),
    /** A Java string with an unpaired surrogate, which no UTF-8 can carry. */
    INVALID_UTF16(15);

    private final int value;

    ErrorCode(int value) {
        this.value = value;
    }

    /** The number in include/vigil.h. */
    public int value() {
        return value;
    }

    static ErrorCode of(int value) {
        for (ErrorCode code : values()) {
            if (code.value == value) {
                return code;
            }
        }
        return UNKNOWN;
    }
}
