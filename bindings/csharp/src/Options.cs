// Options as plain settable objects; a null property keeps the library's
// default. Each is turned into its C builder for one call and freed after,
// so an options object may be reused, changed or shared freely.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace Vigil
{
    /// <summary>VIGIL_TASK_*: what a model directory was exported for.</summary>
    public enum ModelTask : uint
    {
        SequenceClassification = 1,
        TokenClassification = 2,
        CrossEncoder = 3,
    }

    /// <summary>VIGIL_LONG_TEXT_*: what happens to texts longer than MaxLength tokens.</summary>
    public enum LongTextPolicy : uint
    {
        Truncate = 1,
        WindowMean = 2,
        WindowMax = 3,
    }

    /// <summary>VIGIL_AGGREGATION_*, with transformers' token-classification semantics.</summary>
    public enum Aggregation : uint
    {
        None = 1,
        Simple = 2,
        First = 3,
        Average = 4,
        Max = 5,
    }

    /// <summary>How <see cref="Model.Open"/> loads a model.</summary>
    public sealed class ModelOptions
    {
        /// <summary>Path to libonnxruntime, tried before VIGIL_ORT_LIBRARY and the folder of libvigil.</summary>
        public string OrtLibrary { get; set; }
        /// <summary>ONNX Runtime intra-op threads per session; 0 lets it choose.</summary>
        public int? IntraThreads { get; set; }
        /// <summary>How many calls may run the graph at once (default 1).</summary>
        public int? Sessions { get; set; }
        /// <summary>Upper bound on batch rows × padded length per graph run (default 8192).</summary>
        public int? MaxTokensPerBatch { get; set; }
        /// <summary>Caps tokens per sequence below the model's own limit.</summary>
        public int? MaxLength { get; set; }
        /// <summary>Default: the model's vigil.json, else WindowMax.</summary>
        public LongTextPolicy? LongText { get; set; }
        /// <summary>Tokens shared by consecutive windows (default: a quarter of MaxLength).</summary>
        public int? Stride { get; set; }
        /// <summary>Longest accepted text in UTF-8 bytes (default 1 MiB).</summary>
        public long? MaxTextBytes { get; set; }
        /// <summary>"cpu", "cuda" or "tensorrt"; an unavailable one fails, never falls back.</summary>
        public string ExecutionProvider { get; set; }

        internal OptionsHandle ToNative()
        {
            return Build.Configure(Native.vigil_options_new(), native =>
            {
                if (OrtLibrary != null) VigilException.ThrowIfError(Native.vigil_options_set_ort_library(native, OrtLibrary));
                Build.Set(native, IntraThreads, nameof(IntraThreads), Native.vigil_options_set_intra_threads);
                Build.Set(native, Sessions, nameof(Sessions), Native.vigil_options_set_sessions);
                Build.Set(native, MaxTokensPerBatch, nameof(MaxTokensPerBatch), Native.vigil_options_set_max_tokens_per_batch);
                Build.Set(native, MaxLength, nameof(MaxLength), Native.vigil_options_set_max_length);
                if (LongText.HasValue) VigilException.ThrowIfError(Native.vigil_options_set_long_text(native, (uint)LongText.Value));
                Build.Set(native, Stride, nameof(Stride), Native.vigil_options_set_stride);
                if (MaxTextBytes.HasValue) VigilException.ThrowIfError(Native.vigil_options_set_max_text_bytes(native, (UIntPtr)Build.Unsigned(MaxTextBytes.Value, nameof(MaxTextBytes))));
                if (ExecutionProvider != null) VigilException.ThrowIfError(Native.vigil_options_set_execution_provider(native, ExecutionProvider));
            });
        }
    }

    /// <summary>Per-call options for <see cref="Model.ExtractSpans(IReadOnlyList{string}, SpanOptions)"/>.</summary>
    public sealed class SpanOptions
    {
        /// <summary>Default Simple.</summary>
        public Aggregation? Aggregation { get; set; }
        /// <summary>Labels to leave out (entity groups; full tags under None). Default {"O"}; empty keeps everything.</summary>
        public IReadOnlyList<string> IgnoreLabels { get; set; }

        internal unsafe SpanOptionsHandle ToNative()
        {
            return Build.Configure(Native.vigil_span_options_new(), native =>
            {
                if (Aggregation.HasValue) VigilException.ThrowIfError(Native.vigil_span_options_set_aggregation(native, (uint)Aggregation.Value));
                if (IgnoreLabels != null)
                {
                    if (IgnoreLabels.Contains(null)) throw new ArgumentException("an ignore label is null", nameof(IgnoreLabels));
                    using (var labels = new Utf8Batch(IgnoreLabels, i => "ignore label " + i))
                    fixed (VigilStr* views = labels.Views)
                    {
                        VigilException.ThrowIfError(Native.vigil_span_options_set_ignore_labels(native, views, (UIntPtr)labels.Views.Length));
                    }
                }
            });
        }
    }

    /// <summary>Per-call options for <see cref="Model.Rerank(string, IEnumerable{Candidate}, RerankOptions)"/>.</summary>
    public sealed class RerankOptions
    {
        /// <summary>Score a candidate must reach to pass, in [0, 1]. Default: the model's vigil.json, else 0.5.</summary>
        public double? Threshold { get; set; }
        /// <summary>Keep only the best k candidates; default (or 0) keeps all.</summary>
        public int? TopK { get; set; }

        internal RerankOptionsHandle ToNative()
        {
            return Build.Configure(Native.vigil_rerank_options_new(), native =>
            {
                if (Threshold.HasValue) VigilException.ThrowIfError(Native.vigil_rerank_options_set_threshold(native, Threshold.Value));
                Build.Set(native, TopK, nameof(TopK), Native.vigil_rerank_options_set_top_k);
            });
        }
    }

    /// <summary>Per-call options for <see cref="Meddra.Normalize"/>.</summary>
    public sealed class NormalizeOptions
    {
        /// <summary>PTs retrieved per mention before reranking (default 100, at least 1): recall against rerank time.</summary>
        public int? Candidates { get; set; }
        /// <summary>Score a PT must reach to be kept, in [0, 1]. Default: the model's vigil.json, else 0.5.</summary>
        public double? Threshold { get; set; }
        /// <summary>Keep at most k PTs per mention; default (or 0) keeps every PT that passes.</summary>
        public int? TopK { get; set; }

        internal NormalizeOptionsHandle ToNative()
        {
            return Build.Configure(Native.vigil_normalize_options_new(), native =>
            {
                Build.Set(native, Candidates, nameof(Candidates), Native.vigil_normalize_options_set_candidates);
                if (Threshold.HasValue) VigilException.ThrowIfError(Native.vigil_normalize_options_set_threshold(native, Threshold.Value));
                Build.Set(native, TopK, nameof(TopK), Native.vigil_normalize_options_set_top_k);
            });
        }
    }

    internal static class Build
    {
        /// <summary>Applies settings to a fresh C builder; frees it if one is refused.</summary>
        internal static T Configure<T>(T native, Action<T> configure) where T : SafeHandle
        {
            try
            {
                configure(native);
                return native;
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }

        /// <summary>Calls a count setter when the host gave a value (null keeps the default).</summary>
        internal static void Set<T>(T native, int? value, string name, Func<T, uint, ErrorHandle> setter)
        {
            if (value.HasValue) VigilException.ThrowIfError(setter(native, Unsigned(value.Value, name)));
        }

        /// <summary>The same for a size_t setter.</summary>
        internal static void Set<T>(T native, int? value, string name, Func<T, UIntPtr, ErrorHandle> setter)
        {
            if (value.HasValue) VigilException.ThrowIfError(setter(native, (UIntPtr)Unsigned(value.Value, name)));
        }

        // .NET counts are signed; a negative one would wrap to a huge C value.
        internal static uint Unsigned(int value, string name)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(name, value, "must not be negative");
            return (uint)value;
        }

        internal static ulong Unsigned(long value, string name)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(name, value, "must not be negative");
            return (ulong)value;
        }
    }
}
