import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.vigil.Coding;
import org.vigil.Meddra;
import org.vigil.Model;
import org.vigil.NormalizeOptions;
import org.vigil.VigilException;

/**
 * Vigil from Java: code reported reactions to MedDRA Preferred Terms. BM25
 * over the release's PT and LLT names picks candidates, a cross-encoder
 * reranks them, and the PTs over its threshold come back with their SOC.
 *
 *   bash bindings/java/build.sh        # target/java/vigil.jar and target/java/lib/
 *   java -Dvigil.library.path=target/java/lib -cp target/java/vigil.jar \
 *        examples/java/NormalizeMentions.java MEDDRA_DIR CROSS_ENCODER_DIR ["mention" ...]
 */
public final class NormalizeMentions {
    private static final List<String> MENTIONS = List.of("pain in my head", "felt sick to my stomach", "Headache");

    private NormalizeMentions() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: NormalizeMentions MEDDRA_DIR CROSS_ENCODER_DIR [MENTION...]");
            System.exit(2);
        }
        List<String> mentions = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : MENTIONS;
        // Load once, share across threads: both objects are immutable and thread-safe.
        try (Meddra meddra = Meddra.open(Path.of(args[0])); Model encoder = Model.open(Path.of(args[1]))) {
            System.out.printf("MedDRA: %d PTs, %d LLTs (%d LLTs skipped)%n", meddra.ptCount(), meddra.lltCount(),
                    meddra.skippedLlts());
            System.out.println("cross-encoder fingerprint: " + encoder.fingerprint());
            // One call for every mention: their candidate pairs are reranked in shared batches.
            List<List<Coding>> codings =
                    meddra.normalize(encoder, mentions, NormalizeOptions.builder().topK(3).build());
            for (int m = 0; m < mentions.size(); m++) {
                System.out.println("\n\"" + mentions.get(m) + "\"");
                if (codings.get(m).isEmpty()) {
                    System.out.println("  no PT over the threshold");
                }
                for (Coding c : codings.get(m)) {
                    System.out.printf("  PT %d %-28s score %.3f%s  SOC %d %s%n", c.ptCode(), c.ptName(), c.score(),
                            c.exact() ? " (exact)" : "", c.socCode(), c.socName());
                }
            }
        } catch (VigilException e) {
            // The message starts with the code's name, so it is printed as is.
            System.err.println("vigil failed (" + e.code() + "): " + e.getMessage());
            System.exit(1);
        }
    }
}
