using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>The interval head, one-day encoder steps and the stateful tracker, on the small trained model (window 14, horizon 7).</summary>
[Collection(TorchCollection.Name)]
public sealed class LstmStatefulTests(LstmTrainedModelFixture fixture)
{
    private LstmModel Model => fixture.Model;

    [Fact]
    public void Interval_quantiles_grow_with_the_days_summed_and_with_the_level()
    {
        var model = Model;
        Assert.True(model.HasIntervalHead);
        var q = model.Quantiles.Count;
        var output = Assert.Single(model.Predict([model.BuildWindow(fixture.Dataset, 1, 300)]));
        for (var h = 0; h < model.Horizon; h++)
        {
            var sums = output.AsSpan((h * model.OutputsPerDay) + q + 1, q);
            for (var k = 1; k < q; k++)
            {
                Assert.True(sums[k] >= sums[k - 1], $"day {h}: level {k} below level {k - 1}");
            }

            if (h > 0)
            {
                var before = output.AsSpan(((h - 1) * model.OutputsPerDay) + q + 1, q);
                for (var k = 0; k < q; k++)
                {
                    Assert.True(sums[k] >= before[k], $"level {k}: the sum over {h + 1} days is below the sum over {h}");
                }
            }
        }
    }

    [Fact]
    public void The_inference_head_equals_the_training_head()
    {
        var windows = Enumerable.Range(0, 4).Select(s => Model.BuildWindow(fixture.Dataset, s, 250 + (s * 17))).ToList();
        var fast = Model.Predict(windows);
        Model.Network.ReferenceHead = true;
        try
        {
            var reference = Model.Predict(windows);
            for (var i = 0; i < windows.Count; i++)
            {
                AssertClose(reference[i], fast[i], 1e-4);
            }
        }
        finally
        {
            Model.Network.ReferenceHead = false;
        }
    }

    [Theory]
    [InlineData(UnitScaling.Sku)]
    [InlineData(UnitScaling.Level)]
    public void Stepping_through_a_window_from_a_zero_state_gives_the_window_forecast(UnitScaling scaling)
    {
        var model = fixture.ModelOf(scaling);
        const int Sku = 2;
        const int Origin = 333;
        var window = model.BuildWindow(fixture.Dataset, Sku, Origin);
        var expected = Assert.Single(model.Predict([window]));

        var state = model.NewState();
        var width = model.Schema.PastFeatureCount;
        var output = new float[model.OutputLength];
        for (var d = 0; d < model.Window; d++)
        {
            var last = d == model.Window - 1;
            var row = window.Past.AsSpan(d * width, width).ToArray();
            model.Step([new LstmStep(state, row, last ? window.Future : null, window.Category, window.Region, window.Scale, last ? output : null)]);
        }

        AssertClose(expected, output, 1e-4);
    }

    [Fact]
    public void A_step_can_forecast_fewer_days_than_the_horizon()
    {
        var model = Model;
        var window = model.BuildWindow(fixture.Dataset, 0, 200);
        var full = new float[model.OutputLength];
        var short3 = new float[3 * model.OutputsPerDay];
        var width = model.Schema.PastFeatureCount;
        var row = window.Past.AsSpan((model.Window - 1) * width, width).ToArray();
        model.Step([new LstmStep(model.NewState(), row, window.Future, window.Category, window.Region, window.Scale, full)]);
        model.Step([new LstmStep(model.NewState(), row, window.Future, window.Category, window.Region, window.Scale, short3)], days: 3);

        AssertClose(full.AsSpan(0, short3.Length).ToArray(), short3, 1e-4);
        Assert.Throws<ArgumentException>(() =>
            model.Step([new LstmStep(model.NewState(), row, window.Future, window.Category, window.Region, window.Scale, full)], days: 3));
    }

