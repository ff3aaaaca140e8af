using Slipway.Api.Http;

namespace Slipway.Api.Dashboard.Forms;

/// <summary>
/// What an API operation answered, read instead of sent: its status, its value on success, or its message and the
/// errors by field, which a page shows next to the inputs of the same names.
/// </summary>
public sealed class Outcome
{
    private Outcome(int status, object? value, string? message, IReadOnlyDictionary<string, string[]> errors)
    {
        Status = status;
        Value = value;
        Message = message;
        Errors = errors;
    }

    public int Status { get; }
    public object? Value { get; }
    public string? Message { get; }
    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public bool Succeeded => Status is >= 200 and < 300;
    public bool NotFound => Status == StatusCodes.Status404NotFound;

    public T Get<T>() => Value is T value ? value : throw new InvalidOperationException($"The operation answered {Status} with {Value?.GetType().Name ?? "nothing"}, not {typeof(T).Name}.");

    public static Outcome Of(IResult result)
    {
        while (true)
        {
            switch (result)
            {
                case INestedHttpResult nested:
                    result = nested.Result;
                    continue;
                case BodyRejected rejected:
                    result = rejected.Answer;
                    continue;
            }

            break;
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var value = (result as IValueHttpResult)?.Value;
        return value switch
        {
            ValidationErrorResponse invalid => new Outcome(status, null, invalid.Message, invalid.Errors),
            ErrorResponse error => new Outcome(status, null, error.Message, new Dictionary<string, string[]>()),
            _ => new Outcome(status, value, null, new Dictionary<string, string[]>()),
        };
    }

    public static Outcome Of<TResult>(TResult result)
        where TResult : IResult => Of((IResult)result);
}
