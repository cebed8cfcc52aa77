using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Host.Api;

/// <summary>
/// The model registry endpoints (<c>Live:Registry</c>): list the versions, add a model folder of the server, activate a
/// version, roll back to the previous one. A change made here is served by this host before it answers; the other
/// silos follow within <c>Live:Registry:PollInterval</c>.
/// </summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        var models = api.Group("/models", "Models");

        models.MapGet("/", List)
            .Describe<ModelListResponse>(ApiRole.Read, "ListModels", "The registry's model versions, the active one and the one this host serves", [404]);

        models.MapGet("/scores", Scores)
            .Describe<ModelScoresResponse>(
                ApiRole.Read, "ModelScores", "The shadow scores of the active version and its challenger",
                "The challenger is the version added last of those added after the active one that were never activated; live SKUs shadow-forecast " +
                "with it at each close. Pinball loss and MASE over the SKU-days scored for both (each SKU's last 28 scored days), in total and per SKU.",
                [404]);

        models.MapGet("/{model}", Get)
            .Describe<ModelVersionResponse>(ApiRole.Read, "GetModel", "One model version (NAME@VERSION)", [400, 404]);

        models.MapPost("/", Add)
            .Describe<ModelVersionResponse>(
                ApiRole.Write, "AddModel", "Register a model folder of the server as the next version of its name",
                "path is resolved against the server's model folder (Api:ModelRoot, default Api:ScenarioRoot) and must lie inside it; its files are copied " +
                "into the registry. 201 with the version (NAME@VERSION, numbered per name from 1) and Location; the first version added while none is active " +
                "becomes active. 400 when the folder does not load, 409 when the same files are already registered under the name.",
                [400, 404, 409], status: StatusCodes.Status201Created);

        models.MapPost("/activate", Activate)
            .Describe<ModelListResponse>(
                ApiRole.Write, "ActivateModel", "Serve a model version: {\"model\": \"NAME@VERSION\"}",
                "Every silo switches to it (this host before it answers). 404 naming the known versions when there is no such version.",
                [400, 404]);

        models.MapPost("/promote", Promote)
            .Describe<ModelPromoteResponse>(
                ApiRole.Write, "PromoteModel", "Make the challenger active when it scores better: {\"minDays\"?: 28, \"force\"?: false}",
                "200 when the challenger's total pinball loss over the SKU-days scored for both is lower than the active version's (and at least minDays " +
                "were scored), saying by how much; 409 when there is no challenger, it is not better or has too few scored days (unless force). The version " +
                "active before stays in the registry for a rollback.",
                [400, 404, 409]);

        models.MapPost("/rollback", Rollback)
            .Describe<ModelListResponse>(ApiRole.Write, "RollbackModel", "Serve the previously active version again", "409 when no version was active before the current one.", [404, 409]);
        return api;
    }

    private static async Task<IResult> List(LiveModelRegistry live, CancellationToken cancellationToken) =>
        live.Registry is { } registry
            ? Results.Ok(await ListAsync(live, registry, cancellationToken))
            : NoRegistry();

    private static async Task<IResult> Get(string model, LiveModelRegistry live, CancellationToken cancellationToken)
    {
        if (live.Registry is not { } registry)
        {
            return NoRegistry();
        }

        if (!ModelVersionId.TryParse(model, out var id, out var problem))
        {
            return ApiProblems.Validation("model", problem + ".");
        }

        var book = await registry.ReadAsync(cancellationToken);
        return book.Find(id) is { } version ? Results.Ok(ToResponse(version, book.Active)) : Problem(new ModelRegistryException(ModelRegistryFailure.UnknownVersion, $"there is no model version {id}; {book.Known()}."), null);
    }

    private static async Task<IResult> Add(ModelAddRequest? body, LiveModelRegistry live, ReplayJobs replays, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        if (live.Registry is not { } registry)
        {
            return NoRegistry();
        }

        var root = options.Value.ModelRoot is { } configured ? new ServerFolder(configured) : replays.ScenarioRoot;
        var errors = new FieldErrors();
        if (body is null)
        {
            return ApiProblems.Validation("body", "A JSON object {\"path\": ..., \"name\"?: ...} is required.");
        }

        if (body.Name is not null && ModelVersionId.NameProblem(body.Name) is { } bad)
        {
            errors.Add("name", bad + ".");
        }

        string? folder = null;
        if (string.IsNullOrWhiteSpace(body.Path))
        {
            errors.Add("path", "is required.");
        }
        else if ((folder = root.Resolve(body.Path)) is null)
        {
            errors.Add("path", "must lie inside the server's model folder (Api:ModelRoot), symbolic links followed.");
        }
        else if (!Directory.Exists(folder))
        {
            errors.Add("path", "does not name a folder in the server's model folder.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        try
        {
            var added = await registry.AddAsync(folder!, body.Name, cancellationToken);
            await live.SyncAsync(cancellationToken);
            var book = await registry.ReadAsync(cancellationToken);
            return Results.Created($"/api/v1/models/{added.Id}", ToResponse(added, book.Active));
        }
        catch (ModelRegistryException e)
        {
            return Problem(e, root);
        }
    }

    private static async Task<IResult> Activate(ModelActivateRequest? body, LiveModelRegistry live, CancellationToken cancellationToken)
    {
        if (live.Registry is not { } registry)
        {
            return NoRegistry();
        }

        if (body is null)
        {
            return ApiProblems.Validation("body", "A JSON object {\"model\": \"NAME@VERSION\"} is required.");
        }

        if (!ModelVersionId.TryParse(body.Model, out var id, out var problem))
        {
            return ApiProblems.Validation("model", string.IsNullOrWhiteSpace(body.Model) ? "is required (NAME@VERSION)." : problem + ".");
        }

        var book = await registry.ReadAsync(cancellationToken);
        if (book.Versions.FirstOrDefault(v => v.Id == id) is { } version && live.CannotServe(version) is { } unservable)
        {
            return ApiProblems.Conflict("Model version cannot be served", unservable);
        }

        return await ChangeAsync(live, registry, () => registry.ActivateAsync(id, cancellationToken), cancellationToken);
    }

    private static async Task<IResult> Scores(LiveModelRegistry live, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (live.Registry is not { } registry)
        {
            return NoRegistry();
        }

        var (book, totals) = await ScoresAsync(registry, grains, cancellationToken);
        var active = book.Active?.ToString();
        var challenger = book.Challenger?.Id.ToString();
        var verdict = active is null || challenger is null
            ? $"There is no challenger{(active is null ? "" : $" to {active}")}: add a version and live SKUs shadow-forecast with it."
            : ModelPromotion.Describe(active, challenger, totals);
        return Results.Ok(totals.ToResponse(active, challenger, verdict));
    }

    private static async Task<IResult> Promote(ModelPromoteRequest? body, LiveModelRegistry live, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (live.Registry is not { } registry)
        {
            return NoRegistry();
        }

        var minDays = body?.MinDays ?? ModelPromotion.DefaultMinDays;
        if (minDays is < 0 or > 10_000_000)
        {
            return ApiProblems.Validation("minDays", "must be 0-10000000.");
        }

        var (book, totals) = await ScoresAsync(registry, grains, cancellationToken);
        ModelVersionInfo challenger;
        string verdict;
        try
        {
            (challenger, verdict) = ModelPromotion.Decide(book, totals, minDays, body?.Force ?? false);
        }
        catch (ModelRegistryException e)
        {
            return Problem(e, null);
        }

        if (live.CannotServe(challenger) is { } unservable)
        {
            return ApiProblems.Conflict("Model version cannot be served", unservable);
        }

        var previous = book.Active!.Value.ToString();
        try
        {
            await registry.PromoteAsync(challenger.Id, cancellationToken);
        }
        catch (ModelRegistryException e)
        {
            return Problem(e, null);
        }

        await live.SyncAsync(cancellationToken);
        var scores = totals.ToResponse(previous, challenger.Id.ToString(), verdict);
        return Results.Ok(new ModelPromoteResponse(challenger.Id.ToString(), previous, verdict, scores, await ListAsync(live, registry, cancellationToken)));
    }

    /// <summary>The registry's book and the shadow totals of its active version and challenger (null when it has no challenger).</summary>
    private static async Task<(ModelRegistryBook Book, ShadowTotals? Totals)> ScoresAsync(ModelRegistry registry, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var book = await registry.ReadAsync(cancellationToken);
        if (book.Active is not { } active || book.Challenger is not { } challenger)
        {
            return (book, null);
        }

        return (book, await ShadowScoreBoard.ReadAsync(grains, active.ToString(), challenger.Id.ToString()));
    }

    private static async Task<IResult> Rollback(LiveModelRegistry live, CancellationToken cancellationToken) =>
        live.Registry is { } registry
            ? await ChangeAsync(live, registry, () => registry.RollbackAsync(cancellationToken), cancellationToken)
            : NoRegistry();

    private static async Task<IResult> ChangeAsync(LiveModelRegistry live, ModelRegistry registry, Func<Task<ModelVersionInfo>> change, CancellationToken cancellationToken)
    {
        try
        {
            await change();
        }
        catch (ModelRegistryException e)
        {
            return Problem(e, null);
        }

        await live.SyncAsync(cancellationToken);
        return Results.Ok(await ListAsync(live, registry, cancellationToken));
    }

    private static async Task<ModelListResponse> ListAsync(LiveModelRegistry live, ModelRegistry registry, CancellationToken cancellationToken)
    {
        var book = await registry.ReadAsync(cancellationToken);
        return new ModelListResponse(book.Active?.ToString(), live.Serving, [.. book.Versions.Select(v => ToResponse(v, book.Active))], book.Challenger?.Id.ToString(), live.Shadowing);
    }

    private static ModelVersionResponse ToResponse(ModelVersionInfo v, ModelVersionId? active) =>
        new(
            v.Id.ToString(),
            v.Name,
            v.Version,
            v.Id == active,
            v.Fingerprint,
            v.AddedAt,
            v.TrainedAt,
            v.DatasetName,
            v.DatasetStart,
            v.TrainEnd,
            v.ValidationStart,
            v.TrainingDataSha256,
            v.HorizonDays,
            new ModelValidationResponse(v.ValidationPinball, v.ValidationMeanSquaredError, v.ValidationMeanWape, v.ValidationCoverage, v.ValidationWindows));

    /// <summary>A refused request as a problem; server paths in its message are told relative to <paramref name="root"/>.</summary>
    private static IResult Problem(ModelRegistryException e, ServerFolder? root)
    {
        var detail = root is null ? e.Message : root.Redact(e.Message);
        detail = char.ToUpperInvariant(detail[0]) + detail[1..];
        return e.Failure switch
        {
            ModelRegistryFailure.InvalidModel => ApiProblems.Validation("path", detail),
            ModelRegistryFailure.UnknownVersion => ApiProblems.NotFound("Model version not found", detail),
            ModelRegistryFailure.AlreadyRegistered => ApiProblems.Conflict("Model already registered", detail),
            ModelRegistryFailure.NothingToRollBack => ApiProblems.Conflict("Nothing to roll back to", detail),
            ModelRegistryFailure.NoChallenger => ApiProblems.Conflict("No challenger", detail),
            ModelRegistryFailure.NotBetter => ApiProblems.Conflict("Challenger not promoted", detail),
            _ => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Model registry unavailable", detail: detail),
        };
    }

    private static IResult NoRegistry() =>
        ApiProblems.NotFound("No model registry", "This host has no model registry: set Live:Registry:Provider to memory, folder or postgres.");
}
