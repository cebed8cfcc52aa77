using System.Globalization;

namespace SeasonalGrains.Domain.Calendar;

/// <summary>
/// The holidays of <see cref="HolidayCalendar.Standard"/>, each defined once: its name (as calendars, features and
/// datasets write it) and the rule that dates it.
/// </summary>
public static class StandardHolidays
{
    /// <summary>Singles' Day shopping festival, 11 November.</summary>
    public static FixedDateHoliday Double11 { get; } = new("double-11", 11, 11);

    /// <summary>The mid-year shopping festival, 18 June.</summary>
    public static FixedDateHoliday Sale618 { get; } = new("618", 6, 18);

    /// <summary>Chinese New Year: day 1 of lunar month 1.</summary>
    public static ChineseLunarHoliday SpringFestival { get; } = new("spring-festival", 1, 1);

    /// <summary>25 December.</summary>
    public static FixedDateHoliday Christmas { get; } = new("christmas", 12, 25);

    /// <summary>The four, in the order the calendar and the features list them.</summary>
    public static IReadOnlyList<HolidayRule> All { get; } = [Double11, Sale618, SpringFestival, Christmas];
}

/// <summary>A holiday that falls at most once per Gregorian year.</summary>
public interface IHolidayRule
{
    string Name { get; }

    /// <summary>The date of the holiday in the Gregorian year, or null when it has none that year.</summary>
    DateOnly? DateIn(int year);
}

/// <summary>A holiday rule under a name that is not blank.</summary>
public abstract record HolidayRule : IHolidayRule
{
    protected HolidayRule(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    public string Name { get; }

    public abstract DateOnly? DateIn(int year);
}

/// <summary>A holiday on the same Gregorian month and day every year (29 February only in leap years).</summary>
public sealed record FixedDateHoliday : HolidayRule
{
    public FixedDateHoliday(string name, int month, int day)
        : base(name)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000, month))
        {
            throw new ArgumentOutOfRangeException(nameof(day), $"{month}-{day} is not a day of the year");
        }

        Month = month;
        Day = day;
    }

    public int Month { get; }

    public int Day { get; }

    public override DateOnly? DateIn(int year) =>
        year is < 1 or > 9999 || Day > DateTime.DaysInMonth(year, Month) ? null : new DateOnly(year, Month, Day);
}

/// <summary>
/// A holiday on a day of the Chinese lunisolar calendar, e.g. lunar month 1 day 1 (Spring Festival).
/// The lunar year that begins in Gregorian year Y is numbered Y, so <see cref="DateIn"/> gives the
/// holiday of the lunar year starting in that Gregorian year (for months late in the lunar year this
/// can fall in January or February of Y + 1).
/// </summary>
public sealed record ChineseLunarHoliday : HolidayRule
{
    public ChineseLunarHoliday(string name, int lunarMonth, int lunarDay)
        : base(name)
    {
        if (lunarMonth is < 1 or > 12 || lunarDay is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(lunarMonth), $"lunar month {lunarMonth} day {lunarDay} does not exist");
        }

        LunarMonth = lunarMonth;
        LunarDay = lunarDay;
    }

    public int LunarMonth { get; }

    public int LunarDay { get; }

    public override DateOnly? DateIn(int year) => ChineseLunisolar.ToGregorian(year, LunarMonth, LunarDay);
}

/// <summary>Conversions from the Chinese lunisolar calendar (lunar years 1901 to 2100) to Gregorian dates.</summary>
public static class ChineseLunisolar
{
    private static readonly ChineseLunisolarCalendar Calendar = new();

    /// <summary>
    /// The Gregorian date of lunar <paramref name="lunarMonth"/> (1-12), day <paramref name="lunarDay"/> of
    /// lunar year <paramref name="lunarYear"/>; <paramref name="leapMonth"/> selects the intercalary month
    /// that repeats <paramref name="lunarMonth"/>. Null when the year is outside the supported range, the
    /// year has no such leap month, or the month is shorter than <paramref name="lunarDay"/>.
    /// </summary>
    /// <remarks>
    /// .NET numbers the months of a lunar year 1..13 in order; in a year with an intercalary month,
    /// <see cref="ChineseLunisolarCalendar.GetLeapMonth(int, int)"/> gives its position, and every month
    /// from that position on is shifted by one. Month 1 itself is never intercalary.
    /// </remarks>
    public static DateOnly? ToGregorian(int lunarYear, int lunarMonth, int lunarDay, bool leapMonth = false)
    {
        if (lunarMonth is < 1 or > 12 || lunarDay < 1)
        {
            return null;
        }

        if (lunarYear < Calendar.GetYear(Calendar.MinSupportedDateTime) || lunarYear > Calendar.GetYear(Calendar.MaxSupportedDateTime))
        {
            return null;
        }

        var leap = Calendar.GetLeapMonth(lunarYear);
        int index;
        if (leapMonth)
        {
            if (leap == 0 || leap != lunarMonth + 1)
            {
                return null;
            }

            index = leap;
        }
        else
        {
            index = leap != 0 && lunarMonth >= leap ? lunarMonth + 1 : lunarMonth;
        }

        try
        {
            if (lunarDay > Calendar.GetDaysInMonth(lunarYear, index))
            {
                return null;
            }

            return DateOnly.FromDateTime(Calendar.ToDateTime(lunarYear, index, lunarDay, 0, 0, 0, 0));
        }
        catch (ArgumentOutOfRangeException)
        {
            // The last supported lunar year ends early (28 January 2101).
            return null;
        }
    }

    /// <summary>Chinese New Year (lunar month 1 day 1) in Gregorian year <paramref name="year"/> (1901..2100).</summary>
    public static DateOnly SpringFestival(int year) =>
        ToGregorian(year, 1, 1) ?? throw new ArgumentOutOfRangeException(nameof(year), year, "the lunisolar calendar covers 1901..2100");
}
