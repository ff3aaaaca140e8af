using System.Diagnostics;
using System.Text;

namespace Slipway.Core.Execution.Tests;

/// <summary>
/// Runs a real POSIX shell with one <c>-c</c> string, the way sshd hands a command line to the login shell, and
/// returns its raw standard output. This is how the quoting tests prove what a shell actually reads back.
/// </summary>
internal static class ShellProcess
{
    public static readonly string[] Shells = ["/bin/sh", "/bin/bash"];

    public static async Task<(int ExitCode, byte[] Output, string Error)> RunAsync(string shell, string commandLine, CancellationToken cancellationToken)
    {
        if (!File.Exists(shell))
        {
            throw new InvalidOperationException($"{shell} is required by the shell-quoting tests and is missing.");
        }

        var startInfo = new ProcessStartInfo(shell)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(commandLine);
        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await Task.WhenAll(copy, error);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, output.ToArray(), await error);
    }

    /// <summary>Asks the shell to print each argument followed by NUL, and splits the answer back into strings.</summary>
    public static async Task<IReadOnlyList<string>> EchoArgumentsAsync(string shell, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var commandLine = ShellQuoting.Join(["printf", "%s\\0", .. arguments]);
        var (exitCode, output, error) = await RunAsync(shell, commandLine, cancellationToken);
        Assert.True(exitCode == 0, $"{shell} exited with {exitCode}: {error}");
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var text = strict.GetString(output);
        Assert.EndsWith("\0", text, StringComparison.Ordinal);
        return text[..^1].Split('\0');
    }
}
