using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Vigil")]
[assembly: AssemblyVersion("0.1.0.0")]
// The tests reach the raw P/Invoke layer: native-level ordering checks and
// the overhead benchmark against the plain C call.
[assembly: InternalsVisibleTo("VigilTests")]
