package org.vigil;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * A native handle shared by the calls running on it. The owner holds one
 * reference and each call in flight another, so the handle is freed exactly
 * once, by whichever finishes last: close(), the Cleaner (an owner dropped
 * unclosed) or the last call. Closing therefore never waits for calls and
 * never frees under them.
 *
 * <p>This object is the Cleaner's action, so it must not reference its owner.
 */
final class NativeResource implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger LIVE = new AtomicInteger();

    private final long handle;
    private final LongConsumer free;
    private final String what;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Cleaner.Cleanable cleanable;

    NativeResource(Object owner, long handle, LongConsumer free, String what) {
        this.handle = handle;
        this.free = free;
        this.what = what;
        LIVE.incrementAndGet();
        this.cleanable = CLEANER.register(owner, this);
    }

    /** The handle, valid until the matching {@link #release()}. */
    private long acquire() {
        while (true) {
            int n = references.get();
            if (n == 0 || closed.get()) {
                throw new IllegalStateException(what + " is closed");
            }
            if (references.compareAndSet(n, n + 1)) {
                return handle;
            }
        }
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            free.accept(handle);
            LIVE.decrementAndGet();
        }
    }

    /**
     * Runs {@code body} on the handle: it cannot be freed while the body
     * runs, whatever other threads or the GC do. Every native call on an
     * owner's handle goes through here.
     */
    <T> T call(LongFunction<T> body) {
        long h = acquire();
        try {
            return body.apply(h);
        } finally {
            release();
        }
    }

    /** Drops the owner's reference; later calls fail, calls in flight finish. */
    void close() {
        cleanable.clean();
    }

    /** The Cleaner's action, run at most once: by close() or after the owner became unreachable. */
    @Override
    public void run() {
        closed.set(true);
        release();
    }

    /** Handles not yet freed, across all owners (for tests and leak checks). */
    static int live() {
        return LIVE.get();
    }
}
