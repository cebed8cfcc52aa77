using System.Net;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>The model endpoints of a host without a model registry (with one, and the LSTM: ModelRegistryHostTests in SeasonalGrains.Simulation.Tests).</summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class ModelRegistryApiTests(InMemoryHostFixture fixture)
{
    [Fact]
    public async Task Without_Live_Registry_the_model_endpoints_answer_404_saying_how_to_configure_one_and_changes_still_need_a_write_key()
    {
        var host = fixture.Host;

        var (listed, problem, type) = await GetAsync(host.Anonymous, "/api/v1/models");
        var (activated, _, _) = await PostAsync(host.Writer, "/api/v1/models/activate", new { model = "jackets@1" });
        var (anonymous, _, _) = await PostAsync(host.Anonymous, "/api/v1/models/rollback");
        var (reader, _, _) = await PostAsync(host.Client(LiveHost.ReadKey), "/api/v1/models", new { path = "x" });
        var (scores, scoresProblem, _) = await GetAsync(host.Anonymous, "/api/v1/models/scores");
        var (promoted, _, _) = await PostAsync(host.Writer, "/api/v1/models/promote", new { minDays = 1 });
        var (promotedByReader, _, _) = await PostAsync(host.Client(LiveHost.ReadKey), "/api/v1/models/promote");

        Assert.Equal(HttpStatusCode.NotFound, listed);
        Assert.Equal("application/problem+json", type?.MediaType);
        Assert.Equal("No model registry", (string?)problem!["title"]);
        Assert.Equal("This host has no model registry: set Live:Registry:Provider to memory, folder or postgres.", (string?)problem["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, activated);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, reader);
        Assert.Equal(HttpStatusCode.NotFound, scores);
        Assert.Equal("No model registry", (string?)scoresProblem!["title"]);
        Assert.Equal(HttpStatusCode.NotFound, promoted);
        Assert.Equal(HttpStatusCode.Forbidden, promotedByReader);
    }
}
