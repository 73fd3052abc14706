// Results are copied out of the C result in full and the C object freed at
// once: what a host holds is plain immutable .NET data, valid after the
// model is disposed and safe to share across threads.
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
}
