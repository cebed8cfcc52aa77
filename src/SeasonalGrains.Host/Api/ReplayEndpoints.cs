using SeasonalGrains.Host.Hosting;

namespace SeasonalGrains.Host.Api;

/// <summary>The replay endpoints: start a season replay of a scenario file on the server and follow it.</summary>
public static class ReplayEndpoints
{
    public static RouteGroupBuilder MapReplayEndpoints(this RouteGroupBuilder api)
    {
        var replays = api.Group("/replays", "Replays");

        replays.MapPost("/", Start)
            .Describe<ReplayResponse>(
                ApiRole.Write, "StartReplay", "Start a replay of a scenario file on the server",
                "scenarioPath is resolved against the server's scenario folder (Api:ScenarioRoot) and must lie inside it. " +
                "202 with the replay's id and Location; follow it with GET /replays/{id}. 409 when as many replays run as the host allows.",
                [400, 409], status: StatusCodes.Status202Accepted);

        replays.MapGet("/{id}", Get)
            .Describe<ReplayResponse>(ApiRole.Read, "GetReplay", "A replay's progress, and its results once it has finished", [404]);
        return api;
    }

    private static IResult Start(ReplayRequestBody? body, ReplayJobs jobs)
    {
        if (body is null)
        {
            return ApiProblems.Validation("body", "A JSON object {\"scenarioPath\": ...} is required.");
        }

        var (job, errors, busy) = jobs.Start(body);
        if (busy is not null)
        {
            return ApiProblems.Conflict("Replay limit reached", busy);
        }

        return job is null
            ? ApiProblems.Validation(errors)
            : Results.Accepted($"{HostPaths.Api}/replays/{job.Id}", job.ToResponse());
    }

    private static IResult Get(string id, ReplayJobs jobs) =>
        jobs.Find(id) is { } job
            ? Results.Ok(job.ToResponse())
            : ApiProblems.NotFound("Replay not found", $"There is no replay '{id}' on this host (replays are kept in the memory of the host that ran them).");
}
