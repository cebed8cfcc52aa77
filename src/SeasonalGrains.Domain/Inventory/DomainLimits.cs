using System.Globalization;

namespace SeasonalGrains.Domain.Inventory;

/// <summary>
/// The bounds every value must keep when it enters the system (a dataset file, a scenario file, an API
/// request, a grain call), so that no sum the ledger, the metrics or the order book keep can overflow:
/// at most <see cref="MaxUnits"/> units a day for <c>DatasetReader.MaxDays</c> days, at
/// <see cref="MaxMoney"/> a unit, stays below 1e30, far from the largest double (1.8e308).
/// </summary>
/// <remarks>
/// Quantities are 0 or at least <see cref="UnitStep"/> (no subnormal amounts such as 5e-324). Live SKUs
/// also keep every quantity on that grid (<see cref="RoundUnits"/>), so totals of many events are exact:
/// 200 sales of 0.1 units are 20 units, not 19.999999999999996.
/// </remarks>
public static class DomainLimits
{
    /// <summary>The most units of one event, of one day's demand or receipts of one SKU, and of a stock setting (initial on hand, MOQ, case pack).</summary>
    public const double MaxUnits = 1e9;

    /// <summary>The smallest quantity step: a quantity is 0 or at least this, and live quantities are rounded to a multiple of it.</summary>
    public const double UnitStep = 1e-6;

    /// <summary>The most money per unit (unit cost, price, salvage value, shortage cost), per unit-day (holding) or per order (fixed cost).</summary>
    public const double MaxMoney = 1e9;

    /// <summary>The largest magnitude of a policy parameter (levels, quantities, days, factors): |value| &lt;= this.</summary>
    public const double MaxParameter = 1e9;

    private const string UnitsRange = "0 or a number of units from 0.000001 to 1000000000";

    /// <summary>Why <paramref name="units"/> is not an allowed quantity (finite, 0 or in [UnitStep, MaxUnits]), or null when it is.</summary>
    public static string? UnitsProblem(double units)
    {
        if (!double.IsFinite(units) || units < 0 || units > MaxUnits || (units > 0 && units < UnitStep))
        {
            return $"must be {UnitsRange} (got {Format(units)})";
        }

        return null;
    }

    /// <summary>Why <paramref name="units"/> is not an allowed quantity of an event (as <see cref="UnitsProblem"/>, and &gt; 0), or null when it is.</summary>
    public static string? EventUnitsProblem(double units) =>
        units != 0 && UnitsProblem(units) is null ? null : $"must be a number of units from 0.000001 to 1000000000 (got {Format(units)})";

    /// <summary>Why <paramref name="amount"/> is not an allowed amount of money (finite, 0 to <see cref="MaxMoney"/>), or null when it is.</summary>
    public static string? MoneyProblem(double amount) =>
        double.IsFinite(amount) && amount >= 0 && amount <= MaxMoney ? null : $"must be a finite amount from 0 to 1000000000 (got {Format(amount)})";

    /// <summary>Why <paramref name="value"/> is not an allowed policy parameter (finite, |value| &lt;= <see cref="MaxParameter"/>), or null when it is.</summary>
    public static string? ParameterProblem(double value) =>
        double.IsFinite(value) && Math.Abs(value) <= MaxParameter ? null : $"must be a finite number from -1000000000 to 1000000000 (got {Format(value)})";

    /// <summary>
    /// <paramref name="units"/> rounded to the nearest multiple of <see cref="UnitStep"/> (exact for every
    /// allowed quantity and for sums of them up to 9e9 units: the double nearest to the decimal value).
    /// </summary>
    public static double RoundUnits(double units) => Math.Round(units * 1e6) / 1e6;

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
