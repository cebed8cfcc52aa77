namespace SeasonalGrains.Host.Api;

/// <summary>
/// What the endpoints of the API declare: an operation name, a summary and a description for the OpenAPI document,
/// the role a key needs (<see cref="ApiAccess"/>), and the problems shared by the endpoints of one SKU.
/// </summary>
internal static class EndpointConventions
{
    /// <summary>The group of endpoints under <paramref name="prefix"/>, listed under <paramref name="tag"/> in the OpenAPI document.</summary>
    public static RouteGroupBuilder Group(this RouteGroupBuilder api, string prefix, string tag)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.MapGroup(prefix).WithTags(tag);
    }

    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, ApiRole role, string name, string summary, string? description = null)
    {
        endpoint.WithName(name).WithSummary(summary);
        if (description is not null)
        {
            endpoint.WithDescription(description);
        }

        return endpoint.WithMetadata(new ApiAccess(role));
    }

    /// <summary>A bad request (a validation problem) and a problem of each of <paramref name="statuses"/>.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        endpoint.ProducesValidationProblem();
        foreach (var status in statuses)
        {
            endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>A bad request, an unknown SKU (404) and a request the SKU's state does not allow (409).</summary>
    public static RouteHandlerBuilder ProducesSkuProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
}
