using System.Buffers;
using System.Runtime.CompilerServices;

namespace SeasonalGrains.Data.Csv;

/// <summary>
/// A small, fast RFC 4180 CSV reader: comma-separated, fields optionally in double quotes with
/// <c>""</c> as an escaped quote, quoted fields may span lines, CRLF or LF line ends. Blank lines are
/// skipped. Fields are exposed as spans into a reused buffer, valid until the next <see cref="Read"/>.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private static readonly SearchValues<char> Delimiters = SearchValues.Create(",\r\n\"");
    private static readonly SearchValues<char> QuoteOrLineEnd = SearchValues.Create("\"\n");

    private readonly TextReader _reader;
    private readonly bool _ownsReader;
    private readonly char[] _buffer = new char[1 << 16];
    private int _pos;
    private int _len;
    private char[] _record = new char[1024];
    private int _recordLen;
    private int[] _starts = new int[32];
    private int[] _lengths = new int[32];
    private int _count;
    private int _nextLine = 1;

    public CsvReader(TextReader reader, bool ownsReader = true)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        _ownsReader = ownsReader;
    }

    /// <summary>Opens a UTF-8 file (a byte order mark is skipped).</summary>
    public static CsvReader Open(string path) =>
        new(new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16));

    /// <summary>1-based line on which the current record starts.</summary>
    public int LineNumber { get; private set; }

    public int FieldCount => _count;

    /// <summary>A problem with the quoting of the current record (e.g. an unterminated quote), else null.</summary>
    public string? FormatError { get; private set; }

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return _record.AsSpan(_starts[index], _lengths[index]);
        }
    }

    public string GetString(int index) => new(this[index]);

    /// <summary>The current record's fields as strings.</summary>
    public string[] GetAll()
    {
        var fields = new string[_count];
        for (var i = 0; i < _count; i++)
        {
            fields[i] = GetString(i);
        }

        return fields;
    }

    /// <summary>Reads the next non-blank record; false at the end of the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        while (true)
        {
            if (!Fill())
            {
                return false;
            }

            ReadRecord();
            if (_count == 1 && _lengths[0] == 0 && FormatError is null && !_lastFieldQuoted)
            {
                continue; // blank line
            }

            return true;
        }
    }

    private bool _lastFieldQuoted;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadRecord()
    {
        LineNumber = _nextLine;
        FormatError = null;
        _count = 0;
        _recordLen = 0;
        while (true)
        {
            var start = _recordLen;
            _lastFieldQuoted = false;
            var end = Fill() && _buffer[_pos] == '"' ? ReadQuoted() : ReadUnquoted();
            AddField(start, _recordLen - start);
            if (end != ',')
            {
                return;
            }
        }
    }

    // Returns the character that ended the field: ',', '\n' (any line end) or '\0' (end of input).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private char ReadUnquoted()
    {
        while (Fill())
        {
            if (!AppendUntil(Delimiters))
            {
                continue;
            }

            var c = _buffer[_pos++];
            switch (c)
            {
                case ',':
                    return ',';
                case '"':
                    // A quote inside an unquoted field is kept as a literal character.
                    Append("\"");
                    continue;
                default:
                    EndLine(c);
                    return '\n';
            }
        }

        return '\0';
    }

    // Appends the buffered characters before the first of stops and moves to it; false when there is none in the
    // buffer (all of it appended).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AppendUntil(SearchValues<char> stops)
    {
        var span = _buffer.AsSpan(_pos, _len - _pos);
        var i = span.IndexOfAny(stops);
        if (i < 0)
        {
            Append(span);
            _pos = _len;
            return false;
        }

        Append(span[..i]);
        _pos += i;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private char ReadQuoted()
    {
        _lastFieldQuoted = true;
        _pos++; // opening quote
        while (true)
        {
            if (!Fill())
            {
                FormatError ??= "unterminated quoted field";
                return '\0';
            }

            if (!AppendUntil(QuoteOrLineEnd))
            {
                continue;
            }

            if (_buffer[_pos] == '\n')
            {
                Append("\n");
                _pos++;
                _nextLine++;
                continue;
            }

            _pos++; // the quote
            if (Fill() && _buffer[_pos] == '"')
            {
                Append("\"");
                _pos++;
                continue;
            }

            break;
        }

        // After the closing quote: a delimiter, a line end or the end of input.
        if (!Fill())
        {
            return '\0';
        }

        var c = _buffer[_pos];
        if (c == ',')
        {
            _pos++;
            return ',';
        }

        if (c is '\r' or '\n')
        {
            _pos++;
            EndLine(c);
            return '\n';
        }

        FormatError ??= "unexpected character after a closing quote";
        var tailEnd = ReadUnquoted();
        return tailEnd;
    }

    private void EndLine(char c)
    {
        if (c == '\r' && Fill() && _buffer[_pos] == '\n')
        {
            _pos++;
        }

        _nextLine++;
    }

    private bool Fill()
    {
        if (_pos < _len)
        {
            return true;
        }

        _len = _reader.Read(_buffer, 0, _buffer.Length);
        _pos = 0;
        return _len > 0;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_recordLen + chars.Length > _record.Length)
        {
            Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLen + chars.Length));
        }

        chars.CopyTo(_record.AsSpan(_recordLen));
        _recordLen += chars.Length;
    }

    private void AddField(int start, int length)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }

        _starts[_count] = start;
        _lengths[_count] = length;
        _count++;
    }

    public void Dispose()
    {
        if (_ownsReader)
        {
            _reader.Dispose();
        }
    }
}
