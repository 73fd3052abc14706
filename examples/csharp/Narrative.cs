// Vigil from C#: classify a case narrative, then print the ADR spans in it
// with offsets that index the .NET string directly.
//
//   mcs -r:Vigil.dll -out:Narrative.exe examples/csharp/Narrative.cs
//   LD_LIBRARY_PATH=/path/to/libvigil mono Narrative.exe tests/fixtures/models ["narrative"]
//
// ONNX Runtime is found beside libvigil.so, or set VIGIL_ORT_LIBRARY, or
// ModelOptions.OrtLibrary.
using System;
using System.IO;
using System.Linq;
using Vigil;

internal static class Narrative
{
    // Self-written; the emoji makes .NET indices differ from UTF-8 bytes.
    private const string DefaultText =
        "😷 A 54-year-old woman developed a severe rash and angioedema two days after starting " +
        "amoxicillin; both resolved once the antibiotic was withdrawn.";

    private static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: Narrative.exe MODELS_DIR [NARRATIVE]");
            return 2;
        }
        string text = args.Length > 1 ? args[1] : DefaultText;
        Console.WriteLine($"vigil {Library.Version} (ABI {Library.AbiVersion})");
        try
        {
            // Both models are thread-safe and meant to be opened once and shared.
            using (Model classifier = Model.Open(Path.Combine(args[0], "bert-cls3")))
            using (Model tagger = Model.Open(Path.Combine(args[0], "bert-ner-bio")))
            {
                // Log the fingerprint with every result: it names the exact model files.
                Console.WriteLine($"classifier {classifier.Fingerprint} on ONNX Runtime {classifier.OrtVersion}");
                Console.WriteLine($"\n{text}\n");

                Classification answer = classifier.Classify(text);
                Console.WriteLine($"top: {answer.TopLabel} (windows: {answer.Windows}, truncated: {answer.Truncated})");
                Console.WriteLine("scores: " + string.Join(" ", answer.Labels.Select((label, i) => $"{label}={answer.Scores[i]:F4}")));

                // FIRST gives every word one label, so a span never ends inside a word.
                TextSpans spans = tagger.ExtractSpans(text, new SpanOptions { Aggregation = Aggregation.First });
                Console.WriteLine($"\n{spans.Spans.Count} spans:");
                foreach (EntitySpan span in spans.Spans)
                {
                    Console.WriteLine($"  {span.Label,-5} {span.Score:F3}  [{span.Start},{span.End})  utf8 [{span.StartUtf8},{span.EndUtf8})  \"{span.Text}\"");
                }
            }
            return 0;
        }
        catch (VigilException e)
        {
            // The message already starts with the code's name ("IO: ...").
            Console.Error.WriteLine($"vigil failed ({e.Code}): {e.Message}");
            return 1;
        }
    }
}
