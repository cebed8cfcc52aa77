namespace SeasonalGrains.Host.Api;

/// <summary>
/// What the endpoints of the API declare: an operation name, a summary and a description for the OpenAPI document,
/// the role a key needs (<see cref="ApiAccess"/>), the answer and the problems (those shared by the endpoints of one SKU once).
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

    /// <summary>
    /// <see cref="Describe(RouteHandlerBuilder, ApiRole, string, string, string?)"/> plus what the endpoint answers:
    /// <typeparamref name="TResponse"/> with <paramref name="status"/>, and a problem of each of <paramref name="problems"/>
    /// in that order (400 as a validation problem that names the fields).
    /// </summary>
    public static RouteHandlerBuilder Describe<TResponse>(
        this RouteHandlerBuilder endpoint, ApiRole role, string name, string summary, string? description, int[] problems, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(problems);
        endpoint.Describe(role, name, summary, description).Produces<TResponse>(status);
        foreach (var problem in problems)
        {
            if (problem == StatusCodes.Status400BadRequest)
            {
                endpoint.ProducesValidationProblem();
            }
            else
            {
                endpoint.ProducesProblem(problem);
            }
        }

        return endpoint;
    }

    /// <summary>An endpoint without a description; see <see cref="Describe{TResponse}(RouteHandlerBuilder, ApiRole, string, string, string?, int[], int)"/>.</summary>
    public static RouteHandlerBuilder Describe<TResponse>(this RouteHandlerBuilder endpoint, ApiRole role, string name, string summary, int[] problems) =>
        endpoint.Describe<TResponse>(role, name, summary, null, problems);

    /// <summary>The problems of an endpoint of one SKU: a bad request, an unknown SKU (404) and a request the SKU's state does not allow (409).</summary>
    public static int[] SkuProblems { get; } = [StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict];
}
