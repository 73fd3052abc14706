using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Vigil
{
    /// <summary>The loaded libvigil itself.</summary>
    public static class Library
    {
        /// <summary>The C ABI these declarations were written against (VIGIL_ABI_VERSION).</summary>
        public const int ExpectedAbiVersion = 1;

        /// <summary>libvigil's version, "MAJOR.MINOR.PATCH".</summary>
        public static string Version => Marshal.PtrToStringUTF8(Native.vigil_version());

        /// <summary>The ABI version the loaded libvigil implements.</summary>
        public static int AbiVersion => (int)Native.vigil_abi_version();

        // Checked before the first model opens: a libvigil with another ABI
        // would otherwise fail later, in a less obvious way. Not cached on
        // failure, so a host that fixes its library path can retry.
        private static volatile bool compatible;

        internal static void EnsureCompatible()
        {
            if (compatible) return;
            int abi = AbiVersion;
            if (abi != ExpectedAbiVersion)
            {
                throw new InvalidOperationException(
                    "libvigil implements ABI " + abi + "; this binding needs ABI " + ExpectedAbiVersion);
            }
            compatible = true;
        }
    }

    /// <summary>
    /// An open model directory. Every method may be called from any number of
    /// threads at once. Dispose it when done (or leave it to the finalizer);
    /// results stay valid after it is disposed.
    /// </summary>
    public sealed unsafe class Model : IDisposable
    {
        private readonly ModelHandle handle;

        public ModelTask Task { get; }
        /// <summary>Label names in label-id order.</summary>
        public IReadOnlyList<string> Labels { get; }
        /// <summary>Tokens per sequence (window) after the host's cap.</summary>
        public int MaxLength { get; }
        public LongTextPolicy LongText { get; }
        /// <summary>Tokens shared by consecutive windows.</summary>
        public int Stride { get; }
        /// <summary>"sha256:&lt;hex&gt;" over the model's files: log it with every result.</summary>
        public string Fingerprint { get; }
        /// <summary>The ONNX Runtime in use, e.g. "1.31.1 (git 6af1a93)".</summary>
        public string OrtVersion { get; }
        /// <summary>The execution provider in use ("cpu").</summary>
        public string ExecutionProvider { get; }

        private Model(ModelHandle handle)
        {
            this.handle = handle;
            // A model never changes once open: read it all now, so these stay
            // readable after Dispose and cost no native call.
            Task = (ModelTask)Native.vigil_model_task(handle);
            var labels = new string[(int)Native.vigil_model_label_count(handle)];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = Marshal.PtrToStringUTF8(Native.vigil_model_label(handle, (UIntPtr)i));
            }
            Labels = Array.AsReadOnly(labels);
            MaxLength = (int)Native.vigil_model_max_length(handle);
            LongText = (LongTextPolicy)Native.vigil_model_long_text(handle);
            Stride = (int)Native.vigil_model_stride(handle);
            Fingerprint = Marshal.PtrToStringUTF8(Native.vigil_model_fingerprint(handle));
            OrtVersion = Marshal.PtrToStringUTF8(Native.vigil_model_ort_version(handle));
            ExecutionProvider = Marshal.PtrToStringUTF8(Native.vigil_model_execution_provider(handle));
        }

        /// <summary>
        /// Opens a model directory (model.onnx, config.json, tokenizer.json;
        /// optional tokenizer_config.json and vigil.json).
        /// </summary>
        /// <exception cref="VigilException">e.g. <see cref="ErrorCode.Io"/> for a missing directory</exception>
        public static Model Open(string dir, ModelOptions options = null)
        {
            if (dir == null) throw new ArgumentNullException(nameof(dir));
            Library.EnsureCompatible();
            ModelHandle handle;
            using (OptionsHandle native = (options ?? new ModelOptions()).ToNative())
            {
                VigilException.ThrowIfError(Native.vigil_model_open(dir, native, out handle));
            }
            return new Model(handle);
        }

        /// <summary>
        /// Releases the native model: at once, or when the calls still running
        /// on other threads return. Later calls throw ObjectDisposedException.
        /// </summary>
        public void Dispose() => handle.Retire();

        // The handle for a new call. Internal for Meddra.Normalize, the tests' raw-ABI checks and the benchmark.
        internal ModelHandle Handle
        {
            get
            {
                handle.ThrowIfRetired(nameof(Model));
                return handle;
            }
        }

        // ---- classify ---------------------------------------------------

        public Classification Classify(string text) => Classify(new[] { text })[0];

        /// <summary>Classifies a batch in one call (Vigil pads and batches internally).</summary>
        public IReadOnlyList<Classification> Classify(IReadOnlyList<string> texts)
        {
            ClassificationHandle result;
            using (var pinned = new PinnedUtf16(texts))
            fixed (VigilStr16* views = pinned.Views)
            {
                VigilException.ThrowIfError(Native.vigil_model_classify_utf16(Handle, views, (UIntPtr)texts.Count, out result));
            }
            using (result)
            {
                int labels = (int)Native.vigil_classification_label_count(result);
                var answers = new Classification[(int)Native.vigil_classification_count(result)];
                for (int i = 0; i < answers.Length; i++)
                {
                    var at = (UIntPtr)i;
                    var scores = new double[labels];
                    Marshal.Copy((IntPtr)Native.vigil_classification_scores(result, at), scores, 0, labels);
                    answers[i] = new Classification(
                        Array.AsReadOnly(scores), Labels, (int)Native.vigil_classification_top(result, at),
                        Native.vigil_classification_truncated(result, at), (int)Native.vigil_classification_windows(result, at));
                }
                return Array.AsReadOnly(answers);
            }
        }

        // ---- spans ------------------------------------------------------

        public TextSpans ExtractSpans(string text, SpanOptions options = null) => ExtractSpans(new[] { text }, options)[0];

        /// <summary>Extracts entities (token-classification models only).</summary>
        public IReadOnlyList<TextSpans> ExtractSpans(IReadOnlyList<string> texts, SpanOptions options = null)
        {
            SpansHandle result;
            using (var pinned = new PinnedUtf16(texts))
            using (SpanOptionsHandle native = (options ?? new SpanOptions()).ToNative())
            fixed (VigilStr16* views = pinned.Views)
            {
                VigilException.ThrowIfError(Native.vigil_model_extract_spans_utf16(Handle, views, (UIntPtr)texts.Count, native, out result));
            }
            using (result)
            {
                var all = new TextSpans[(int)Native.vigil_spans_text_count(result)];
                for (int t = 0; t < all.Length; t++)
                {
                    var text = (UIntPtr)t;
                    var spans = new EntitySpan[(int)Native.vigil_spans_count(result, text)];
                    for (int i = 0; i < spans.Length; i++)
                    {
                        var at = (UIntPtr)i;
                        int start = (int)Native.vigil_spans_start_utf16(result, text, at);
                        int end = (int)Native.vigil_spans_end_utf16(result, text, at);
                        long token = Native.vigil_spans_token(result, text, at);
                        spans[i] = new EntitySpan(
                            Marshal.PtrToStringUTF8(Native.vigil_spans_label(result, text, at)),
                            Native.vigil_spans_score(result, text, at), start, end,
                            (int)Native.vigil_spans_start(result, text, at), (int)Native.vigil_spans_end(result, text, at),
                            texts[t].Substring(start, end - start), token < 0 ? (int?)null : (int)token);
                    }
                    all[t] = new TextSpans(texts[t], Array.AsReadOnly(spans),
                        (int)Native.vigil_spans_windows(result, text), Native.vigil_spans_truncated(result, text));
                }
                return Array.AsReadOnly(all);
            }
        }

        // ---- rerank -----------------------------------------------------

        /// <summary>Scores each (mention, candidate text) pair with a cross-encoder; best first.</summary>
        public IReadOnlyList<RankedCandidate> Rerank(string mention, IReadOnlyList<string> candidates, RerankOptions options = null)
        {
            if (mention == null) throw new ArgumentNullException(nameof(mention));
            if (candidates == null) throw new ArgumentNullException(nameof(candidates));
            // The mention first, then the candidates, in one UTF-8 buffer.
            var strings = new List<string>(candidates.Count + 1) { mention };
            strings.AddRange(candidates);
            if (strings.Contains(null)) throw new ArgumentException("a candidate is null", nameof(candidates));
            RankingHandle result;
            using (var utf8 = new Utf8Batch(strings, i => i == 0 ? "mention" : "candidate " + (i - 1)))
            using (RerankOptionsHandle native = (options ?? new RerankOptions()).ToNative())
            fixed (VigilStr* views = utf8.Views)
            {
                VigilException.ThrowIfError(Native.vigil_model_rerank_texts(
                    Handle, views[0], candidates.Count == 0 ? null : views + 1, (UIntPtr)candidates.Count, native, out result));
            }
            return ReadRanking(result);
        }

        /// <summary>Scores each (mention, candidate) pair; texts and MedDRA records may be mixed.</summary>
        public IReadOnlyList<RankedCandidate> Rerank(string mention, IEnumerable<Candidate> candidates, RerankOptions options = null)
        {
            if (mention == null) throw new ArgumentNullException(nameof(mention));
            if (candidates == null) throw new ArgumentNullException(nameof(candidates));
            RankingHandle result;
            using (CandidatesHandle list = Native.vigil_candidates_new())
            using (var utf8 = new Utf8Batch(new[] { mention }, i => "mention"))
            using (RerankOptionsHandle native = (options ?? new RerankOptions()).ToNative())
            {
                int index = 0;
                foreach (Candidate candidate in candidates)
                {
                    if (candidate == null) throw new ArgumentException("candidate " + index + " is null", nameof(candidates));
                    candidate.AddTo(list, index++);
                }
                VigilException.ThrowIfError(Native.vigil_model_rerank(Handle, utf8.Views[0], list, native, out result));
            }
            return ReadRanking(result);
        }

        private static IReadOnlyList<RankedCandidate> ReadRanking(RankingHandle result)
        {
            using (result)
            {
                var ranked = new RankedCandidate[(int)Native.vigil_ranking_count(result)];
                for (int i = 0; i < ranked.Length; i++)
                {
                    var at = (UIntPtr)i;
                    ranked[i] = new RankedCandidate(
                        (int)Native.vigil_ranking_index(result, at), Native.vigil_ranking_score(result, at),
                        Native.vigil_ranking_passes(result, at), Native.vigil_ranking_truncated(result, at));
                }
                return Array.AsReadOnly(ranked);
            }
        }
    }
}
