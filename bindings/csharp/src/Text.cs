// Text crossing into C. Classify and spans pin the callers' strings and pass
// their UTF-16 as is (no copy, no transcoding here); the rest of the ABI
// takes UTF-8, encoded once per call into a single pinned buffer.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil
{
    /// <summary>Pins a batch of strings where they lie, for the *_utf16 entry points.</summary>
    internal sealed unsafe class PinnedUtf16 : IDisposable
    {
        private readonly GCHandle[] pins;
        internal readonly VigilStr16[] Views;

        internal PinnedUtf16(IReadOnlyList<string> texts)
        {
            if (texts == null) throw new ArgumentNullException(nameof(texts));
            pins = new GCHandle[texts.Count];
            Views = new VigilStr16[texts.Count];
            try
            {
                for (int i = 0; i < texts.Count; i++)
                {
                    string text = texts[i];
                    if (text == null) throw new ArgumentException("text " + i + " is null", nameof(texts));
                    pins[i] = GCHandle.Alloc(text, GCHandleType.Pinned);
                    Views[i] = new VigilStr16((char*)pins[i].AddrOfPinnedObject(), text.Length);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            foreach (GCHandle pin in pins)
            {
                if (pin.IsAllocated) pin.Free();
            }
        }
    }

    /// <summary>
    /// Strings as UTF-8 views into one pinned buffer; a null string is the
    /// C ABI's {NULL, 0} ("absent").
    /// </summary>
    internal sealed unsafe class Utf8Batch : IDisposable
    {
        // Throws on unpaired surrogates instead of writing U+FFFD: Vigil must
        // see what the host sent, as the UTF-16 entry points do.
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        private GCHandle pin;
        internal readonly VigilStr[] Views;

        /// <param name="name">names string i in errors, e.g. "candidate 3"</param>
        internal Utf8Batch(IReadOnlyList<string> strings, Func<int, string> name)
        {
            var starts = new int[strings.Count + 1];
            for (int i = 0; i < strings.Count; i++)
            {
                starts[i + 1] = starts[i] + (strings[i] == null ? 0 : ByteCount(strings[i], name, i));
            }
            var bytes = new byte[starts[strings.Count]];
            for (int i = 0; i < strings.Count; i++)
            {
                if (strings[i] != null) Strict.GetBytes(strings[i], 0, strings[i].Length, bytes, starts[i]);
            }
            pin = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            byte* start = (byte*)pin.AddrOfPinnedObject();
            Views = new VigilStr[strings.Count];
            for (int i = 0; i < strings.Count; i++)
            {
                if (strings[i] != null) Views[i] = new VigilStr(start + starts[i], starts[i + 1] - starts[i]);
            }
        }

        private static int ByteCount(string s, Func<int, string> name, int index)
        {
            try
            {
                return Strict.GetByteCount(s);
            }
            catch (EncoderFallbackException e)
            {
                // Worded as libvigil words it for the UTF-16 entry points.
                throw new VigilException(ErrorCode.InvalidUtf16, string.Format(
                    "INVALID_UTF16: {0} is not valid UTF-16 (unpaired surrogate 0x{1:x4} near unit {2})",
                    name(index), (int)s[e.Index], e.Index));
            }
        }

        public void Dispose()
        {
            if (pin.IsAllocated) pin.Free();
        }
    }
}
