using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Data.Tests.Calendar;

public class HolidayCalendarTests
{
    private static readonly HolidayCalendar Standard = HolidayCalendar.Standard;

    // Chinese New Year dates as published (e.g. Hong Kong Observatory's Gregorian-lunar calendar conversion tables).
    [Theory]
    [InlineData(2020, "2020-01-25")]
    [InlineData(2021, "2021-02-12")]
    [InlineData(2022, "2022-02-01")]
    [InlineData(2023, "2023-01-22")]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    public void Spring_Festival_falls_on_the_published_date(int year, string expected)
    {
        var date = DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(date, ChineseLunisolar.SpringFestival(year));
        Assert.Equal(StandardHolidays.SpringFestival.Name, Standard.HolidayOn(date));
        Assert.Null(Standard.HolidayOn(date.AddDays(-1)));
    }

    // 2023 has an intercalary second month (22 March to 19 April 2023); 2020 an intercalary fourth month.
    // Dragon Boat Festival (5/5) and Mid-Autumn (8/15) fall after the leap month and must not shift by one.
    [Theory]
    [InlineData(2023, 5, 5, false, "2023-06-22")]
    [InlineData(2023, 8, 15, false, "2023-09-29")]
    [InlineData(2023, 2, 1, true, "2023-03-22")]
    [InlineData(2023, 3, 1, false, "2023-04-20")]
    [InlineData(2020, 5, 5, false, "2020-06-25")]
    [InlineData(2020, 8, 15, false, "2020-10-01")]
    [InlineData(2024, 8, 15, false, "2024-09-17")]
    public void Lunar_dates_after_a_leap_month_are_not_shifted(int year, int month, int day, bool leap, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ChineseLunisolar.ToGregorian(year, month, day, leap));
    }

    [Fact]
    public void A_leap_month_that_does_not_exist_gives_null()
    {
        // 2024 has no intercalary month.
        Assert.Null(ChineseLunisolar.ToGregorian(2024, 2, 1, leapMonth: true));
    }

    [Fact]
    public void Fixed_date_holidays_are_named()
    {
        Assert.Equal(StandardHolidays.Double11.Name, Standard.HolidayOn(new DateOnly(2024, 11, 11)));
        Assert.Equal(StandardHolidays.Sale618.Name, Standard.HolidayOn(new DateOnly(2024, 6, 18)));
        Assert.Equal(StandardHolidays.Christmas.Name, Standard.HolidayOn(new DateOnly(2024, 12, 25)));
        Assert.True(Standard.IsHoliday(new DateOnly(2024, 11, 11)));
        Assert.False(Standard.IsHoliday(new DateOnly(2024, 11, 12)));
        Assert.False(Standard.IsHoliday(new DateOnly(2024, 11, 11), StandardHolidays.Christmas.Name));
    }

    [Fact]
    public void Days_to_next_counts_to_the_nearest_holiday_and_is_zero_on_the_day()
    {
        Assert.Equal(10, Standard.DaysToNext(new DateOnly(2024, 11, 1)));
        Assert.Equal(0, Standard.DaysToNext(new DateOnly(2024, 11, 11)));
        // 12 Nov to 25 Dec: 18 days left in November + 25.
        Assert.Equal(43, Standard.DaysToNext(new DateOnly(2024, 11, 12)));
        // Restricted to Spring Festival: 12 Nov 2024 to 29 Jan 2025 = 18 + 31 + 29.
        Assert.Equal(78, Standard.DaysToNext(new DateOnly(2024, 11, 12), StandardHolidays.SpringFestival.Name));
    }

    [Fact]
    public void Days_since_previous_counts_back_across_the_year_end()
    {
        Assert.Equal(1, Standard.DaysSincePrevious(new DateOnly(2024, 11, 12), StandardHolidays.Double11.Name));
        Assert.Equal(7, Standard.DaysSincePrevious(new DateOnly(2025, 1, 1)));
        Assert.Equal(0, Standard.DaysSincePrevious(new DateOnly(2025, 1, 29), StandardHolidays.SpringFestival.Name));
        // 1 Jan 2025 back to Spring Festival 10 Feb 2024: 366 - 40 = 326 days (2024 is a leap year).
        Assert.Equal(326, Standard.DaysSincePrevious(new DateOnly(2025, 1, 1), StandardHolidays.SpringFestival.Name));
    }

    [Fact]
    public void Dated_holidays_from_a_dataset_are_added_to_the_rules()
    {
        var calendar = Standard.WithDates([(new DateOnly(2024, 7, 4), "independence-day"), (new DateOnly(2024, 11, 11), "veterans-day")]);
        Assert.Equal("independence-day", calendar.HolidayOn(new DateOnly(2024, 7, 4)));
        Assert.Equal(new[] { StandardHolidays.Double11.Name, "veterans-day" }, calendar.HolidaysOn(new DateOnly(2024, 11, 11)));
        Assert.Equal(3, calendar.DaysToNext(new DateOnly(2024, 7, 1), "independence-day"));
        Assert.Null(calendar.DaysToNext(new DateOnly(2024, 7, 5), "independence-day"));
        Assert.Contains("independence-day", calendar.Names);
        Assert.Null(Standard.HolidayOn(new DateOnly(2024, 7, 4)));
    }

    [Fact]
    public void An_empty_calendar_has_no_next_holiday()
    {
        Assert.Null(HolidayCalendar.Empty.DaysToNext(new DateOnly(2024, 1, 1)));
        Assert.Null(HolidayCalendar.Empty.DaysSincePrevious(new DateOnly(2024, 1, 1)));
    }

    [Fact]
    public void Occurrences_lists_the_holidays_of_a_range_in_date_order()
    {
        var list = Standard.Occurrences(new DateOnly(2024, 6, 1), new DateOnly(2025, 2, 28)).ToList();
        Assert.Equal(
            new[] { "2024-06-18 618", "2024-11-11 double-11", "2024-12-25 christmas", "2025-01-29 spring-festival" },
            list.Select(o => $"{o.Date:yyyy-MM-dd} {o.Name}"));
    }
}
