package org.vigil;

/**
 * A failed Vigil call: a stable {@link #code()} and a message that starts
 * with the code's name ("IO: ...").
 *
 * <p>Unchecked: most codes are caller errors (empty text, wrong task,
 * invalid argument) or deployment errors (missing model or runtime) that a
 * caller cannot handle locally, and an unchecked exception passes through
 * lambdas, streams and executors unchanged.
 */
public class VigilException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int value;

    /** Called by the native glue. */
    VigilException(int value, String message) {
        super(message);
        this.value = value;
    }

    public ErrorCode code() {
        return ErrorCode.of(value);
    }

    /** The raw code, meaningful even when {@link #code()} is UNKNOWN. */
    public int codeValue() {
        return value;
    }
}
