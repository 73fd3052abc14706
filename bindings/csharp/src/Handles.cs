// One SafeHandle type per owned C object, so each is freed exactly once:
// by Dispose, or else by the finalizer thread (every vigil_*_free may run
// on any thread; a result holds its own reference to its model, so
// finalizers may run in any order).
using System;
using System.Runtime.InteropServices;

namespace Vigil
{
    internal abstract class VigilHandle : SafeHandle
    {
        protected VigilHandle() : base(IntPtr.Zero, true) { }

        // Failed calls leave their out-parameter NULL: nothing to free.
        public override bool IsInvalid => handle == IntPtr.Zero;
    }

    internal sealed class ErrorHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_error_free(handle); return true; }
    }

    internal sealed class OptionsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_options_free(handle); return true; }
    }

    internal sealed class ModelHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_model_free(handle); return true; }
    }

    internal sealed class ClassificationHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_classification_free(handle); return true; }
    }

    internal sealed class SpanOptionsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_span_options_free(handle); return true; }
    }

    internal sealed class SpansHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_spans_free(handle); return true; }
    }

    internal sealed class CandidatesHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_candidates_free(handle); return true; }
    }

    internal sealed class RerankOptionsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_rerank_options_free(handle); return true; }
    }

    internal sealed class RankingHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_ranking_free(handle); return true; }
    }
}
