using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// SHA-256 fingerprints recorded with a run that has checkpoints: of the scenario file's bytes and of the replayed
/// input (SKU ids, the window's days, holiday distances, every setup), so a resume notices a changed scenario or dataset.
/// </summary>
public static class ReplayFingerprint
{
    /// <summary>The source of a prepared replay: scenario path and the two hashes.</summary>
    public static ReplaySource Source(PreparedReplay prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return new ReplaySource
        {
            ScenarioPath = prepared.Scenario.SourcePath,
            ScenarioSha256 = OfFile(prepared.Scenario.SourcePath),
            InputSha256 = OfInput(prepared.Input),
        };
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Lower-case hex SHA-256 of what a replay feeds to the grains.</summary>
    public static string OfInput(ReplayInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string text)
        {
            Span<byte> length = stackalloc byte[4];
            BitConverter.TryWriteBytes(length, text.Length);
            hash.AppendData(length);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        void Values<T>(T[]? values)
            where T : unmanaged
        {
            Text(values is null ? "null" : values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (values is not null)
            {
                hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
            }
        }

        Text(input.Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Values(input.DaysToNextHoliday);
        for (var i = 0; i < input.Skus.Count; i++)
        {
            Text(input.Skus[i].Sku);
            Values(input.Units[i]);
            Values(input.Price?[i]);
            Values(input.Promo?[i]);
        }

        foreach (var policy in input.Policies)
        {
            Text(policy.Label);
            Text(policy.Name);
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes<SkuSetup[]>(policy.Setups));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
