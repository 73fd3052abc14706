// The C# binding's tests, on the shared fixtures and transformers' references.
//
//   mono VigilTests.exe REPO_ROOT ORT_LIBRARY          run the tests
//   mono VigilTests.exe REPO_ROOT ORT_LIBRARY --bench  overhead vs the plain C call
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Vigil.Tests
{
    internal static unsafe partial class Tests
    {
        private static string root, models, ort;

        private static int Main(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: VigilTests.exe REPO_ROOT ORT_LIBRARY [--bench]");
                return 2;
            }
            root = args[0];
            models = Path.Combine(root, "tests", "fixtures", "models");
            ort = args[1];
            if (args.Length > 2 && args[2] == "--bench")
            {
                // One intra-op thread: ORT's spinning pool threads would otherwise
                // compete with the managed code being timed (2-core CI machines).
                Bench.Run(Open("bert-cls2", new ModelOptions { OrtLibrary = ort, IntraThreads = 1 }));
                return 0;
            }

            var runner = new Runner();
            runner.Run("library version and ABI", LibraryVersion);
            runner.Run("model info and every option", ModelInfo);
            foreach (var c in Cases("classify"))
                runner.Run("classify parity: " + Name(c, "model", "policy", "stride"), () => ClassifyParity(c));
            foreach (var c in Cases("spans"))
                runner.Run("spans parity: " + Name(c, "model", "aggregation", "stride", "ignore_labels"), () => SpansParity(c));
            foreach (var c in Cases("rerank"))
                runner.Run("rerank parity: " + Name(c, "model", "mention") + (c.ContainsKey("records") ? " records" : " plain"), () => RerankParity(c));
            runner.Run("batches: empty, one by one, together", Batches);
            runner.Run("spans: offsets index .NET strings; options", SpanOffsetsAndOptions);
            runner.Run("rerank: ties, threshold, top-k, mixed candidates", RerankRules);
            runner.Run("errors carry their codes", Errors);
            runner.Run("8 threads share one model (classify)", ThreadsClassify);
            runner.Run("8 threads share one model (spans)", ThreadsSpans);
            runner.Run("MedDRA: counts, non-current LLTs on request, UTF-8 names", MeddraOpen);
            runner.Run("MedDRA: names, LLT to PT, primary SOC, paths of Headache and Jaundice", MeddraLookups);
            runner.Run("MedDRA: retrieve puts the exact name first", MeddraRetrieve);
            runner.Run("MedDRA: normalize gives top-k PTs best first with the primary SOC", MeddraNormalize);
            runner.Run("MedDRA: a batch codes each mention as when coded alone", MeddraBatchAsAlone);
            runner.Run("MedDRA: errors carry their codes", MeddraErrors);
            runner.Run("8 threads share a dictionary and a model (normalize)", ThreadsNormalize);
            runner.Run("MedDRA results outlive the dictionary and model", MeddraResultsOutlive);
            runner.Run("dispose a dictionary while other threads look terms up", MeddraDisposeRacesLookups);
            runner.Run("results outlive their model", ResultsOutliveModel);
            runner.Run("dispose while other threads call", DisposeRacesCalls);
            runner.Run("finalizers release dropped handles", Finalizers);
            return runner.Finish();
        }

        // ---- fixtures -----------------------------------------------------

        private static ModelOptions Options(LongTextPolicy? policy = null, int? stride = null, int sessions = 1) =>
            new ModelOptions { OrtLibrary = ort, LongText = policy, Stride = stride, Sessions = sessions };

        private static Model Open(string name, ModelOptions options = null) =>
            Model.Open(Path.Combine(models, name), options ?? Options());

        private static List<Dictionary<string, object>> Cases(string reference)
        {
            var json = (Dictionary<string, object>)Json.Parse(File.ReadAllText(
                Path.Combine(root, "tests", "fixtures", "reference", reference + ".json")));
            return ((List<object>)json["cases"]).Cast<Dictionary<string, object>>().ToList();
        }

        private static string Name(Dictionary<string, object> c, params string[] keys) =>
            string.Join(" ", keys.Select(k => k + "=" + Show(c[k])));

        private static string Show(object value)
        {
            var list = value as List<object>;
            return value == null ? "null" : list != null ? "[" + string.Join(",", list) + "]" : value.ToString();
        }

        private static List<object> List(object value) => (List<object>)value;
        private static int Int(object value) => (int)(double)value;

        /// <summary>Vigil refuses blank texts (EMPTY_TEXT): parity runs over the rest, with their outputs.</summary>
        private static List<KeyValuePair<string, object>> Scorable(Dictionary<string, object> c) =>
            List(c["texts"]).Cast<string>().Zip(List(c["outputs"]), (t, o) => new KeyValuePair<string, object>(t, o))
                .Where(p => p.Key.Trim().Length > 0).ToList();

        private static LongTextPolicy Policy(string name) =>
            (LongTextPolicy)Enum.Parse(typeof(LongTextPolicy), name.Replace("_", ""), true);

        // The window_mean classify case: long texts, several windows each.
        private static Dictionary<string, object> WindowCase() => Cases("classify").First(c => (string)c["policy"] == "window_mean");

        private static Model OpenCase(Dictionary<string, object> c, int sessions = 1) =>
            Open((string)c["model"], Options(Policy((string)c["policy"]), c["stride"] == null ? (int?)null : Int(c["stride"]), sessions));

        // ---- tests --------------------------------------------------------

        private static void LibraryVersion()
        {
            Check.True(System.Text.RegularExpressions.Regex.IsMatch(Library.Version, @"^\d+\.\d+\.\d+$"), "version format: " + Library.Version);
            Check.Equal(Library.ExpectedAbiVersion, Library.AbiVersion, "ABI version");
        }

        private static void ModelInfo()
        {
            var options = new ModelOptions
            {
                OrtLibrary = ort, LongText = LongTextPolicy.Truncate, MaxLength = 64, Stride = 8, IntraThreads = 1,
                Sessions = 2, MaxTokensPerBatch = 1024, MaxTextBytes = 4096, ExecutionProvider = "cpu",
            };
            using (Model model = Open("bert-cls2", options))
            {
                Check.Equal(ModelTask.SequenceClassification, model.Task, "task");
                Check.True(model.Labels.SequenceEqual(new[] { "non_causal", "causal" }), "labels: " + string.Join(",", model.Labels));
                Check.Equal(64, model.MaxLength, "max length");
                Check.Equal(LongTextPolicy.Truncate, model.LongText, "long text");
                Check.Equal(8, model.Stride, "stride");
                Check.Equal("cpu", model.ExecutionProvider, "execution provider");
                Check.True(model.OrtVersion.StartsWith("1.", StringComparison.Ordinal), "ORT version: " + model.OrtVersion);
                Check.True(System.Text.RegularExpressions.Regex.IsMatch(model.Fingerprint, "^sha256:[0-9a-f]{64}$"), "fingerprint: " + model.Fingerprint);
            }
            using (Model model = Open("bert-ner-bio"))
            {
                Check.Equal(ModelTask.TokenClassification, model.Task, "NER task");
                Check.Equal(LongTextPolicy.WindowMax, model.LongText, "default long-text policy");
                Check.Equal(model.MaxLength / 4, model.Stride, "default stride: a quarter of max length");
            }
            using (Model model = Open("bert-cross-encoder"))
            {
                Check.Equal(ModelTask.CrossEncoder, model.Task, "cross-encoder task");
            }
            // The same fixture opened twice has the same fingerprint; another has another.
            using (Model a = Open("bert-cls2"))
            using (Model b = Open("bert-cls3"))
            {
                Check.True(a.Fingerprint != b.Fingerprint, "different models, different fingerprints");
            }
        }

        private static void ClassifyParity(Dictionary<string, object> c)
        {
            using (Model model = OpenCase(c))
            {
                Check.Equal(Int(c["max_length"]), model.MaxLength, "max length");
                var scorable = Scorable(c);
                var got = model.Classify(scorable.Select(p => p.Key).ToList());
                Check.Equal(scorable.Count, got.Count, "answers");
                for (int i = 0; i < got.Count; i++)
                {
                    var want = (Dictionary<string, object>)scorable[i].Value;
                    var scores = List(want["scores"]);
                    string what = "text " + i;
                    Check.Equal(scores.Count, got[i].Scores.Count, what + ": score count");
                    for (int j = 0; j < scores.Count; j++)
                        Check.Close((double)scores[j], got[i].Scores[j], 1e-5, what + " label " + j);
                    Check.Equal((string)want["top_label"], got[i].TopLabel, what + ": top label");
                    Check.Equal((string)want["top_label"], model.Labels[got[i].Top], what + ": top index");
                    Check.Equal((bool)want["truncated"], got[i].Truncated, what + ": truncated");
                    Check.Equal(Int(want["windows"]), got[i].Windows, what + ": windows");
                }
            }
        }

        private static void SpansParity(Dictionary<string, object> c)
        {
            // No stride: the pipeline truncated; a stride: windows of it.
            int? stride = c["stride"] == null ? (int?)null : Int(c["stride"]);
            var options = new SpanOptions
            {
                Aggregation = (Aggregation)Enum.Parse(typeof(Aggregation), (string)c["aggregation"], true),
                IgnoreLabels = List(c["ignore_labels"]).Cast<string>().ToList(),
            };
            var truncated = List(c["truncated"]);
            var texts = List(c["texts"]).Cast<string>().ToList();
            using (Model model = Open((string)c["model"], Options(stride == null ? LongTextPolicy.Truncate : LongTextPolicy.WindowMax, stride)))
            {
                var scorable = Scorable(c);
                var got = model.ExtractSpans(scorable.Select(p => p.Key).ToList(), options);
                Check.Equal(scorable.Count, got.Count, "texts");
                for (int t = 0; t < got.Count; t++)
                {
                    var want = List(scorable[t].Value);
                    string text = scorable[t].Key, what = "text " + t;
                    Check.Equal(text, got[t].Text, what);
                    Check.Equal((bool)truncated[texts.IndexOf(text)], got[t].Truncated, what + ": truncated");
                    Check.Equal(want.Count, got[t].Spans.Count, what + ": span count");
                    for (int i = 0; i < want.Count; i++)
                    {
                        var e = (Dictionary<string, object>)want[i];
                        EntitySpan span = got[t].Spans[i];
                        string at = what + " span " + i;
                        Check.Equal((string)e["label"], span.Label, at + ": label");
                        Check.Close((double)e["score"], span.Score, 1e-5, at + ": score");
                        // UTF-16 offsets are .NET string indices.
                        Check.Equal(Int(e["start_utf16"]), span.Start, at + ": start");
                        Check.Equal(Int(e["end_utf16"]), span.End, at + ": end");
                        Check.Equal(Int(e["start_utf8"]), span.StartUtf8, at + ": UTF-8 start");
                        Check.Equal(Int(e["end_utf8"]), span.EndUtf8, at + ": UTF-8 end");
                        Check.Equal(text.Substring(span.Start, span.End - span.Start), span.Text, at + ": text");
                        Check.Equal(e.ContainsKey("index") ? Int(e["index"]) : (int?)null, span.Token, at + ": token");
                    }
                }
            }
        }

        private static MeddraRecord Record(Dictionary<string, object> r) =>
            new MeddraRecord((string)r["pt_name"], List(r["llt_names"]).Cast<string>().ToList(),
                             (string)r["hlt_name"], (string)r["hlgt_name"], (string)r["soc_name"]);

        private static void RerankParity(Dictionary<string, object> c)
        {
            var want = List(c["scores"]).Cast<double>().ToList();
            string mention = (string)c["mention"];
            using (Model model = Open((string)c["model"]))
            {
                IReadOnlyList<RankedCandidate> ranked;
                if (c.ContainsKey("records"))
                {
                    ranked = model.Rerank(mention, List(c["records"]).Cast<Dictionary<string, object>>().Select(Record).ToList());
                }
                else
                {
                    var plain = List(c["plain"]).Cast<string>().ToList();
                    ranked = model.Rerank(mention, plain);
                    // The candidate-list path gives the same ranking for the same texts.
                    var listed = model.Rerank(mention, plain.Select(t => (Candidate)new TextCandidate(t)));
                    Check.True(ranked.Select(r => r.Index).SequenceEqual(listed.Select(r => r.Index)), "both paths rank alike");
                    Check.True(ranked.Select(r => r.Score).SequenceEqual(listed.Select(r => r.Score)), "both paths score alike");
                }
                Check.Equal(want.Count, ranked.Count, "ranked candidates");
                foreach (RankedCandidate r in ranked)
                    Check.Close(want[r.Index], r.Score, 1e-5, "candidate " + r.Index);
                // Best first; equal scores keep the input order.
                var order = Enumerable.Range(0, want.Count).OrderByDescending(i => want[i]).ThenBy(i => i);
                Check.True(order.SequenceEqual(ranked.Select(r => r.Index)), "order: " + string.Join(",", ranked.Select(r => r.Index)));
            }
        }

        private static void Batches()
        {
            var c = WindowCase();
            var texts = Scorable(c).Select(p => p.Key).ToList();
            using (Model model = OpenCase(c))
            {
                Check.Equal(0, model.Classify(new string[0]).Count, "an empty batch gives an empty result");
                var together = model.Classify(texts);
                for (int i = 0; i < texts.Count; i++)
                    SameAnswer(together[i], model.Classify(texts[i]), "text " + i + " alone");
                Check.True(together.Any(a => a.Windows >= 3), "some text needs 3 windows");
            }
        }

        private static void SameAnswer(Classification expected, Classification got, string what)
        {
            Check.Equal(expected.Top, got.Top, what + ": top");
            Check.Equal(expected.Truncated, got.Truncated, what + ": truncated");
            Check.Equal(expected.Windows, got.Windows, what + ": windows");
            for (int j = 0; j < expected.Scores.Count; j++)
                Check.Close(expected.Scores[j], got.Scores[j], 1e-6, what + ": score " + j);
        }

        private static void SpanOffsetsAndOptions()
        {
            // Surrogate pairs and accents make UTF-16 indices differ from UTF-8 bytes.
            var texts = new[]
            {
                "😷 rash and 🤢 nausea after ibuprofen",
                "Patiënte développa une hépatite après amoxicilline",
                "服用阿莫西林后出现皮疹 and rash 💊",
            };
            using (Model model = Open("bert-ner-bio", Options(LongTextPolicy.WindowMax, 16)))
            {
                var all = model.ExtractSpans(texts, new SpanOptions { IgnoreLabels = new string[0] });
                int checkedSpans = 0;
                for (int t = 0; t < texts.Length; t++)
                {
                    byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(texts[t]);
                    foreach (EntitySpan span in all[t].Spans)
                    {
                        Check.True(span.Start < span.End && span.End <= texts[t].Length, "in range");
                        Check.Equal(System.Text.Encoding.UTF8.GetString(utf8, span.StartUtf8, span.EndUtf8 - span.StartUtf8), span.Text, "both offset kinds cover the same text");
                        Check.Equal(null, span.Token, "aggregated spans have no token index");
                        checkedSpans++;
                    }
                }
                Check.True(checkedSpans > 10, "only " + checkedSpans + " spans");
                Check.True(all.SelectMany(s => s.Spans).Any(s => s.Label == "O"), "an empty ignore list keeps O");
                Check.True(all.SelectMany(s => s.Spans).Any(s => s.Start != s.StartUtf8), "some offsets differ between UTF-16 and UTF-8");

                var defaults = model.ExtractSpans(texts[0]);
                Check.True(defaults.Spans.All(s => s.Label != "O"), "default options leave out O");
                var none = model.ExtractSpans(texts[0], new SpanOptions { Aggregation = Aggregation.None });
                Check.True(none.Spans.Count > 0 && none.Spans.All(s => s.Token.HasValue && s.Label.Contains("-")), "NONE: BIO tags with token indices");
            }
        }

        private static void RerankRules()
        {
            using (Model model = Open("bert-cross-encoder"))
            {
                var texts = new[] { "Rash", "Nausea", "Rash", "Headache", "Rash" };
                var all = model.Rerank("itchy red rash", texts);
                Check.Equal(0, model.Rerank("rash", new string[0]).Count, "an empty list gives an empty ranking");
                Check.Equal(0, model.Rerank("rash", new Candidate[0]).Count, "an empty candidate list too");
                Check.True(all.Where(r => texts[r.Index] == "Rash").Select(r => r.Index).SequenceEqual(new[] { 0, 2, 4 }), "ties keep the input order");
                // This fixture's vigil.json sets the threshold to 0.3.
                Check.True(all.All(r => r.Passes == (r.Score >= 0.3)), "default threshold from vigil.json");
                var top = model.Rerank("itchy red rash", texts, new RerankOptions { TopK = 2 });
                Check.True(top.Select(r => r.Index).SequenceEqual(all.Take(2).Select(r => r.Index)), "top-k keeps the best");
                Check.True(model.Rerank("itchy red rash", texts, new RerankOptions { Threshold = 1.0 }).All(r => !r.Passes), "threshold 1 passes nothing");

                var mixed = model.Rerank("felt my heart racing", new Candidate[]
                {
                    new MeddraRecord("Tachycardia", new[] { "Heart racing", "Pulse fast" }, "Rate disorders", null, "Cardiac disorders"),
                    "Rash",
                    new MeddraRecord("Nausea"),
                });
                Check.True(mixed.Select(r => r.Index).OrderBy(i => i).SequenceEqual(new[] { 0, 1, 2 }), "every candidate ranked once");
                Check.True(mixed.Zip(mixed.Skip(1), (a, b) => a.Score >= b.Score).All(x => x), "best first");
                Check.True(mixed.All(r => !r.Truncated), "short candidates are not cut");
                var longCandidate = string.Concat(Enumerable.Repeat("headache ", 200));
                var cut = model.Rerank("headache", new[] { "Headache", longCandidate });
                Check.True(cut.Single(r => r.Index == 1).Truncated && !cut.Single(r => r.Index == 0).Truncated, "a long candidate is cut and says so");
            }
        }

        private static void Errors()
        {
            string missing = Path.Combine(models, "no-such-model");
            Check.Fails(ErrorCode.Io, "no-such-model", () => Model.Open(missing, Options()), "missing model dir");
            using (Model classifier = Open("bert-cls2"))
            using (Model tagger = Open("bert-ner-bio"))
            using (Model encoder = Open("bert-cross-encoder"))
            {
                Check.Fails(ErrorCode.EmptyText, "text 1", () => classifier.Classify(new[] { "Rash after the dose.", "" }), "empty text");
                Check.Fails(ErrorCode.EmptyText, "text 0", () => classifier.Classify(" \t\r\n "), "blank text");
                Check.Fails(ErrorCode.InvalidUtf16, "text 1", () => classifier.Classify(new[] { "fine", "rash \ud83d" }), "unpaired surrogate (native check)");
                Check.Fails(ErrorCode.InvalidUtf16, "mention", () => encoder.Rerank("rash \ud83d", new[] { "Rash" }), "unpaired surrogate in a mention");
                Check.Fails(ErrorCode.InvalidUtf16, "candidate 1", () => encoder.Rerank("rash", new[] { "Rash", "\ude37" }), "unpaired surrogate in a candidate");
                Check.Fails(ErrorCode.InvalidUtf16, "candidate 0 LLT 1", () => encoder.Rerank("rash", new Candidate[] { new MeddraRecord("Rash", new[] { "ok", "\ud83d!" }) }), "unpaired surrogate in an LLT");
                Check.Fails(ErrorCode.EmptyText, null, () => encoder.Rerank("  ", new[] { "Rash" }), "blank mention");

                Check.Fails(ErrorCode.TaskMismatch, null, () => tagger.Classify("rash"), "classify on a tagger");
                Check.Fails(ErrorCode.TaskMismatch, "TokenClassification", () => classifier.ExtractSpans("rash"), "spans on a classifier");
                Check.Fails(ErrorCode.TaskMismatch, null, () => classifier.Rerank("rash", new[] { "Rash" }), "rerank on a classifier");
                Check.Fails(ErrorCode.TaskMismatch, null, () => encoder.Classify("rash"), "classify on a cross-encoder");

                Check.Fails(ErrorCode.InvalidArgument, null, () => tagger.ExtractSpans("rash", new SpanOptions { Aggregation = (Aggregation)99 }), "unknown aggregation");
                Check.Fails(ErrorCode.InvalidArgument, null, () => encoder.Rerank("rash", new[] { "Rash" }, new RerankOptions { Threshold = 1.5 }), "threshold above 1");

                Check.Throws<ArgumentNullException>(() => classifier.Classify((string[])null), "null batch");
                Check.Throws<ArgumentException>(() => classifier.Classify(new[] { "ok", null }), "null text");
                Check.Throws<ArgumentNullException>(() => encoder.Rerank(null, new[] { "Rash" }), "null mention");
                Check.Throws<ArgumentOutOfRangeException>(() => encoder.Rerank("rash", new[] { "Rash" }, new RerankOptions { TopK = -1 }), "negative top-k");
            }
            Check.Fails(ErrorCode.InvalidArgument, "sessions", () => Model.Open(Path.Combine(models, "bert-cls2"), new ModelOptions { OrtLibrary = ort, Sessions = 0 }), "zero sessions");
            Check.Fails(ErrorCode.InvalidArgument, "99", () => Open("bert-cls2", new ModelOptions { OrtLibrary = ort, LongText = (LongTextPolicy)99 }), "unknown long-text policy");
            Check.Fails(ErrorCode.InvalidArgument, "stride", () => Open("bert-cls2", new ModelOptions { OrtLibrary = ort, MaxLength = 16, Stride = 16 }), "stride not below max length");
            Check.Fails(ErrorCode.ProviderUnavailable, "cuda", () => Open("bert-cls2", new ModelOptions { OrtLibrary = ort, ExecutionProvider = "cuda" }), "no CUDA in this build");
            Check.Fails(ErrorCode.InvalidArgument, "bogus", () => Open("bert-cls2", new ModelOptions { OrtLibrary = ort, ExecutionProvider = "bogus" }), "unknown provider");
            Check.Throws<ArgumentOutOfRangeException>(() => Open("bert-cls2", new ModelOptions { OrtLibrary = ort, MaxLength = -1 }), "negative max length");
            using (Model small = Open("bert-cls2", new ModelOptions { OrtLibrary = ort, MaxTextBytes = 16 }))
            {
                Check.Fails(ErrorCode.InputTooLarge, null, () => small.Classify("This text is longer than sixteen bytes."), "text over max_text_bytes");
                Check.Equal(1, small.Classify(new[] { "Short text." }).Count, "a short text still passes");
            }
        }

        /// <summary>
        /// 8 threads at once (a barrier holds them until all run), each starting
        /// at a different text so batches differ; every answer must be the serial one.
        /// </summary>
        private static void EightThreads<T>(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, IReadOnlyList<T>> call, Action<T, T, string> same)
        {
            const int threads = 8, rounds = 3;
            var serial = call(texts);
            var got = new T[threads, rounds][];
            var barrier = new Barrier(threads);
            var tasks = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
            {
                barrier.SignalAndWait();
                for (int round = 0; round < rounds; round++)
                {
                    var order = Enumerable.Range(0, texts.Count).Select(k => (k + t + round) % texts.Count).ToList();
                    var answers = call(order.Select(i => texts[i]).ToList());
                    got[t, round] = new T[texts.Count];
                    for (int k = 0; k < order.Count; k++) got[t, round][order[k]] = answers[k];
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(tasks);
            for (int t = 0; t < threads; t++)
                for (int round = 0; round < rounds; round++)
                    for (int i = 0; i < texts.Count; i++)
                        same(serial[i], got[t, round][i], "thread " + t + " round " + round + " text " + i);
        }

        private static void ThreadsClassify()
        {
            var c = WindowCase();
            var texts = Scorable(c).Select(p => p.Key).ToList();
            foreach (int sessions in new[] { 1, 3 })
            {
                using (Model model = OpenCase(c, sessions))
                {
                    EightThreads(texts, model.Classify, SameAnswer);
                }
            }
        }

        private static void ThreadsSpans()
        {
            var c = Cases("spans").First(x => x["stride"] != null);
            var texts = Scorable(c).Select(p => p.Key).ToList();
            using (Model model = Open("bert-ner-bio", Options(LongTextPolicy.WindowMax, Int(c["stride"]), 2)))
            {
                EightThreads(texts, t => model.ExtractSpans(t), (TextSpans expected, TextSpans got, string what) =>
                {
                    Check.Equal(expected.Text, got.Text, what);
                    Check.Equal(expected.Spans.Count, got.Spans.Count, what + ": spans");
                    for (int i = 0; i < expected.Spans.Count; i++)
                    {
                        Check.Equal(expected.Spans[i].Label + expected.Spans[i].Start + "-" + expected.Spans[i].End,
                                    got.Spans[i].Label + got.Spans[i].Start + "-" + got.Spans[i].End, what + " span " + i);
                        Check.Close(expected.Spans[i].Score, got.Spans[i].Score, 1e-6, what + " span " + i + " score");
                    }
                });
            }
        }

        private static void ResultsOutliveModel()
        {
            const string text = "😷 rash and nausea after ibuprofen, then severe angioedema.";
            Model classifier = Open("bert-cls2");
            Model tagger = Open("bert-ner-bio");
            Classification answer = classifier.Classify(text);
            TextSpans spans = tagger.ExtractSpans(text);

            // The C objects themselves: a raw result read after its model is freed.
            ClassificationHandle rawClass;
            SpansHandle rawSpans;
            using (SpanOptionsHandle options = new SpanOptions().ToNative())
            fixed (char* chars = text)
            {
                var view = new VigilStr16(chars, text.Length);
                VigilException.ThrowIfError(Native.vigil_model_classify_utf16(classifier.Handle, &view, (UIntPtr)1, out rawClass));
                VigilException.ThrowIfError(Native.vigil_model_extract_spans_utf16(tagger.Handle, &view, (UIntPtr)1, options, out rawSpans));
            }
            classifier.Dispose();
            tagger.Dispose();
            classifier.Dispose(); // a second Dispose is a no-op

            using (rawClass)
            using (rawSpans)
            {
                double* scores = Native.vigil_classification_scores(rawClass, UIntPtr.Zero);
                for (int j = 0; j < answer.Scores.Count; j++)
                    Check.Equal(answer.Scores[j], scores[j], "raw score " + j + " after the model is freed");
                Check.Equal(spans.Spans.Count, (int)Native.vigil_spans_count(rawSpans, UIntPtr.Zero), "raw span count after the model is freed");
                Check.Equal(spans.Spans[0].Label, System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Native.vigil_spans_label(rawSpans, UIntPtr.Zero, UIntPtr.Zero)), "raw span label");
            }

            // The .NET results are plain data, and the model's description stays readable.
            Check.Equal("causal", answer.Labels[1], "labels after Dispose");
            Check.True(spans.Spans.Count > 0 && spans.Spans.All(s => s.Text == text.Substring(s.Start, s.End - s.Start)), "spans after Dispose");
            Check.Equal(2, classifier.Labels.Count, "model labels after Dispose");
            Check.Throws<ObjectDisposedException>(() => classifier.Classify(text), "classify after Dispose");
            Check.Throws<ObjectDisposedException>(() => tagger.ExtractSpans(text), "spans after Dispose");
        }

        private static void DisposeRacesCalls()
        {
            Model model = Open("bert-cls2");
            RaceDispose(model, () => Check.Equal(2, model.Classify("Rash after the second dose of amoxicillin.").Scores.Count, "scores"));
        }

        /// <summary>
        /// The SafeHandle keeps the C object alive until calls in flight return:
        /// each call either completes (<paramref name="call"/> checks its answer)
        /// or sees ObjectDisposedException.
        /// </summary>
        private static void RaceDispose(IDisposable owner, Action call)
        {
            var running = new CountdownEvent(4);
            int completed = 0;
            var tasks = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
            {
                for (int i = 0; ; i++)
                {
                    try
                    {
                        call();
                        Interlocked.Increment(ref completed);
                        if (i == 0) running.Signal();
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            Check.True(running.Wait(TimeSpan.FromSeconds(60)), "every thread completed a call");
            owner.Dispose();
            Check.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), "every thread stopped");
            Check.True(completed >= 4, "calls completed before Dispose: " + completed);
        }

        /// <summary>
        /// Opens and calls, then drops everything without Dispose. Weak references
        /// that track resurrection die only once the finalizer has run.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static List<WeakReference> Abandon(out ClassificationHandle kept, out double[] expected)
        {
            var dropped = new List<object>();
            Model model = Open("bert-cls2");
            dropped.Add(model);
            dropped.Add(model.Handle);
            const string text = "Rash after the dose.";
            expected = model.Classify(text).Scores.ToArray();
            fixed (char* chars = text)
            {
                var view = new VigilStr16(chars, text.Length);
                VigilException.ThrowIfError(Native.vigil_model_classify_utf16(model.Handle, &view, (UIntPtr)1, out kept));
                ClassificationHandle other;
                VigilException.ThrowIfError(Native.vigil_model_classify_utf16(model.Handle, &view, (UIntPtr)1, out other));
                dropped.Add(other);
            }
            OptionsHandle options = new ModelOptions { OrtLibrary = ort }.ToNative();
            ErrorHandle error = Native.vigil_model_open(Path.Combine(models, "no-such-model"), options, out ModelHandle none);
            Check.True(!error.IsInvalid && none.IsInvalid, "a raw error to drop");
            dropped.AddRange(new object[] { options, error, new SpanOptions { IgnoreLabels = new[] { "O" } }.ToNative() });
            dropped.AddRange(new object[] { new RerankOptions { TopK = 1 }.ToNative(), Native.vigil_candidates_new() });
            dropped.AddRange(new object[] { OpenMeddra(), new NormalizeOptions { TopK = 1 }.ToNative() });
            // Models opened and never disposed: each one's finalizer frees it.
            for (int i = 0; i < 4; i++) dropped.Add(Open("bert-cls3"));
            return dropped.Select(o => new WeakReference(o, true)).ToList();
        }

        private static void Finalizers()
        {
            ClassificationHandle kept;
            double[] expected;
            List<WeakReference> weak = Abandon(out kept, out expected);
            for (int i = 0; i < 3 && weak.Any(w => w.IsAlive); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            GC.Collect();
            Check.Equal(0, weak.Count(w => w.IsAlive), "objects still alive after the finalizers ran (of " + weak.Count + ")");
            // The kept result outlived the finalized model: it holds its own reference.
            using (kept)
            {
                double* scores = Native.vigil_classification_scores(kept, UIntPtr.Zero);
                for (int j = 0; j < expected.Length; j++)
                    Check.Equal(expected[j], scores[j], "kept result, score " + j);
            }
        }
    }
}
