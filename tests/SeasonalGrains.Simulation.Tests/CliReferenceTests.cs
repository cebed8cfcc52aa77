using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using SeasonalGrains.Cli;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>
/// docs/cli.md against the command tree <see cref="SeasonalCli.BuildRoot"/> builds, so the reference cannot drift from
/// <c>--help</c>. The table's rule: one row per command, its first cell the command's path followed by every option
/// the command defines, by its long name (<c>[--out DIR [--force]]</c>); an option that accepts only some values
/// (<c>AcceptOnlyFromAmong</c>) is followed by exactly those values, <c>|</c>-separated (<c>--precision auto|float32|bfloat16</c>),
/// and <c>|</c> is written after no other option (but <c>true|false</c> after a bool); a required option is not in brackets. <c>...</c> may follow a value (<c>--policy LABEL ...</c>: repeatable)
/// but not stand for options left out (after a closing bracket).
/// </summary>
public sealed partial class CliReferenceTests
{
    private const string Reference = "docs/cli.md";

    [Fact]
    public void EveryCommandHasARowListingExactlyItsOptions()
    {
        var rows = ReferenceRows();
        var problems = new List<string>();
        foreach (var (path, command) in Commands())
        {
            if (!rows.TryGetValue(path, out var row))
            {
                problems.Add($"'{path}': the command has no row in {Reference}.");
                continue;
            }

            var defined = command.Options.Where(o => o is not HelpOption and not VersionOption).ToDictionary(o => o.Name, StringComparer.Ordinal);
            foreach (var name in defined.Keys.Where(n => !row.Options.ContainsKey(n)))
            {
                problems.Add($"'{path}': option {name} is defined by the command but missing from its row in {Reference}.");
            }

            foreach (var (name, (value, optional)) in row.Options)
            {
                if (!defined.TryGetValue(name, out var option))
                {
                    problems.Add($"'{path}': option {name} is written in its row in {Reference} but the command does not define it.");
                    continue;
                }

                if (option.Required && optional)
                {
                    problems.Add($"'{path}': option {name} is required, but its row in {Reference} writes it in brackets (optional).");
                }

                var allowed = AllowedValues(path, option);
                // restricted values are written a|b|c; an option with one allowed value writes that value alone
                var listed = value is null ? null
                    : value.Contains('|', StringComparison.Ordinal) ? value.Split('|')
                    : allowed is { Length: 1 } ? [value] : null;
                if (allowed is not null && (listed is null || !listed.Order(StringComparer.Ordinal).SequenceEqual(allowed.Order(StringComparer.Ordinal))))
                {
                    problems.Add($"'{path}': option {name} accepts only {string.Join('|', allowed)}, but its row in {Reference} writes '{name} {value}'.");
                }
                else if (allowed is null && listed is not null && !(option.ValueType == typeof(bool) && listed.Order(StringComparer.Ordinal).SequenceEqual(["false", "true"])))
                {
                    problems.Add($"'{path}': option {name} accepts any value, but its row in {Reference} lists '{value}' as if the values were restricted.");
                }
            }

            if (AbbreviatedRow().IsMatch(row.Text))
            {
                problems.Add($"'{path}': its row in {Reference} ends a bracket with '...' (options left out); write every option.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryRowNamesACommand()
    {
        var commands = Commands().Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var stale = ReferenceRows().Keys.Where(path => !commands.Contains(path)).ToList();
        Assert.True(stale.Count == 0, string.Join(Environment.NewLine, stale.Select(p => $"'{p}': {Reference} has a row for it but the CLI defines no such command.")));
    }

    [Fact]
    public void EveryOptionAndArgumentIsDescribedInHelp()
    {
        var undescribed = Commands()
            .SelectMany(c => c.Command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => (c.Path, Symbol: (Symbol)o))
                .Concat(c.Command.Arguments.Select(a => (c.Path, Symbol: (Symbol)a))))
            .Where(s => string.IsNullOrWhiteSpace(s.Symbol.Description))
            .Select(s => $"'{s.Path}': {s.Symbol.Name} has no Description, so --help says nothing about it.")
            .ToList();
        Assert.True(undescribed.Count == 0, string.Join(Environment.NewLine, undescribed));
    }

    [Fact]
    public void TheRowReaderFindsOptionsValuesAndThePath()
    {
        var row = ParseRow(@"bench replay --scenario FILE [--out DIR [--force]] [--policy LABEL ...] [--state-writes never\|on-close] [--calibrate]");
        Assert.Equal("bench replay", row.Path);
        Assert.Equal(["--scenario", "--out", "--force", "--policy", "--state-writes", "--calibrate"], row.Options.Keys);
        Assert.Equal(new RowOption("FILE", Optional: false), row.Options["--scenario"]);
        Assert.Equal(new RowOption("DIR", Optional: true), row.Options["--out"]);
        Assert.Equal(new RowOption(null, Optional: true), row.Options["--force"]);
        Assert.Equal("LABEL", row.Options["--policy"].Value);
        Assert.Equal("never|on-close", row.Options["--state-writes"].Value);
        Assert.Null(row.Options["--calibrate"].Value);
        Assert.Matches(AbbreviatedRow(), ParseRow("train --dataset DIR [--force] ...").Text);
        Assert.DoesNotMatch(AbbreviatedRow(), row.Text);
    }

    /// <summary>Every command that runs (no subcommands), by its path: <c>replay</c>, <c>bench replay</c>.</summary>
    private static List<(string Path, Command Command)> Commands()
    {
        var found = new List<(string, Command)>();
        Walk(SeasonalCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null)), null);
        Assert.NotEmpty(found);
        return found;

        void Walk(Command command, string? path)
        {
            if (path is not null && command.Subcommands.Count == 0)
            {
                found.Add((path, command));
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, path is null ? sub.Name : path + " " + sub.Name);
            }
        }
    }

