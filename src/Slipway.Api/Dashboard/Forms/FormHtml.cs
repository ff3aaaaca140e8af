using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Slipway.Api.Dashboard.Forms;

/// <summary>
/// Labelled inputs with their messages beside them: every control gets a <c>&lt;label for&gt;</c>, an error is
/// linked by <c>aria-describedby</c> and marks the input <c>aria-invalid</c>. Values are HTML-encoded here.
/// </summary>
public static class FormHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static IHtmlContent Input(string name, string label, string? value, IReadOnlyDictionary<string, string[]> errors,
        string type = "text", string? help = null, bool required = false, string? autocomplete = null, string? prefix = null)
    {
        var id = Id(prefix, name);
        var html = Open(id, label);
        html.Append("<input id=\"").Append(id).Append("\" name=\"").Append(Encoder.Encode(name)).Append("\" type=\"").Append(type).Append('"');
        if (value is not null && type != "password")
        {
            html.Append(" value=\"").Append(Encoder.Encode(value)).Append('"');
        }

        if (required)
        {
            html.Append(" required");
        }

        if (autocomplete is not null)
        {
            html.Append(" autocomplete=\"").Append(autocomplete).Append('"');
        }

        return Close(html, id, name, help, errors, ">");
    }

    public static IHtmlContent TextArea(string name, string label, string? value, IReadOnlyDictionary<string, string[]> errors,
        string? help = null, int rows = 4, bool required = false, string? prefix = null)
    {
        var id = Id(prefix, name);
        var html = Open(id, label);
        html.Append("<textarea id=\"").Append(id).Append("\" name=\"").Append(Encoder.Encode(name)).Append("\" rows=\"").Append(rows).Append('"');
        if (required)
        {
            html.Append(" required");
        }

        AppendDescribedBy(html, id, name, help, errors);
        html.Append('>').Append(Encoder.Encode(value ?? string.Empty)).Append("</textarea>");
        AppendError(html, id, name, errors);
        return new HtmlString(html.Append("</div>").ToString());
    }

    public static IHtmlContent Select(string name, string label, string? value, IEnumerable<(string Value, string Text)> options,
        IReadOnlyDictionary<string, string[]> errors, string? help = null, string? prefix = null)
    {
        var id = Id(prefix, name);
        var html = Open(id, label);
        html.Append("<select id=\"").Append(id).Append("\" name=\"").Append(Encoder.Encode(name)).Append('"');
        AppendDescribedBy(html, id, name, help, errors);
        html.Append('>');
        foreach (var (optionValue, text) in options)
        {
            html.Append("<option value=\"").Append(Encoder.Encode(optionValue)).Append('"');
            if (optionValue == value)
            {
                html.Append(" selected");
            }

            html.Append('>').Append(Encoder.Encode(text)).Append("</option>");
        }

        html.Append("</select>");
        AppendError(html, id, name, errors);
        return new HtmlString(html.Append("</div>").ToString());
    }

    /// <summary>A checkbox that always posts a value: a hidden <c>false</c>, then <c>true</c> when checked.</summary>
    public static IHtmlContent Checkbox(string name, string label, bool value, IReadOnlyDictionary<string, string[]> errors, string? help = null, string? prefix = null)
    {
        var id = Id(prefix, name);
        var html = new StringBuilder("<div class=\"field check\">");
        html.Append("<input type=\"hidden\" name=\"").Append(Encoder.Encode(name)).Append("\" value=\"false\">");
        html.Append("<input id=\"").Append(id).Append("\" type=\"checkbox\" name=\"").Append(Encoder.Encode(name)).Append("\" value=\"true\"");
        if (value)
        {
            html.Append(" checked");
        }

        AppendDescribedBy(html, id, name, help, errors);
        html.Append("><label for=\"").Append(id).Append("\">").Append(Encoder.Encode(label)).Append("</label>");
        if (help is not null)
        {
            html.Append("<p class=\"help\" id=\"").Append(id).Append("-help\">").Append(Encoder.Encode(help)).Append("</p>");
        }

        AppendError(html, id, name, errors);
        return new HtmlString(html.Append("</div>").ToString());
    }

    /// <summary>The form's problem (or notice) in a live region, so it is read out and seen first.</summary>
    public static IHtmlContent Messages(string? problem, string? notice)
    {
        var html = new StringBuilder();
        if (problem is not null)
        {
            html.Append("<div class=\"problem\" role=\"alert\">").Append(Encoder.Encode(problem)).Append("</div>");
        }

        if (notice is not null)
        {
            html.Append("<div class=\"notice\" role=\"status\">").Append(Encoder.Encode(notice)).Append("</div>");
        }

        return new HtmlString(html.ToString());
    }

    private static string Id(string? prefix, string name) => (prefix is null ? "" : prefix + "-") + name.Replace('.', '-');

    private static StringBuilder Open(string id, string label)
    {
        return new StringBuilder("<div class=\"field\"><label for=\"").Append(id).Append("\">").Append(Encoder.Encode(label)).Append("</label>");
    }

    private static IHtmlContent Close(StringBuilder html, string id, string name, string? help, IReadOnlyDictionary<string, string[]> errors, string end)
    {
        AppendDescribedBy(html, id, name, help, errors);
        html.Append(end);
        if (help is not null)
        {
            html.Append("<p class=\"help\" id=\"").Append(id).Append("-help\">").Append(Encoder.Encode(help)).Append("</p>");
        }

        AppendError(html, id, name, errors);
        return new HtmlString(html.Append("</div>").ToString());
    }

    private static void AppendDescribedBy(StringBuilder html, string id, string name, string? help, IReadOnlyDictionary<string, string[]> errors)
    {
        var ids = new List<string>(2);
        if (help is not null)
        {
            ids.Add(id + "-help");
        }

        if (errors.ContainsKey(name))
        {
            ids.Add(id + "-error");
            html.Append(" aria-invalid=\"true\"");
        }

        if (ids.Count > 0)
        {
            html.Append(" aria-describedby=\"").Append(string.Join(' ', ids)).Append('"');
        }
    }

    private static void AppendError(StringBuilder html, string id, string name, IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.TryGetValue(name, out var messages))
        {
            html.Append("<p class=\"error\" id=\"").Append(id).Append("-error\">").Append(Encoder.Encode(string.Join(" ", messages))).Append("</p>");
        }
    }
}
