namespace Slipway.Api.Features.Tags;

public static class TagsEndpoints
{
    public static RouteGroupBuilder MapTagsEndpoints(this RouteGroupBuilder api) => api;
}
