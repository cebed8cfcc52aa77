namespace SeasonalGrains.Grains;

/// <summary>The last <c>capacity</c> days of units, price and promo, in a ring (no allocation per day).</summary>
internal sealed class FeatureRing
{
    private readonly double[] _units;
    private readonly double[] _price;
    private readonly bool[] _promo;
    private int _next;
    private int _count;

    public FeatureRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _units = new double[capacity];
        _price = new double[capacity];
        _promo = new bool[capacity];
    }

    public int Count => _count;

    public void Push(double units, double price, bool promo)
    {
        _units[_next] = units;
        _price[_next] = price;
        _promo[_next] = promo;
        _next = _next + 1 == _units.Length ? 0 : _next + 1;
        if (_count < _units.Length)
        {
            _count++;
        }
    }

    /// <summary>
    /// Pushes a run of days in order. Only the last <c>capacity</c> of them can stay in the ring,
    /// so only those are written: the result equals pushing every day.
    /// </summary>
    public void PushRange(double[] units, double[]? price, bool[]? promo)
    {
        for (var i = Math.Max(0, units.Length - _units.Length); i < units.Length; i++)
        {
            Push(units[i], price is null ? double.NaN : price[i], promo is not null && promo[i]);
        }
    }

    /// <summary>The days held, oldest first.</summary>
    public FeatureWindow ToWindow()
    {
        var units = new double[_count];
        var price = new double[_count];
        var promo = new bool[_count];
        var first = (_next - _count + _units.Length) % _units.Length;
        for (var i = 0; i < _count; i++)
        {
            var j = (first + i) % _units.Length;
            units[i] = _units[j];
            price[i] = _price[j];
            promo[i] = _promo[j];
        }

        return new FeatureWindow { Units = units, Price = price, Promo = promo };
    }

    public void Clear()
    {
        _next = 0;
        _count = 0;
    }

    /// <summary>Refills the ring from a saved window (oldest first); only the last days that fit are kept.</summary>
    public void Load(FeatureWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        Clear();
        for (var i = 0; i < window.Units.Length; i++)
        {
            Push(window.Units[i], window.Price[i], window.Promo[i]);
        }
    }
}
