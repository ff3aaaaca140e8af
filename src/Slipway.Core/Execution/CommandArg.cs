namespace Slipway.Core.Execution;

/// <summary>One argument of a command. A sensitive argument is shown as <c>&lt;REDACTED&gt;</c> in logs and plans.</summary>
public readonly record struct CommandArg(string Value, bool IsSensitive = false)
{
    public static implicit operator CommandArg(string value) => new(value);

    public static CommandArg Sensitive(string value) => new(value, true);
}
