// The MedDRA dictionary on the invented releases in tests/fixtures/meddra:
// loading, lookups, retrieval, normalisation, errors, threads and lifetimes.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Vigil.Tests
{
    internal static partial class Tests
    {
        // Codes from tests/fixtures/meddra/en.
        private const int Headache = 93000001, HeadPain = 94000001, Cephalalgia = 94000004, Jaundice = 93000034;
        private const int Neurological = 90000001;

        private static readonly string[] Mentions = { "pain in my head", "Headache", "felt sick to my stomach" };

        // Threshold 0 passes every candidate, so top-k decides how many come back.
        private static NormalizeOptions FourEach() => new NormalizeOptions { Candidates = 20, Threshold = 0.0, TopK = 4 };

        private static string MeddraDir(string language) => Path.Combine(root, "tests", "fixtures", "meddra", language);

        private static Meddra OpenMeddra() => Meddra.Open(MeddraDir("en"));

        private static void MeddraOpen()
        {
            using (Meddra en = OpenMeddra())
            using (Meddra all = Meddra.Open(MeddraDir("en"), includeNoncurrent: true))
            using (Meddra zh = Meddra.Open(MeddraDir("zh")))
            {
                Check.Equal(64, en.PtCount, "PTs");
                Check.Equal(233, en.LltCount, "current LLTs");
                Check.Equal(0, en.SkippedLlts, "skipped LLTs");
                Check.Equal(242, all.LltCount, "LLTs with the non-current ones");
                Check.Equal(null, en.PtOfLlt(Cephalalgia), "a non-current LLT is left out by default");
                Check.Equal(Headache, all.PtOfLlt(Cephalalgia), "and kept on request");
                Check.Equal(31, zh.PtCount, "Chinese PTs");
                RetrievalHit hit = zh.Retrieve("拉肚子", 3)[0];
                Check.Equal("腹泻", zh.Name(hit.PtCode), "a colloquial LLT retrieves its PT");
                Check.Equal("拉肚子", hit.MatchedName, "matched name");
            }
        }

        private static void MeddraLookups()
        {
            using (Meddra meddra = OpenMeddra())
            {
                Check.Equal("Headache", meddra.Name(Headache), "PT name");
                Check.Equal("Head pain", meddra.Name(HeadPain), "LLT name");
                Check.Equal(Headache, meddra.PtOfLlt(HeadPain), "LLT to PT");
                Check.Equal(Headache, meddra.PtOfLlt(Headache), "a PT is an LLT of itself");
                Check.Equal(Neurological, meddra.PrimarySoc(Headache), "primary SOC");

                var path = meddra.Paths(Headache).Single();
                Check.Equal("92000001 91000001 90000001 True", path.Hlt + " " + path.Hlgt + " " + path.Soc + " " + path.Primary, "Headache's one path");
                Check.Equal("Headache types", meddra.Name(path.Hlt), "HLT name");
                Check.Equal("Head pain and dizziness conditions", meddra.Name(path.Hlgt), "HLGT name");
                Check.Equal("Neurological and mental conditions", meddra.Name(path.Soc), "SOC name");

                var jaundice = meddra.Paths(Jaundice);
                Check.True(jaundice.Select(p => p.Primary).SequenceEqual(new[] { true, false, false }), "Jaundice: 3 paths, the primary first");
                Check.Equal(jaundice[0].Soc, meddra.PrimarySoc(Jaundice), "primary path's SOC");

                Check.Equal(null, meddra.Name(1), "unknown code");
                Check.Equal(null, meddra.PtOfLlt(12345678), "unknown LLT");
                Check.Equal(null, meddra.PrimarySoc(12345678), "unknown PT");
                Check.Equal(0, meddra.Paths(12345678).Count, "unknown PT's paths");
            }
        }

        private static void MeddraRetrieve()
        {
            using (Meddra meddra = OpenMeddra())
            {
                var hits = meddra.Retrieve("Headache", 5);
                Check.Equal(5, hits.Count, "k hits");
                Check.True(hits[0].Exact, "exact first");
                Check.Equal("Headache", hits[0].MatchedName, "matched name");
                Check.Equal(Headache, hits[0].PtCode, "PT");
                Check.Equal(hits[0].PtCode, meddra.PtOfLlt(hits[0].MatchedCode), "matched code is the PT's");
                Check.True(hits.Skip(1).All(h => !h.Exact), "only one exact hit");
                Check.True(hits.Zip(hits.Skip(1), (a, b) => a.Score >= b.Score).All(x => x), "best first");
                RetrievalHit alias = meddra.Retrieve("head pain", 1).Single();
                Check.Equal(Headache + " " + HeadPain + " Head pain True", alias.PtCode + " " + alias.MatchedCode + " " + alias.MatchedName + " " + alias.Exact, "an LLT's exact name");
                Check.Equal(0, meddra.Retrieve("Headache", 0).Count, "k = 0");
            }
        }

        private static void MeddraNormalize()
        {
            using (Meddra meddra = OpenMeddra())
            using (Model encoder = Open("bert-cross-encoder"))
            {
                var all = meddra.Normalize(encoder, Mentions, FourEach());
                Check.Equal(Mentions.Length, all.Count, "one list per mention");
                foreach (var codings in all)
                {
                    Check.Equal(4, codings.Count, "threshold 0 passes all, top-k keeps 4");
                    Check.True(codings.Zip(codings.Skip(1), (a, b) => a.Score >= b.Score).All(x => x), "best first");
                    foreach (Coding c in codings)
                    {
                        Check.Equal(meddra.PrimarySoc(c.PtCode), c.SocCode, "primary SOC of " + c.PtName);
                        Check.Equal(meddra.Name(c.SocCode), c.SocName, "SOC name of " + c.PtName);
                        Check.Equal(meddra.Name(c.PtCode), c.PtName, "PT name of " + c.PtCode);
                    }
                }
                // With every candidate kept, the exact name is among them and says so.
                var everything = meddra.Normalize(encoder, new[] { "Headache" }, new NormalizeOptions { Candidates = 20, Threshold = 0.0 })[0];
                Check.True(everything.Where(c => c.Exact).Select(c => c.PtCode).SequenceEqual(new[] { Headache }), "one exact coding, Headache");
                // Defaults: the fixture's vigil.json threshold, 0.3.
                Check.True(meddra.Normalize(encoder, Mentions)[0].All(c => c.Score >= 0.3), "default threshold");
                Check.Equal(0, meddra.Normalize(encoder, new string[0]).Count, "no mentions");
            }
        }

        private static void MeddraBatchAsAlone()
        {
            using (Meddra meddra = OpenMeddra())
            using (Model encoder = Open("bert-cross-encoder"))
            {
                var batch = meddra.Normalize(encoder, Mentions, FourEach());
                for (int m = 0; m < Mentions.Length; m++)
                    SameCodings(meddra.Normalize(encoder, new[] { Mentions[m] }, FourEach())[0], batch[m], "mention " + m);
            }
        }

        private static void SameCodings(IReadOnlyList<Coding> expected, IReadOnlyList<Coding> got, string what)
        {
            Check.True(expected.Select(c => c.PtCode).SequenceEqual(got.Select(c => c.PtCode)), what + ": PTs");
            for (int i = 0; i < expected.Count; i++)
                Check.Close(expected[i].Score, got[i].Score, 1e-6, what + ": score " + i);
        }

        private static void MeddraErrors()
        {
            Check.Fails(ErrorCode.Io, "no-such-release", () => Meddra.Open(MeddraDir("no-such-release")), "missing MedDRA dir");
            using (Meddra meddra = OpenMeddra())
            using (Model classifier = Open("bert-cls2"))
            using (Model encoder = Open("bert-cross-encoder"))
            {
                Check.Fails(ErrorCode.TaskMismatch, null, () => meddra.Normalize(classifier, new[] { "headache" }), "normalize with a classifier");
                Check.Fails(ErrorCode.EmptyText, "mention 1", () => meddra.Normalize(encoder, new[] { "rash", " " }), "blank mention");
                Check.Fails(ErrorCode.InvalidUtf16, "mention 1", () => meddra.Normalize(encoder, new[] { "rash", "head \udc00" }), "unpaired surrogate in a mention");
                Check.Fails(ErrorCode.InvalidUtf16, "mention", () => meddra.Retrieve("head \ud83d", 3), "unpaired surrogate in retrieval");
                Check.Fails(ErrorCode.InvalidArgument, "threshold", () => meddra.Normalize(encoder, new[] { "rash" }, new NormalizeOptions { Threshold = 1.5 }), "threshold above 1");
                Check.Fails(ErrorCode.InvalidArgument, "candidates", () => meddra.Normalize(encoder, new[] { "rash" }, new NormalizeOptions { Candidates = 0 }), "no candidates");
                Check.Throws<ArgumentOutOfRangeException>(() => meddra.Retrieve("rash", -1), "negative k");
                Check.Throws<ArgumentException>(() => meddra.Normalize(encoder, new[] { "rash", null }), "null mention");
                Check.Throws<ArgumentNullException>(() => meddra.Normalize(null, new[] { "rash" }), "null model");
            }
        }

        private static void ThreadsNormalize()
        {
            using (Meddra meddra = OpenMeddra())
            using (Model encoder = Open("bert-cross-encoder"))
            {
                EightThreads(Mentions, m => meddra.Normalize(encoder, m, FourEach()), SameCodings);
            }
        }

        private static void MeddraResultsOutlive()
        {
            Meddra meddra = OpenMeddra();
            Model encoder = Open("bert-cross-encoder");
            var hits = meddra.Retrieve("Headache", 3);
            var codings = meddra.Normalize(encoder, Mentions, FourEach());
            meddra.Dispose();
            encoder.Dispose();
            meddra.Dispose(); // a second Dispose is a no-op
            Check.Equal("Headache", hits[0].MatchedName, "hit after Dispose");
            Check.True(codings.All(c => c.Count == 4 && c.All(x => x.PtName != null && x.SocName != null)), "codings after Dispose");
            Check.Equal(64, meddra.PtCount, "counts after Dispose");
            Check.Throws<ObjectDisposedException>(() => meddra.Retrieve("Headache", 3), "retrieve after Dispose");
            Check.Throws<ObjectDisposedException>(() => meddra.Name(Headache), "lookup after Dispose");
            Check.Throws<ObjectDisposedException>(() => meddra.Paths(Headache), "paths after Dispose");
        }

        // Names are lent by the dictionary and read after the native call: Use
        // must keep it alive across that gap (a freed one would read garbage).
        private static void MeddraDisposeRacesLookups()
        {
            Meddra meddra = OpenMeddra();
            RaceDispose(meddra, () =>
            {
                Check.Equal("Headache", meddra.Name(Headache), "name");
                Check.Equal(1, meddra.Paths(Headache).Count, "paths");
            });
        }
    }
}
