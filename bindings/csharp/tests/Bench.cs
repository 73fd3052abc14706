// Overhead of one classify call through the binding, against the plain C
// call made from the same process: an IntPtr P/Invoke with a pinned string,
// no SafeHandle, no copying out (what a C caller does).
using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;

namespace Vigil.Tests
{
    internal static unsafe class Bench
    {
        [DllImport("vigil", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr vigil_model_classify_utf16(IntPtr model, VigilStr16* texts, UIntPtr n, out IntPtr result);

        [DllImport("vigil", CallingConvention = CallingConvention.Cdecl)]
        private static extern double* vigil_classification_scores(IntPtr result, UIntPtr index);

        [DllImport("vigil", CallingConvention = CallingConvention.Cdecl)]
        private static extern void vigil_classification_free(IntPtr result);

        private const string Text = "Rash and fever after the second dose of amoxicillin.";
        private const int Warmup = 200, Calls = 2000;

        private static double RawCall(IntPtr model)
        {
            fixed (char* chars = Text)
            {
                var view = new VigilStr16(chars, Text.Length);
                IntPtr result;
                if (vigil_model_classify_utf16(model, &view, (UIntPtr)1, out result) != IntPtr.Zero)
                    throw new InvalidOperationException("raw classify failed");
                double top = vigil_classification_scores(result, UIntPtr.Zero)[0];
                vigil_classification_free(result);
                return top;
            }
        }

        public static void Run(Model model)
        {
            using (model)
            {
                IntPtr raw = model.Handle.DangerousGetHandle();
                Check.Equal(model.Classify(Text).Scores[0], RawCall(raw), "both paths compute the same");
                var rawTimes = new double[Calls];
                var wrapperTimes = new double[Calls];
                double toMicros = 1e6 / Stopwatch.Frequency;
                // Interleaved, so drift in machine load hits both paths alike.
                for (int i = -Warmup; i < Calls; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    RawCall(raw);
                    long t1 = Stopwatch.GetTimestamp();
                    model.Classify(Text);
                    long t2 = Stopwatch.GetTimestamp();
                    if (i < 0) continue;
                    rawTimes[i] = (t1 - t0) * toMicros;
                    wrapperTimes[i] = (t2 - t1) * toMicros;
                }
                double rawMedian = Median(rawTimes), wrapperMedian = Median(wrapperTimes);
                Console.WriteLine("classify, one short sentence, median of {0} calls after {1} warm-up:", Calls, Warmup);
                Console.WriteLine("  plain C call (IntPtr P/Invoke): {0,9:F1} us", rawMedian);
                Console.WriteLine("  Model.Classify (C# binding):    {0,9:F1} us", wrapperMedian);
                Console.WriteLine("  overhead:                       {0,9:F1} us ({1:F1}%)",
                    wrapperMedian - rawMedian, 100 * (wrapperMedian - rawMedian) / rawMedian);
            }
        }

        private static double Median(double[] values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
