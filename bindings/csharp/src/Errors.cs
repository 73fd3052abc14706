using System;
using System.Runtime.InteropServices;

namespace Vigil
{
    /// <summary>Mirrors VIGIL_ERROR_* in vigil.h; the values are stable.</summary>
    public enum ErrorCode : uint
    {
        InvalidArgument = 1,
        InvalidUtf8 = 2,
        Io = 3,
        ModelInvalid = 4,
        TokenizerInvalid = 5,
        ModelMismatch = 6,
        RuntimeUnavailable = 7,
        ProviderUnavailable = 8,
        Inference = 9,
        TaskMismatch = 10,
        EmptyText = 11,
        InputTooLarge = 12,
        NonFinite = 13,
        Panic = 14,
        InvalidUtf16 = 15,
    }

    /// <summary>
    /// A failed Vigil call. <see cref="Code"/> is the stable code to branch
    /// on; the message starts with the code's name ("IO: ...").
    /// </summary>
    public sealed class VigilException : Exception
    {
        public ErrorCode Code { get; }

        internal VigilException(ErrorCode code, string message) : base(message)
        {
            Code = code;
        }

        /// <summary>Frees what a fallible call returned, throwing if it was an error.</summary>
        internal static void ThrowIfError(ErrorHandle error)
        {
            // Disposed even when NULL: that also takes it off the finalizer queue.
            using (error)
            {
                if (!error.IsInvalid)
                {
                    throw new VigilException(
                        (ErrorCode)Native.vigil_error_code(error),
                        Marshal.PtrToStringUTF8(Native.vigil_error_message(error)));
                }
            }
        }
    }
}
