// Results are copied out of the C result in full and the C object freed at
// once: what a host holds is plain immutable .NET data, valid after the
// model or dictionary is disposed, and safe to share across threads.
using System.Collections.Generic;

namespace Vigil
{
    /// <summary>One text's answer from <see cref="Model.Classify(string)"/>.</summary>
    public sealed class Classification
    {
        /// <summary>One probability per label, in label-id order.</summary>
        public IReadOnlyList<double> Scores { get; }
        /// <summary>The model's labels, the names of <see cref="Scores"/>.</summary>
        public IReadOnlyList<string> Labels { get; }
        /// <summary>Index of the top label (ties go to the lowest id).</summary>
        public int Top { get; }
        public string TopLabel => Labels[Top];
        /// <summary>Whether the text lost tokens to truncation (truncate policy only).</summary>
        public bool Truncated { get; }
        /// <summary>How many windows were run for the text.</summary>
        public int Windows { get; }

        internal Classification(IReadOnlyList<double> scores, IReadOnlyList<string> labels, int top, bool truncated, int windows)
        {
            Scores = scores;
            Labels = labels;
            Top = top;
            Truncated = truncated;
            Windows = windows;
        }
    }

    /// <summary>
    /// An entity in a text. <see cref="Start"/> and <see cref="End"/> are
    /// .NET string indices: <c>text.Substring(Start, End - Start)</c>.
    /// </summary>
    public sealed class EntitySpan
    {
        /// <summary>The entity group, or the full tag under <see cref="Aggregation.None"/>.</summary>
        public string Label { get; }
        public double Score { get; }
        /// <summary>Start index in the input string (UTF-16 code units).</summary>
        public int Start { get; }
        /// <summary>End index in the input string, exclusive.</summary>
        public int End { get; }
        /// <summary>The same span in UTF-8 bytes, for stores that index UTF-8.</summary>
        public int StartUtf8 { get; }
        public int EndUtf8 { get; }
        /// <summary>The covered text.</summary>
        public string Text { get; }
        /// <summary>The token's index in its window under <see cref="Aggregation.None"/>; null for aggregated entities.</summary>
        public int? Token { get; }

        internal EntitySpan(string label, double score, int start, int end, int startUtf8, int endUtf8, string text, int? token)
        {
            Label = label;
            Score = score;
            Start = start;
            End = end;
            StartUtf8 = startUtf8;
            EndUtf8 = endUtf8;
            Text = text;
            Token = token;
        }
    }

    /// <summary>The entities of one input text, ordered by start.</summary>
    public sealed class TextSpans
    {
        public string Text { get; }
        public IReadOnlyList<EntitySpan> Spans { get; }
        /// <summary>How many windows were read.</summary>
        public int Windows { get; }
        /// <summary>Whether the text lost tokens to truncation (truncate policy only).</summary>
        public bool Truncated { get; }

        internal TextSpans(string text, IReadOnlyList<EntitySpan> spans, int windows, bool truncated)
        {
            Text = text;
            Spans = spans;
            Windows = windows;
            Truncated = truncated;
        }
    }

    /// <summary>One reranked candidate; a ranking lists them best first.</summary>
    public sealed class RankedCandidate
    {
        /// <summary>The candidate's position in the input list.</summary>
        public int Index { get; }
        /// <summary>The positive label's probability.</summary>
        public double Score { get; }
        /// <summary>Whether <see cref="Score"/> reaches the threshold.</summary>
        public bool Passes { get; }
        /// <summary>Whether the candidate text was cut to fit the model's max length.</summary>
        public bool Truncated { get; }

        internal RankedCandidate(int index, double score, bool passes, bool truncated)
        {
            Index = index;
            Score = score;
            Passes = passes;
            Truncated = truncated;
        }
    }

    /// <summary>One HLT → HLGT → SOC path of a MedDRA PT, by code.</summary>
    public sealed class SocPath
    {
        public int Hlt { get; }
        public int Hlgt { get; }
        public int Soc { get; }
        /// <summary>Whether <see cref="Soc"/> is the PT's primary SOC.</summary>
        public bool Primary { get; }

        internal SocPath(int hlt, int hlgt, int soc, bool primary)
        {
            Hlt = hlt;
            Hlgt = hlgt;
            Soc = soc;
            Primary = primary;
        }
    }

    /// <summary>A PT retrieved for a mention; a retrieval lists them best first.</summary>
    public sealed class RetrievalHit
    {
        public int PtCode { get; }
        /// <summary>The BM25 score.</summary>
        public double Score { get; }
        /// <summary>The LLT (or the PT itself) whose name matched best.</summary>
        public int MatchedCode { get; }
        public string MatchedName { get; }
        /// <summary>Whether <see cref="MatchedName"/> equals the mention (case and accents folded).</summary>
        public bool Exact { get; }

        internal RetrievalHit(int ptCode, double score, int matchedCode, string matchedName, bool exact)
        {
            PtCode = ptCode;
            Score = score;
            MatchedCode = matchedCode;
            MatchedName = matchedName;
            Exact = exact;
        }
    }

    /// <summary>A PT a mention was coded to; each mention's codings are best first.</summary>
    public sealed class Coding
    {
        public int PtCode { get; }
        public string PtName { get; }
        /// <summary>The PT's primary SOC; 0 when it has no hierarchy.</summary>
        public int SocCode { get; }
        /// <summary>That SOC's name; null when there is none.</summary>
        public string SocName { get; }
        /// <summary>The cross-encoder's probability.</summary>
        public double Score { get; }
        /// <summary>Whether the mention equals one of the PT's names (case and accents folded).</summary>
        public bool Exact { get; }

        internal Coding(int ptCode, string ptName, int socCode, string socName, double score, bool exact)
        {
            PtCode = ptCode;
            PtName = ptName;
            SocCode = socCode;
            SocName = socName;
            Score = score;
            Exact = exact;
        }
    }
}
