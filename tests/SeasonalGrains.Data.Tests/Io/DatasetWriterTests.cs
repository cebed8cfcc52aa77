using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Data.Tests.Io;

public class DatasetWriterTests
{
    private static void AssertSameDataset(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Info, actual.Info);
        Assert.Equal(expected.Start, actual.Start);
        Assert.Equal(expected.Days, actual.Days);
        Assert.Equal(expected.Skus, actual.Skus);
        Assert.Equal(expected.Series.Count, actual.Series.Count);
        for (var i = 0; i < expected.Series.Count; i++)
        {
            Assert.Equal(expected.Series[i].Sku, actual.Series[i].Sku);
            Assert.Equal(expected.Series[i].Units, actual.Series[i].Units);
            Assert.Equal(expected.Series[i].Price, actual.Series[i].Price);
            Assert.Equal(expected.Series[i].Promo, actual.Series[i].Promo);
            Assert.Equal(expected.Series[i].Censored, actual.Series[i].Censored);
        }

        Assert.Equal(expected.Calendar!.Holiday, actual.Calendar!.Holiday);
        Assert.Equal(expected.Calendar.Events.Keys, actual.Calendar.Events.Keys);
        foreach (var (name, values) in expected.Calendar.Events)
        {
            Assert.Equal(values, actual.Calendar.Events[name]);
        }

        Assert.Equal(expected.Weather!.Keys.Order(), actual.Weather!.Keys.Order());
        foreach (var (region, w) in expected.Weather)
        {
            Assert.Equal(w.TempC, actual.Weather[region].TempC);
            Assert.Equal(w.Humidity, actual.Weather[region].Humidity);
            Assert.Equal(w.PrecipMm, actual.Weather[region].PrecipMm);
        }
    }

    [Fact]
    public void A_small_dataset_round_trips_through_writer_and_reader()
    {
        using var source = TinyDataset.Create();
        using var target = new TempFolder();
        var original = DatasetReader.Read(source.Path);

        DatasetWriter.Write(original, target.Sub("copy"));
        var copy = DatasetReader.Read(target.Sub("copy"));

        AssertSameDataset(original, copy);
    }

    [Fact]
    public void Out_of_stock_days_round_trip_as_an_in_stock_column()
    {
        using var source = TinyDataset.Create();
        using var target = new TempFolder();
        var original = DatasetReader.Read(source.Path);
        var flags = new bool[original.Days];
        flags[1] = true;
        original = original with { Series = [original.Series[0] with { Censored = flags }, original.Series[1] with { Censored = new bool[original.Days] }] };

        DatasetWriter.Write(original, target.Sub("copy"));
        var demand = File.ReadAllLines(Path.Combine(target.Sub("copy"), DatasetFiles.Demand));
        Assert.Equal("sku,date,units,price,promo,in_stock", demand[0]);
        Assert.Contains("A,2024-01-02,5,79.6,1,0", demand);

        AssertSameDataset(original, DatasetReader.Read(target.Sub("copy")));
    }

    [Fact]
    public void Fields_with_commas_and_quotes_are_quoted()
    {
        using var source = TinyDataset.Create();
        using var target = new TempFolder();
        DatasetWriter.Write(DatasetReader.Read(source.Path), target.Path);

        var skus = File.ReadAllLines(target.File(DatasetFiles.Skus));
        Assert.Equal("\"B, the scarf\",scarves,south,2,5,3,10,0,1,0", skus[2]);
        var demand = File.ReadAllLines(target.File(DatasetFiles.Demand));
        // A missing day that still has a price keeps its row with an empty units field.
        Assert.Contains("\"B, the scarf\",2024-01-03,,5,0", demand);
        // A missing day with nothing else is absent.
        Assert.DoesNotContain(demand, l => l.StartsWith("A,2024-01-03", StringComparison.Ordinal));
    }

    [Fact]
    public void A_generated_dataset_and_its_truth_round_trip()
    {
        using var target = new TempFolder();
        var season = SeasonGenerator.Generate(new GeneratorOptions { Skus = 6, Days = 60, Seed = 3 });

        DatasetWriter.Write(season.Dataset, target.Path, season.Truth);
        var copy = DatasetReader.Read(target.Path);
        var truth = TruthReader.Read(target.Path, copy)!;

        AssertSameDataset(season.Dataset, copy);
        Assert.Equal(season.Truth.Levels, truth.Levels);
        Assert.Equal(season.Truth.Skus, truth.Skus);
        for (var s = 0; s < truth.Skus.Count; s++)
        {
            Assert.Equal(season.Truth.Mean[s], truth.Mean[s]);
            for (var l = 0; l < truth.Levels.Count; l++)
            {
                Assert.Equal(season.Truth.Quantile(s, l), truth.Quantile(s, l));
            }
        }
    }

    [Fact]
    public void Truth_reader_returns_null_without_truth_csv()
    {
        using var source = TinyDataset.Create();
        Assert.Null(TruthReader.Read(source.Path));
    }

    [Fact]
    public void Rewriting_keeps_foreign_files_and_drops_stale_dataset_files()
    {
        using var target = new TempFolder();
        var folder = target.Sub("data");
        using var source = TinyDataset.Create();
        var original = DatasetReader.Read(source.Path);
        DatasetWriter.Write(original, folder);
        File.WriteAllText(Path.Combine(folder, "ATTRIBUTION.md"), "credit");

        DatasetWriter.Write(original with { Weather = null }, folder);

        Assert.Equal("credit", File.ReadAllText(Path.Combine(folder, "ATTRIBUTION.md")));
        Assert.False(File.Exists(Path.Combine(folder, DatasetFiles.Weather)));
        // No temporary or backup folder is left beside the target.
        Assert.Equal(new[] { "data" }, Directory.GetDirectories(target.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_inconsistent_dataset_is_rejected_before_anything_is_written()
    {
        using var source = TinyDataset.Create();
        using var target = new TempFolder();
        var original = DatasetReader.Read(source.Path);
        var broken = original with { Series = [original.Series[0] with { Units = [1, 2] }, original.Series[1]] };

        var ex = Assert.Throws<ArgumentException>(() => DatasetWriter.Write(broken, target.Sub("out")));

        Assert.Contains("series of 'A' do not have 5 days", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(target.Path));
    }
}
