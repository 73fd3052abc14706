import java.nio.file.Path;
import org.vigil.Aggregation;
import org.vigil.Classification;
import org.vigil.Model;
import org.vigil.Span;
import org.vigil.SpanOptions;
import org.vigil.TextSpans;
import org.vigil.Vigil;
import org.vigil.VigilException;

/**
 * Vigil from Java: classify a narrative's seriousness (bert-cls3), then print
 * its ADR and drug spans (bert-ner-bio).
 *
 *   bash bindings/java/build.sh        # target/java/vigil.jar and target/java/lib/
 *   java -Dvigil.library.path=target/java/lib -cp target/java/vigil.jar \
 *        examples/java/ClassifyNarrative.java tests/fixtures/models ["narrative"]
 *
 * No ONNX Runtime setting: build.sh puts it beside libvigil.so, where Vigil looks.
 */
public final class ClassifyNarrative {
    // Self-written; the emoji shows that span offsets are Java string indices.
    private static final String NARRATIVE = "😷 A 62-year-old man developed severe hypoglycaemia and dizziness two days"
            + " after glipizide was added to his metformin; both resolved once glipizide was stopped.";

    private ClassifyNarrative() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: ClassifyNarrative MODELS_DIR [NARRATIVE]");
            System.exit(2);
        }
        Path models = Path.of(args[0]);
        String narrative = args.length > 1 ? args[1] : NARRATIVE;
        try {
            run(models, narrative);
        } catch (VigilException e) {
            // The message starts with the code's name, so it is printed as is.
            System.err.println("vigil failed (" + e.code() + "): " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(Path models, String narrative) {
        System.out.println("vigil " + Vigil.version() + " (C ABI " + Vigil.abiVersion() + ")");
        System.out.println(narrative);

        try (Model classifier = Model.open(models.resolve("bert-cls3"))) {
            // Log the fingerprint with every result: it identifies the exact model files.
            System.out.println("\nclassifier " + classifier.fingerprint() + " on ONNX Runtime "
                    + classifier.ortVersion() + " (" + classifier.executionProvider() + ")");
            Classification result = classifier.classify(narrative);
            System.out.println("  top: " + result.topLabel());
            for (String label : result.labels()) {
                System.out.printf("  %-12s %.4f%n", label, result.score(label));
            }
            // A long narrative is read in overlapping windows (the default policy), never silently cut.
            System.out.println("  windows: " + result.windows() + ", truncated: " + result.truncated());
        }

        try (Model tagger = Model.open(models.resolve("bert-ner-bio"))) {
            // FIRST gives every word one label, so a span never ends inside a word.
            SpanOptions options = SpanOptions.builder().aggregation(Aggregation.FIRST).build();
            TextSpans spans = tagger.extractSpans(narrative, options);
            System.out.println("\nspans (" + spans.spans().size() + "):");
            for (Span span : spans.spans()) {
                System.out.printf("  %-5s %.3f  [%d,%d)  \"%s\"%n", span.label(), span.score(), span.start(), span.end(),
                        narrative.substring(span.start(), span.end()));
            }
        }
    }
}
