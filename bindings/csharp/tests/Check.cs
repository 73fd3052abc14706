// A tiny assertion helper and test runner (no NUnit download here).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vigil.Tests
{
    internal sealed class CheckFailed : Exception
    {
        public CheckFailed(string message) : base(message) { }
    }

    internal static class Check
    {
        public static void True(bool condition, string what)
        {
            if (!condition) throw new CheckFailed(what);
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new CheckFailed(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        public static void Close(double expected, double actual, double tolerance, string what)
        {
            if (!(Math.Abs(expected - actual) <= tolerance))
                throw new CheckFailed(what + ": expected " + expected.ToString("R") + ", got " + actual.ToString("R") + " (tolerance " + tolerance + ")");
        }

        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new CheckFailed(what + ": expected " + typeof(T).Name + ", got " + e.GetType().Name + ": " + e.Message);
            }
            throw new CheckFailed(what + ": expected " + typeof(T).Name + ", nothing was thrown");
        }

        /// <summary>A VigilException with this code, a message "CODE_NAME: ..." and the needle in it.</summary>
        public static VigilException Fails(ErrorCode code, string needle, Action action, string what)
        {
            VigilException e = Throws<VigilException>(action, what);
            Equal(code, e.Code, what + ": code (" + e.Message + ")");
            // InvalidUtf16 -> INVALID_UTF16, as vigil.h spells the code.
            string name = Regex.Replace(code.ToString(), "(?<=.)([A-Z])", "_$1").ToUpperInvariant();
            True(e.Message.StartsWith(name + ": ", StringComparison.Ordinal), what + ": message starts with " + name + ": " + e.Message);
            True(needle == null || e.Message.Contains(needle), what + ": message names \"" + needle + "\": " + e.Message);
            return e;
        }
    }

    internal sealed class Runner
    {
        private int passed, failed;

        /// <summary>Runs one test case; a failure is reported and the run goes on.</summary>
        public void Run(string name, Action test)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                test();
                passed++;
                Console.WriteLine("ok   {0} ({1} ms)", name, clock.ElapsedMilliseconds);
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine("FAIL {0}: {1}", name, e);
            }
        }

        public int Finish()
        {
            Console.WriteLine("{0} passed, {1} failed", passed, failed);
            return failed == 0 && passed > 0 ? 0 : 1;
        }
    }
}