    [Theory]
    [InlineData(UnitScaling.Sku)]
    [InlineData(UnitScaling.Level)]
    public void The_tracker_forecast_is_the_model_over_the_days_since_the_last_restart(UnitScaling scaling)
    {
        // window 14, restarts every 7 days: the state for origin o started on the latest multiple of 7 at or
        // before o - 14; where o - 14 is a multiple of 7 that is exactly the window, so the forecast is Predict's.
        // With level scaling each day's row and each origin's scale depend on the days before them only, so a
        // carried state reads the rows a window reads.
        var model = fixture.ModelOf(scaling);
        Assert.Equal(scaling, model.Schema.Scaling);
        var tracker = new LstmTracker(model, fixture.Dataset, new LstmTrackerOptions { RestartDays = 7 });
        Assert.Equal(3, tracker.States);
        Assert.Equal(280, tracker.StartOf(294));
        Assert.Equal(273, tracker.StartOf(293));
        var track = tracker.Open(1);
        var scales = new HashSet<float>();
        foreach (var origin in Enumerable.Range(280, 30))
        {
            tracker.Forecast([track], [origin]);
            if ((origin - model.Window) % 7 == 0)
            {
                var input = model.BuildWindow(fixture.Dataset, 1, origin);
                scales.Add(input.Scale);
                var window = Assert.Single(model.Predict([input]));
                var outlook = track.Outlook!;
                var q = model.Quantiles.Count;
                var median = model.Quantiles.ToList().IndexOf(0.5);
                var perDay = model.OutputsPerDay;
                // to within 1e-4 (a tolerance, not rounding to 4 places, which splits values either side of a ...5)
                Assert.Equal(window[q] + window[perDay + q], outlook.Mean(0, 2), 1e-4);
                Assert.Equal(window[perDay + median], outlook.Quantile(0.5, 1, 1), 1e-4); // one day: the daily head
                Assert.Equal(window[q + 1 + median], outlook.Quantile(0.5, 0, 1), 1e-4); // from the origin: the interval head
                Assert.Equal(window[(2 * perDay) + q + 1 + median], outlook.Quantile(0.5, 0, 3), 1e-4);
            }
        }

        // the SKU scale is one number; the level moves with the origin (SKU 1's units follow a yearly cycle)
        Assert.True(scaling == UnitScaling.Sku ? scales.Count == 1 : scales.Count > 1, $"{scales.Count} scales over five origins");
    }

    [Theory]
    [InlineData(UnitScaling.Sku)]
    [InlineData(UnitScaling.Level)]
    public void A_forecast_does_not_depend_on_what_the_track_was_asked_before_or_on_its_batch(UnitScaling scaling)
    {
        var model = fixture.ModelOf(scaling);
        var tracker = new LstmTracker(model, fixture.Dataset, new LstmTrackerOptions { RestartDays = 7 });
        var carried = tracker.Open(3);
        for (var origin = 250; origin <= 300; origin++)
        {
            tracker.Forecast([carried], [origin]);
        }

        var fresh = tracker.Open(3);
        var others = Enumerable.Range(0, 3).Select(tracker.Open).ToList();
        tracker.Forecast([.. others, fresh], [290, 250, 310, 300]);
        Assert.Equal(300, fresh.Origin);
        for (var days = 1; days <= Model.Horizon; days++)
        {
            Assert.Equal(carried.Outlook!.Mean(0, days), fresh.Outlook!.Mean(0, days), 4);
            Assert.Equal(carried.Outlook!.Quantile(0.9, 0, days), fresh.Outlook!.Quantile(0.9, 0, days), 4);
        }

        // the error record saw the same earlier forecasts either way
        var carriedSd = carried.Outlook!.ErrorStandardDeviation;
        Assert.NotNull(carriedSd);
        Assert.Equal(carriedSd.Value, fresh.Outlook!.ErrorStandardDeviation!.Value, 4);
    }

    [Fact]
    public async Task The_track_batcher_hands_each_caller_its_own_forecast()
    {
        var tracker = new LstmTracker(Model, fixture.Dataset);
        using var batcher = new LstmTrackBatcher(tracker, maxBatch: 4, maxDelay: TimeSpan.FromMilliseconds(20));
        var tracks = Enumerable.Range(0, 4).Select(tracker.Open).ToArray();
        var outlooks = await Task.WhenAll(tracks.Select((t, i) => batcher.ForecastAsync(t, 300 + i)));

        var direct = new LstmTracker(Model, fixture.Dataset);
        for (var i = 0; i < tracks.Length; i++)
        {
            var alone = direct.Open(i);
            direct.Forecast([alone], [300 + i]);
            Assert.Equal(alone.Outlook!.Mean(0, 5), outlooks[i].Mean(0, 5), 4);
            Assert.Equal(300 + i, tracks[i].Origin);
        }

        Assert.Equal(4, batcher.Requests);
    }

    private static void AssertClose(float[] expected, float[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            var tolerance = relative * Math.Max(1, Math.Abs(expected[j]));
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance, $"output {j}: expected {expected[j]}, got {actual[j]}");
        }
    }
}
