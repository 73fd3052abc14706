using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;

namespace Vigil
{
    /// <summary>
    /// A MedDRA release (the $-separated ASCII files: llt.asc, pt.asc,
    /// mdhier.asc, ...) with its retrieval index: term lookups, BM25 retrieval
    /// of PTs for a mention, and coding of mentions with a cross-encoder.
    /// Immutable: every method may be called from any number of threads at
    /// once. Dispose works as <see cref="Model"/>'s does; results stay valid
    /// after it. Codes are MedDRA's 8-digit codes.
    /// </summary>
    public sealed unsafe class Meddra : IDisposable
    {
        // VIGIL_MEDDRA_INCLUDE_NONCURRENT
        private const uint IncludeNoncurrentFlag = 1;

        private readonly MeddraHandle handle;

        public int PtCount { get; }
        /// <summary>LLTs kept: the current ones, unless opened with includeNoncurrent.</summary>
        public int LltCount { get; }
        /// <summary>LLTs left out at load because their PT is not in pt.asc.</summary>
        public int SkippedLlts { get; }

        private Meddra(MeddraHandle handle)
        {
            this.handle = handle;
            // Fixed once loaded: read now, so they stay readable after Dispose.
            PtCount = (int)Native.vigil_meddra_pt_count(handle);
            LltCount = (int)Native.vigil_meddra_llt_count(handle);
            SkippedLlts = (int)Native.vigil_meddra_skipped_llts(handle);
        }

        /// <summary>
        /// Loads the release in <paramref name="dir"/>. Non-current LLTs are
        /// left out unless <paramref name="includeNoncurrent"/>, which lets old
        /// verbatims still retrieve their PT.
        /// </summary>
        /// <exception cref="VigilException"><see cref="ErrorCode.Io"/> for a missing directory or a missing or malformed file (named with its line)</exception>
        public static Meddra Open(string dir, bool includeNoncurrent = false)
        {
            if (dir == null) throw new ArgumentNullException(nameof(dir));
            Library.EnsureCompatible();
            MeddraHandle handle;
            VigilException.ThrowIfError(Native.vigil_meddra_open(dir, includeNoncurrent ? IncludeNoncurrentFlag : 0, out handle));
            return new Meddra(handle);
        }

        /// <summary>
        /// Releases the dictionary: at once, or when the calls still running on
        /// other threads return. Later calls throw ObjectDisposedException.
        /// </summary>
        public void Dispose() => handle.Retire();

        private MeddraHandle Handle
        {
            get
            {
                handle.ThrowIfRetired(nameof(Meddra));
                return handle;
            }
        }

        // ---- lookups ----------------------------------------------------

        /// <summary>The name of any term (LLT, PT, HLT, HLGT or SOC); null when the code is unknown.</summary>
        public string Name(int code) => handle.Use(nameof(Meddra), () => BorrowedName((uint)code));

        /// <summary>The PT an LLT belongs to (a PT is an LLT of itself); null when the LLT is unknown.</summary>
        public int? PtOfLlt(int lltCode) => Known(Native.vigil_meddra_llt_pt(Handle, (uint)lltCode));

        /// <summary>The PT's primary SOC; null when the PT is unknown or has no hierarchy.</summary>
        public int? PrimarySoc(int ptCode) => Known(Native.vigil_meddra_primary_soc(Handle, (uint)ptCode));

        /// <summary>The PT's HLT → HLGT → SOC paths, one per SOC it sits in, the primary first; empty when unknown.</summary>
        public IReadOnlyList<SocPath> Paths(int ptCode) => handle.Use(nameof(Meddra), () =>
        {
            var paths = new SocPath[(int)Native.vigil_meddra_path_count(handle, (uint)ptCode)];
            for (int i = 0; i < paths.Length; i++)
            {
                uint hlt, hlgt, soc;
                bool primary;
                Native.vigil_meddra_path(handle, (uint)ptCode, (UIntPtr)i, out hlt, out hlgt, out soc, out primary);
                paths[i] = new SocPath((int)hlt, (int)hlgt, (int)soc, primary);
            }
            return (IReadOnlyList<SocPath>)Array.AsReadOnly(paths);
        });

        // ---- retrieval --------------------------------------------------