    /// <summary>
    /// The values an option accepts when they are restricted, else null. Completions name the candidates, and a value
    /// outside them must be refused by the parser (a plain string option has no completions; a bool is a flag).
    /// </summary>
    private static string[]? AllowedValues(string path, Option option)
    {
        if (option.ValueType == typeof(bool))
        {
            return null;
        }

        var values = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
        if (values.Length == 0)
        {
            return null;
        }

        const string Outside = "not-an-accepted-value";
        var root = SeasonalCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null));
        var parse = root.Parse([.. path.Split(' '), option.Name, Outside]);
        return parse.Errors.Any(e => e.Message.Contains(Outside, StringComparison.Ordinal)) ? values : null;
    }

    private sealed record Row(string Path, string Text, Dictionary<string, RowOption> Options);

    private sealed record RowOption(string? Value, bool Optional);

    /// <summary>The table's rows by command path.</summary>
    private static Dictionary<string, Row> ReferenceRows()
    {
        var lines = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot(), Reference));
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cell = UnescapedPipe().Split(line)[1].Trim();
            Assert.True(cell.StartsWith('`') && cell.EndsWith('`'), $"{Reference}: the first cell of '{line}' is not one code span.");
            var row = ParseRow(cell[1..^1]);
            Assert.True(rows.TryAdd(row.Path, row), $"'{row.Path}': {Reference} has two rows for it.");
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    /// <summary>
    /// <c>import m5 --input DIR [--stores CA_1 ...]</c>: the path is the leading lowercase words; each <c>--name</c>
    /// is an option, with the token after it as its value unless that is another option (a flag), and whether it is
    /// written inside brackets (optional).
    /// </summary>
    private static Row ParseRow(string cell)
    {
        var text = cell.Replace(@"\|", "|", StringComparison.Ordinal);
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = tokens.Select(t => t.Trim('[', ']')).ToArray();
        var path = string.Join(' ', words.TakeWhile((w, i) => w == tokens[i] && PathWord().IsMatch(w)));
        var options = new Dictionary<string, RowOption>(StringComparer.Ordinal);
        var depth = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            depth += tokens[i].TakeWhile(c => c == '[').Count();
            if (words[i].StartsWith("--", StringComparison.Ordinal))
            {
                var value = i + 1 < words.Length && !words[i + 1].StartsWith('-') && !tokens[i].EndsWith(']') && !tokens[i + 1].StartsWith('[') ? words[i + 1] : null;
                Assert.True(options.TryAdd(words[i], new RowOption(value, Optional: depth > 0)), $"'{path}': its row in {Reference} writes {words[i]} twice.");
            }

            depth -= tokens[i].Reverse().TakeWhile(c => c == ']').Count();
        }

        Assert.True(depth == 0, $"'{path}': the brackets of its row in {Reference} do not pair.");
        return new Row(path, text, options);
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex PathWord();

    [GeneratedRegex(@"\]\s*\.\.\.")]
    private static partial Regex AbbreviatedRow();
}
