package org.vigil;

import java.nio.file.Path;

/**
 * Loading the native library, and the library's version.
 *
 * <p>{@code libvigil_jni.so} is found, in this order: the folder given to
 * {@link #load(Path)}; the folder in the system property
 * {@value #LIBRARY_PATH_PROPERTY}; {@code java.library.path}. It finds
 * {@code libvigil.so} beside itself (rpath {@code $ORIGIN}), and libvigil finds
 * ONNX Runtime beside itself, so one folder holding all three is the whole
 * deployment.
 */
public final class Vigil {
    /** System property naming the folder that holds {@code libvigil_jni.so}. */
    public static final String LIBRARY_PATH_PROPERTY = "vigil.library.path";

    private static String loadedFrom;

    private Vigil() {}

    /**
     * Loads {@code libvigil_jni.so} from {@code libDir}. Call before the first
     * {@link Model#open}; calling again with the same folder does nothing.
     *
     * @throws IllegalStateException if the library was already loaded from elsewhere
     * @throws UnsatisfiedLinkError if it cannot be loaded, or libvigil.so has another ABI
     */
    public static synchronized void load(Path libDir) {
        String lib = libDir.resolve(System.mapLibraryName("vigil_jni")).toAbsolutePath().normalize().toString();
        if (lib.equals(loadedFrom)) {
            return;
        }
        if (loadedFrom != null) {
            throw new IllegalStateException("vigil is already loaded from " + loadedFrom);
        }
        System.load(lib);
        loaded(lib);
    }

    /** The library version, "MAJOR.MINOR.PATCH". */
    public static String version() {
        ensureLoaded();
        return Native.version();
    }

    /** The C ABI version libvigil.so implements. */
    public static int abiVersion() {
        ensureLoaded();
        return Native.abiVersion();
    }

    /** Loads from the system property or java.library.path unless already loaded. */
    static synchronized void ensureLoaded() {
        if (loadedFrom != null) {
            return;
        }
        String dir = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (dir != null) {
            load(Path.of(dir));
        } else {
            try {
                System.loadLibrary("vigil_jni");
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError hint = new UnsatisfiedLinkError(e.getMessage() + " (set -D"
                        + LIBRARY_PATH_PROPERTY + "=DIR or call Vigil.load(DIR), DIR holding libvigil_jni.so)");
                hint.initCause(e);
                throw hint;
            }
            loaded("java.library.path");
        }
    }

    // A libvigil.so with another ABI would misread every call; refuse it up front.
    private static void loaded(String from) {
        if (Native.abiVersion() != Native.headerAbiVersion()) {
            throw new UnsatisfiedLinkError("libvigil.so implements C ABI " + Native.abiVersion()
                    + " but libvigil_jni.so was built for ABI " + Native.headerAbiVersion());
        }
        loadedFrom = from;
    }
}
