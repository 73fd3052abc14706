// The C ABI of include/vigil.h, one declaration per entry point. Owned
// pointers travel as SafeHandle subclasses (Handles.cs): the marshaller
// takes a reference on a handle for the length of each call, so a
// Dispose racing a call on another thread cannot free the object under it.
using System;
using System.Runtime.InteropServices;

namespace Vigil
{
    // vigil_str: UTF-8 bytes, not NUL-terminated.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct VigilStr
    {
        public byte* Ptr;
        public UIntPtr Len;

        public VigilStr(byte* ptr, int len)
        {
            Ptr = ptr;
            Len = (UIntPtr)len;
        }
    }

    // vigil_str16: UTF-16 code units, exactly what a .NET string holds.
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct VigilStr16
    {
        public char* Ptr;
        public UIntPtr Len;

        public VigilStr16(char* ptr, int len)
        {
            Ptr = ptr;
            Len = (UIntPtr)len;
        }
    }

    internal static unsafe class Native
    {
        // Resolved as libvigil.so: see README.md for Mono's dllmap and .NET's resolver.
        private const string Lib = "vigil";
        private const CallingConvention Cdecl = CallingConvention.Cdecl;
        // Paths and names are NUL-terminated UTF-8 (vigil.h), whatever the OS code page.
        private const UnmanagedType Utf8 = UnmanagedType.LPUTF8Str;

        // ---- library ----------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_version();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_abi_version();

        // ---- errors -----------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_error_code(ErrorHandle error);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_error_message(ErrorHandle error);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_error_free(IntPtr error);

        // ---- options ----------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern OptionsHandle vigil_options_new();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_options_free(IntPtr options);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_ort_library(OptionsHandle options, [MarshalAs(Utf8)] string path);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_intra_threads(OptionsHandle options, uint threads);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_sessions(OptionsHandle options, uint sessions);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_max_tokens_per_batch(OptionsHandle options, uint tokens);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_max_length(OptionsHandle options, uint tokens);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_long_text(OptionsHandle options, uint policy);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_stride(OptionsHandle options, uint tokens);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_max_text_bytes(OptionsHandle options, UIntPtr bytes);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_options_set_execution_provider(OptionsHandle options, [MarshalAs(Utf8)] string name);

        // ---- model ------------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_model_open([MarshalAs(Utf8)] string dir, OptionsHandle options, out ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_model_free(IntPtr model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_model_task(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_model_label_count(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_model_label(ModelHandle model, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_model_max_length(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_model_long_text(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_model_stride(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_model_fingerprint(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_model_ort_version(ModelHandle model);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_model_execution_provider(ModelHandle model);

        // ---- classify ---------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_model_classify_utf16(ModelHandle model, VigilStr16* texts, UIntPtr n, out ClassificationHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_classification_free(IntPtr result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_classification_count(ClassificationHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern double* vigil_classification_scores(ClassificationHandle result, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_classification_top(ClassificationHandle result, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_classification_label_count(ClassificationHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_classification_truncated(ClassificationHandle result, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_classification_windows(ClassificationHandle result, UIntPtr index);

        // ---- spans ------------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern SpanOptionsHandle vigil_span_options_new();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_span_options_free(IntPtr options);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_span_options_set_aggregation(SpanOptionsHandle options, uint aggregation);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_span_options_set_ignore_labels(SpanOptionsHandle options, VigilStr* labels, UIntPtr n);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_model_extract_spans_utf16(ModelHandle model, VigilStr16* texts, UIntPtr n, SpanOptionsHandle options, out SpansHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_spans_free(IntPtr result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_text_count(SpansHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_count(SpansHandle result, UIntPtr text);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_spans_windows(SpansHandle result, UIntPtr text);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_spans_truncated(SpansHandle result, UIntPtr text);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_spans_label(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern double vigil_spans_score(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_start(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_end(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_start_utf16(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_spans_end_utf16(SpansHandle result, UIntPtr text, UIntPtr index);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern long vigil_spans_token(SpansHandle result, UIntPtr text, UIntPtr index);

