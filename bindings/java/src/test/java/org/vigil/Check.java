package org.vigil;

import java.util.Objects;

/** The assertions the tests need; each throws AssertionError with what differed. */
final class Check {
    private Check() {}

    static void isTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    static void close(double expected, double actual, double tolerance, String what) {
        if (!(Math.abs(expected - actual) <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + " ± " + tolerance + ", got " + actual);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    static <T extends Throwable> T raises(Class<T> type, Body body, String what) {
        try {
            body.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            throw new AssertionError(what + ": expected " + type.getSimpleName() + ", got " + t, t);
        }
        throw new AssertionError(what + ": expected " + type.getSimpleName() + ", nothing was thrown");
    }

    /** A VigilException with this code, whose message is "CODE: ..." and contains {@code needle}. */
    static VigilException raisesVigil(ErrorCode code, String needle, Body body) {
        VigilException e = raises(VigilException.class, body, code.name());
        equal(code, e.code(), "error code (" + e.getMessage() + ")");
        equal(code.value(), e.codeValue(), "raw error code");
        isTrue(e.getMessage().startsWith(code.name() + ": "), "message starts with the code's name: " + e.getMessage());
        isTrue(e.getMessage().contains(needle), "message contains \"" + needle + "\": " + e.getMessage());
        return e;
    }
}