        /// <summary>
        /// The <paramref name="k"/> best PTs for a mention by BM25 over PT and
        /// LLT names, best first: an LLT match retrieves its PT, and an exact
        /// name (case and accents folded) ranks first.
        /// </summary>
        public IReadOnlyList<RetrievalHit> Retrieve(string mention, int k)
        {
            if (mention == null) throw new ArgumentNullException(nameof(mention));
            var count = (UIntPtr)Build.Unsigned(k, nameof(k));
            HitsHandle result;
            using (var utf8 = new Utf8Batch(new[] { mention }, i => "mention"))
            {
                VigilException.ThrowIfError(Native.vigil_meddra_retrieve(Handle, utf8.Views[0], count, out result));
            }
            using (result)
            {
                var hits = new RetrievalHit[(int)Native.vigil_hits_count(result)];
                for (int i = 0; i < hits.Length; i++)
                {
                    var at = (UIntPtr)i;
                    hits[i] = new RetrievalHit(
                        (int)Native.vigil_hits_pt(result, at), Native.vigil_hits_score(result, at),
                        (int)Native.vigil_hits_matched_code(result, at),
                        Marshal.PtrToStringUTF8(Native.vigil_hits_matched_name(result, at)), Native.vigil_hits_exact(result, at));
                }
                return Array.AsReadOnly(hits);
            }
        }

        // ---- normalisation ----------------------------------------------

        /// <summary>
        /// Codes each mention to PTs: retrieves candidates, reranks them with
        /// the cross-encoder (every mention's pairs batched together) and keeps
        /// those over the threshold, best first, with their primary SOC. One
        /// list per mention, in input order.
        /// </summary>
        /// <exception cref="VigilException"><see cref="ErrorCode.TaskMismatch"/> unless <paramref name="crossEncoder"/> is a cross-encoder; <see cref="ErrorCode.EmptyText"/> for a blank mention</exception>
        public IReadOnlyList<IReadOnlyList<Coding>> Normalize(Model crossEncoder, IReadOnlyList<string> mentions, NormalizeOptions options = null)
        {
            if (crossEncoder == null) throw new ArgumentNullException(nameof(crossEncoder));
            if (mentions == null) throw new ArgumentNullException(nameof(mentions));
            if (mentions.Contains(null)) throw new ArgumentException("a mention is null", nameof(mentions));
            // Held throughout: the SOC names are lent by the dictionary and read after the call.
            return handle.Use(nameof(Meddra), () =>
            {
                CodingsHandle result;
                using (var utf8 = new Utf8Batch(mentions, i => "mention " + i))
                using (NormalizeOptionsHandle native = (options ?? new NormalizeOptions()).ToNative())
                fixed (VigilStr* views = utf8.Views)
                {
                    VigilException.ThrowIfError(Native.vigil_meddra_normalize(
                        handle, crossEncoder.Handle, views, (UIntPtr)mentions.Count, native, out result));
                }
                using (result)
                {
                    var all = new IReadOnlyList<Coding>[(int)Native.vigil_codings_mention_count(result)];
                    for (int m = 0; m < all.Length; m++)
                    {
                        var mention = (UIntPtr)m;
                        var codings = new Coding[(int)Native.vigil_codings_count(result, mention)];
                        for (int i = 0; i < codings.Length; i++)
                        {
                            var at = (UIntPtr)i;
                            uint soc = Native.vigil_codings_soc(result, mention, at);
                            codings[i] = new Coding(
                                (int)Native.vigil_codings_pt(result, mention, at),
                                Marshal.PtrToStringUTF8(Native.vigil_codings_pt_name(result, mention, at)),
                                (int)soc, BorrowedName(soc), Native.vigil_codings_score(result, mention, at),
                                Native.vigil_codings_exact(result, mention, at));
                        }
                        all[m] = Array.AsReadOnly(codings);
                    }
                    return (IReadOnlyList<IReadOnlyList<Coding>>)Array.AsReadOnly(all);
                }
            });
        }

        // A name lent by the dictionary: callers hold it with handle.Use while they copy it.
        private string BorrowedName(uint code) => Marshal.PtrToStringUTF8(Native.vigil_meddra_name(handle, code));

        // The C ABI says "unknown" with code 0, which no MedDRA term has.
        private static int? Known(uint code) => code == 0 ? (int?)null : (int)code;
    }
}
