using System;
using System.Collections.Generic;

namespace Vigil
{
    /// <summary>
    /// One thing to rerank against a mention: a plain text, or a MedDRA
    /// record that the model's template renders. A string converts implicitly.
    /// </summary>
    public abstract class Candidate
    {
        // Only this assembly defines kinds: each must know its C builder call.
        internal Candidate() { }

        internal abstract void AddTo(CandidatesHandle list, int index);

        public static implicit operator Candidate(string text) => new TextCandidate(text);
    }

    public sealed class TextCandidate : Candidate
    {
        public string Text { get; }

        public TextCandidate(string text)
        {
            Text = text ?? throw new ArgumentNullException(nameof(text));
        }

        internal override void AddTo(CandidatesHandle list, int index)
        {
            using (var utf8 = new Utf8Batch(new[] { Text }, i => "candidate " + index))
            {
                VigilException.ThrowIfError(Native.vigil_candidates_add_text(list, utf8.Views[0]));
            }
        }
    }

    /// <summary>A MedDRA preferred term with its lowest-level terms and hierarchy (null: absent).</summary>
    public sealed class MeddraRecord : Candidate
    {
        public string PtName { get; }
        public IReadOnlyList<string> LltNames { get; }
        public string HltName { get; }
        public string HlgtName { get; }
        public string SocName { get; }

        public MeddraRecord(string ptName, IReadOnlyList<string> lltNames = null,
                            string hltName = null, string hlgtName = null, string socName = null)
        {
            PtName = ptName ?? throw new ArgumentNullException(nameof(ptName));
            var llts = new List<string>(lltNames ?? new string[0]);
            if (llts.Contains(null)) throw new ArgumentException("an LLT name is null", nameof(lltNames));
            LltNames = llts.AsReadOnly();
            HltName = hltName;
            HlgtName = hlgtName;
            SocName = socName;
        }

        private static readonly string[] Fields = { "PT", "HLT", "HLGT", "SOC" };

        internal override unsafe void AddTo(CandidatesHandle list, int index)
        {
            // One buffer for every name: the four hierarchy names, then the LLTs.
            var names = new List<string> { PtName, HltName, HlgtName, SocName };
            names.AddRange(LltNames);
            using (var utf8 = new Utf8Batch(names, i => "candidate " + index + " " + (i < 4 ? Fields[i] : "LLT " + (i - 4))))
            fixed (VigilStr* views = utf8.Views)
            {
                VigilException.ThrowIfError(Native.vigil_candidates_add_meddra(
                    list, views[0], LltNames.Count == 0 ? null : views + 4, (UIntPtr)LltNames.Count,
                    views[1], views[2], views[3]));
            }
        }
    }
}
