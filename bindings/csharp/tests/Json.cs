// A minimal JSON reader for the reference fixtures (no NuGet here, and
// System.Web's serializer is Mono-only): objects become
// Dictionary<string, object>, arrays List<object>, numbers double, null null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Vigil.Tests
{
    internal sealed class Json
    {
        private readonly string s;
        private int pos;

        private Json(string text)
        {
            s = text;
        }

        public static object Parse(string text)
        {
            var reader = new Json(text);
            object value = reader.Value();
            reader.SkipSpace();
            if (reader.pos != text.Length) throw reader.Error("trailing characters");
            return value;
        }

        private Exception Error(string what) => new FormatException("JSON: " + what + " at offset " + pos);

        private void SkipSpace()
        {
            while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (pos >= s.Length || s[pos] != c) throw Error("expected '" + c + "'");
            pos++;
        }

        private bool Next(char c)
        {
            SkipSpace();
            if (pos < s.Length && s[pos] == c)
            {
                pos++;
                return true;
            }
            return false;
        }

        private object Value()
        {
            SkipSpace();
            if (pos >= s.Length) throw Error("unexpected end");
            char c = s[pos];
            if (c == '{') return Object();
            if (c == '[') return Array();
            if (c == '"') return String();
            if (Word("true")) return true;
            if (Word("false")) return false;
            if (Word("null")) return null;
            return Number();
        }

        private bool Word(string word)
        {
            if (string.CompareOrdinal(s, pos, word, 0, word.Length) != 0) return false;
            pos += word.Length;
            return true;
        }

        private Dictionary<string, object> Object()
        {
            var result = new Dictionary<string, object>();
            Expect('{');
            if (Next('}')) return result;
            do
            {
                SkipSpace();
                string key = String();
                Expect(':');
                result[key] = Value();
            } while (Next(','));
            Expect('}');
            return result;
        }

        private List<object> Array()
        {
            var result = new List<object>();
            Expect('[');
            if (Next(']')) return result;
            do
            {
                result.Add(Value());
            } while (Next(','));
            Expect(']');
            return result;
        }

        // \uXXXX escapes are UTF-16 units, so surrogate pairs need no special case.
        private string String()
        {
            if (s[pos] != '"') throw Error("expected a string");
            pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (pos >= s.Length) throw Error("unterminated string");
                char c = s[pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                char e = s[pos++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        sb.Append((char)int.Parse(s.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: sb.Append(e); break; // \" \\ \/
                }
            }
        }

        private double Number()
        {
            int start = pos;
            while (pos < s.Length && "+-0123456789.eE".IndexOf(s[pos]) >= 0) pos++;
            if (pos == start) throw Error("unexpected character");
            return double.Parse(s.Substring(start, pos - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}
