using System.Text.Json;

namespace Slipway.Cli.Config;

/// <summary>
/// Reads and writes <c>$XDG_CONFIG_HOME/slipway/config.json</c> (else <c>~/.config/slipway/config.json</c>). The
/// file holds API tokens, so it is created readable by its owner only (0600, directory 0700) and replaced
/// atomically: a crash never leaves half a file, and a wider mode left by hand is narrowed on the next write.
/// </summary>
internal sealed class ContextStore(string path)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    public static ContextStore Default() => new(DefaultPath());

    public static string DefaultPath()
    {
        // The XDG spec says a relative value is invalid and must be ignored.
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg) ? xdg
            : !string.IsNullOrEmpty(home) ? System.IO.Path.Combine(home, ".config")
            : throw new CliException("Cannot find a config directory: set HOME or XDG_CONFIG_HOME.", ExitCodes.Usage);
        return System.IO.Path.Combine(root, "slipway", "config.json");
    }

    public CliConfig Load()
    {
        if (!File.Exists(Path))
        {
            return new CliConfig();
        }

        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize(stream, CliConfigJson.Default.CliConfig) ?? new CliConfig();
        }
        catch (JsonException ex)
        {
            throw new CliException($"{Path} is not a valid slipway config file: {ex.Message}", ExitCodes.Usage);
        }
    }

    public void Save(CliConfig config)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateDirectory);
            }
        }

        var temporary = $"{Path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, config, CliConfigJson.Default.CliConfig);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