        // ---- rerank -----------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern CandidatesHandle vigil_candidates_new();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_candidates_free(IntPtr candidates);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_candidates_add_text(CandidatesHandle candidates, VigilStr text);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_candidates_add_meddra(CandidatesHandle candidates, VigilStr ptName, VigilStr* lltNames, UIntPtr nLlts, VigilStr hltName, VigilStr hlgtName, VigilStr socName);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern RerankOptionsHandle vigil_rerank_options_new();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_rerank_options_free(IntPtr options);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_rerank_options_set_threshold(RerankOptionsHandle options, double threshold);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_rerank_options_set_top_k(RerankOptionsHandle options, UIntPtr k);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_model_rerank(ModelHandle model, VigilStr mention, CandidatesHandle candidates, RerankOptionsHandle options, out RankingHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_model_rerank_texts(ModelHandle model, VigilStr mention, VigilStr* texts, UIntPtr n, RerankOptionsHandle options, out RankingHandle result);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_ranking_free(IntPtr ranking);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_ranking_count(RankingHandle ranking);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_ranking_index(RankingHandle ranking, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern double vigil_ranking_score(RankingHandle ranking, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_ranking_passes(RankingHandle ranking, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_ranking_truncated(RankingHandle ranking, UIntPtr i);

        // ---- MedDRA -----------------------------------------------------
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_meddra_open([MarshalAs(Utf8)] string dir, uint flags, out MeddraHandle meddra);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_meddra_free(IntPtr meddra);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_meddra_pt_count(MeddraHandle meddra);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_meddra_llt_count(MeddraHandle meddra);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_meddra_skipped_llts(MeddraHandle meddra);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_meddra_name(MeddraHandle meddra, uint code);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_meddra_llt_pt(MeddraHandle meddra, uint lltCode);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_meddra_primary_soc(MeddraHandle meddra, uint ptCode);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_meddra_path_count(MeddraHandle meddra, uint ptCode);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_meddra_path(MeddraHandle meddra, uint ptCode, UIntPtr index, out uint hlt, out uint hlgt, out uint soc, [MarshalAs(UnmanagedType.I1)] out bool primary);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_meddra_retrieve(MeddraHandle meddra, VigilStr mention, UIntPtr k, out HitsHandle hits);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_hits_free(IntPtr hits);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_hits_count(HitsHandle hits);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_hits_pt(HitsHandle hits, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern double vigil_hits_score(HitsHandle hits, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_hits_matched_code(HitsHandle hits, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_hits_matched_name(HitsHandle hits, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_hits_exact(HitsHandle hits, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern NormalizeOptionsHandle vigil_normalize_options_new();
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_normalize_options_free(IntPtr options);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_normalize_options_set_candidates(NormalizeOptionsHandle options, UIntPtr k);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_normalize_options_set_threshold(NormalizeOptionsHandle options, double threshold);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_normalize_options_set_top_k(NormalizeOptionsHandle options, UIntPtr k);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern ErrorHandle vigil_meddra_normalize(MeddraHandle meddra, ModelHandle model, VigilStr* mentions, UIntPtr n, NormalizeOptionsHandle options, out CodingsHandle codings);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern void vigil_codings_free(IntPtr codings);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_codings_mention_count(CodingsHandle codings);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern UIntPtr vigil_codings_count(CodingsHandle codings, UIntPtr mention);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_codings_pt(CodingsHandle codings, UIntPtr mention, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern IntPtr vigil_codings_pt_name(CodingsHandle codings, UIntPtr mention, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern uint vigil_codings_soc(CodingsHandle codings, UIntPtr mention, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] internal static extern double vigil_codings_score(CodingsHandle codings, UIntPtr mention, UIntPtr i);
        [DllImport(Lib, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.I1)] internal static extern bool vigil_codings_exact(CodingsHandle codings, UIntPtr mention, UIntPtr i);
    }
}
