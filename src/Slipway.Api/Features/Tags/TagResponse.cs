using Slipway.Core.Applications;
using Slipway.Core.Common;

namespace Slipway.Api.Features.Tags;

/// <summary>The contract's <c>Tag</c>: <c>uuid, name, created_at, updated_at</c>.</summary>
public sealed record TagResponse(string Uuid, string Name, string CreatedAt, string UpdatedAt)
{
    public static TagResponse From(Tag tag) => new(tag.Uuid, tag.Name, Timestamps.ToWire(tag.CreatedAt), Timestamps.ToWire(tag.UpdatedAt));
}
