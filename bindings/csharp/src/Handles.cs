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

    /// <summary>
    /// The handle of an object that many threads call at once (a model, a
    /// dictionary). The owner's Dispose retires it: later calls throw
    /// ObjectDisposedException, calls in flight keep their references, and
    /// the C object is freed when the last of them returns.
    /// </summary>
    internal abstract class SharedHandle : VigilHandle
    {
        // SafeHandle.Dispose only drops the owner's reference: while other
        // threads' calls hold theirs, new calls would still get through without this flag.
        private volatile bool retired;

        internal void Retire()
        {
            retired = true;
            Dispose();
        }

        internal void ThrowIfRetired(string owner)
        {
            if (retired) throw new ObjectDisposedException(owner);
        }

        /// <summary>
        /// Runs <paramref name="body"/> holding a reference of its own, for
        /// methods that make several calls on this handle or read a pointer it
        /// lends after the call returns: the marshaller holds one only per call,
        /// so a Dispose in between could otherwise free the C object under them.
        /// </summary>
        internal T Use<T>(string owner, Func<T> body)
        {
            ThrowIfRetired(owner);
            bool added = false;
            try
            {
                DangerousAddRef(ref added);
                return body();
            }
            finally
            {
                if (added) DangerousRelease();
            }
        }
    }

    internal sealed class ModelHandle : SharedHandle
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

    internal sealed class MeddraHandle : SharedHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_meddra_free(handle); return true; }
    }

    internal sealed class HitsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_hits_free(handle); return true; }
    }

    internal sealed class NormalizeOptionsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_normalize_options_free(handle); return true; }
    }

    internal sealed class CodingsHandle : VigilHandle
    {
        protected override bool ReleaseHandle() { Native.vigil_codings_free(handle); return true; }
    }
}
