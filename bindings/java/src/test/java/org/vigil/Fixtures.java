package org.vigil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The shared fixtures: models, references, and options that find ONNX Runtime. */
final class Fixtures {
    /** The repository root, from -Dvigil.root (test.sh sets it). */
    static final Path ROOT = Path.of(System.getProperty("vigil.root", ".")).toAbsolutePath().normalize();

    private Fixtures() {}

    static Path model(String name) {
        return ROOT.resolve("tests/fixtures/models").resolve(name);
    }

    /** The invented MedDRA releases: "en" (64 PTs) and "zh". */
    static Path meddra(String language) {
        return ROOT.resolve("tests/fixtures/meddra").resolve(language);
    }

    static Meddra openMeddra() {
        return Meddra.open(meddra("en"));
    }

    /** The runtime tools/setup.sh places, passed explicitly as the Rust tests do. */
    static Path ortLibrary() {
        String env = System.getenv("VIGIL_ORT_LIBRARY");
        return env != null ? Path.of(env) : ROOT.resolve("target/onnxruntime/libonnxruntime.so");
    }

    static Options.Builder options() {
        return Options.builder().ortLibrary(ortLibrary());
    }

    static Model open(String name) {
        return Model.open(model(name), options().build());
    }

    /** As the Rust parity tests map a reference case: a policy, and a stride when windowing. */
    static Model open(String name, LongText policy, Double stride) {
        Options.Builder options = options().longText(policy);
        if (stride != null) {
            options.stride(stride.intValue());
        }
        return Model.open(model(name), options.build());
    }

    static Object read(Path path) {
        try {
            return Json.parse(Files.readString(path));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String reference) {
        Map<String, Object> root = (Map<String, Object>) read(ROOT.resolve("tests/fixtures/reference/" + reference));
        return (List<Map<String, Object>>) root.get("cases");
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Map<String, Object> object, String key) {
        return (List<T>) object.get(key);
    }

    /** Vigil refuses blank texts (EMPTY_TEXT) where transformers scores them; parity skips them. */
    static boolean scorable(String text) {
        return !text.isBlank();
    }

    static List<String> strings(List<Object> values) {
        return values.stream().map(String.class::cast).collect(Collectors.toList());
    }
}
