using System.Diagnostics;
using System.Text;

namespace Harrier.E2E.Tests;

/// <summary>Starts a daemon with its stdout and stderr captured into <paramref name="output"/> (for failure messages).</summary>
internal static class CapturedProcess
{
    public static Process Start(IReadOnlyList<string> command, StringBuilder output)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + command[0]);
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
