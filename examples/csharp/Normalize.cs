// Vigil from C#: code reported reactions to MedDRA Preferred Terms. BM25
// over the release's PT and LLT names picks candidates, a cross-encoder
// reranks them, and the PTs over its threshold come back with their SOC.
//
//   mcs -r:Vigil.dll -out:Normalize.exe examples/csharp/Normalize.cs
//   LD_LIBRARY_PATH=/path/to/libvigil mono Normalize.exe MEDDRA_DIR CROSS_ENCODER_DIR ["mention" ...]
using System;
using System.Linq;
using Vigil;

internal static class Normalize
{
    private static readonly string[] DefaultMentions = { "pain in my head", "felt sick to my stomach", "Headache" };

    private static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Normalize.exe MEDDRA_DIR CROSS_ENCODER_DIR [MENTION...]");
            return 2;
        }
        string[] mentions = args.Length > 2 ? args.Skip(2).ToArray() : DefaultMentions;
        try
        {
            // Load once, share across threads: both objects are immutable and thread-safe.
            using (Meddra meddra = Meddra.Open(args[0]))
            using (Model encoder = Model.Open(args[1]))
            {
                Console.WriteLine($"MedDRA: {meddra.PtCount} PTs, {meddra.LltCount} LLTs ({meddra.SkippedLlts} LLTs skipped)");
                Console.WriteLine($"cross-encoder fingerprint: {encoder.Fingerprint}");
                // One call for every mention: their candidate pairs are reranked in shared batches.
                var all = meddra.Normalize(encoder, mentions, new NormalizeOptions { TopK = 3 });
                for (int m = 0; m < mentions.Length; m++)
                {
                    Console.WriteLine($"\n\"{mentions[m]}\"");
                    if (all[m].Count == 0) Console.WriteLine("  no PT over the threshold");
                    foreach (Coding c in all[m])
                    {
                        string exact = c.Exact ? " (exact)" : "";
                        Console.WriteLine($"  PT {c.PtCode} {c.PtName,-28} score {c.Score:F3}{exact}  SOC {c.SocCode} {c.SocName}");
                    }
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
