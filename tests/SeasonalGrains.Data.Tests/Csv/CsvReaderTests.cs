using SeasonalGrains.Data.Csv;

namespace SeasonalGrains.Data.Tests.Csv;

public class CsvReaderTests
{
    private static List<(int Line, string[] Fields, string? Error)> ReadAll(string text)
    {
        using var csv = new CsvReader(new StringReader(text));
        var rows = new List<(int, string[], string?)>();
        while (csv.Read())
        {
            rows.Add((csv.LineNumber, csv.GetAll(), csv.FormatError));
        }

        return rows;
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var rows = ReadAll("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,2,3\n");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new[] { "x, y", "say \"hi\"", "two\nlines" }, rows[1].Fields);
        // The quoted line break makes the next record start on line 4.
        Assert.Equal(new[] { 1, 2, 4 }, rows.Select(r => r.Line));
    }

    [Fact]
    public void Crlf_line_ends_and_blank_lines_are_handled()
    {
        var rows = ReadAll("a,b\r\n1,2\r\n\r\n3,4");
        Assert.Equal(new[] { "1", "2" }, rows[1].Fields);
        Assert.Equal(new[] { "3", "4" }, rows[2].Fields);
        Assert.Equal(4, rows[2].Line);
    }

    [Fact]
    public void Empty_fields_are_kept()
    {
        var rows = ReadAll("a,,c,\n");
        Assert.Equal(new[] { "a", "", "c", "" }, rows[0].Fields);
    }

    [Fact]
    public void An_unterminated_quote_is_reported()
    {
        var rows = ReadAll("a,\"open\n");
        Assert.Equal("unterminated quoted field", rows[0].Error);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported()
    {
        var rows = ReadAll("\"a\"b,c\n");
        Assert.Equal("unexpected character after a closing quote", rows[0].Error);
    }

    [Fact]
    public void Long_records_span_buffer_refills()
    {
        var field = new string('x', 200_000);
        var rows = ReadAll($"{field},\"{field}\"\n1,2\n");
        Assert.Equal(field, rows[0].Fields[0]);
        Assert.Equal(field, rows[0].Fields[1]);
        Assert.Equal(new[] { "1", "2" }, rows[1].Fields);
    }

    [Theory]
    [InlineData("2024-02-29", true)]
    [InlineData("2023-02-29", false)]
    [InlineData("2024-13-01", false)]
    [InlineData("2024-1-01", false)]
    [InlineData("01/02/2024", false)]
    public void Dates_must_be_valid_iso_dates(string text, bool valid)
    {
        Assert.Equal(valid, CsvFormat.TryParseDate(text, out _));
    }
}
