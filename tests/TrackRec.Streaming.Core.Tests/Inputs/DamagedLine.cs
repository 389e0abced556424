using System.Globalization;
using System.Text;
using CsCheck;

namespace TrackRec.Streaming.Tests.Inputs;

/// <summary>
/// One JSON-lines input line for the property tests: a valid record of any type, or a line with one class
/// of damage (the classes a producer or a hand-edited file actually gets wrong), as raw bytes.
/// </summary>
internal sealed record DamagedLine(string Damage, byte[] Bytes)
{
    public const string None = "none";

    public bool IsValid => Damage == None;

    public override string ToString() => $"{Damage}: {Encoding.UTF8.GetString(Bytes[..Math.Min(Bytes.Length, 160)])}";

    private static readonly Gen<string> Id = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 24].Select(c => new string(c));

    // Text a user may write: accents, emoji, quotes and backslashes all stay valid.
    private static readonly Gen<string> Text = Gen.OneOf(Gen.Const("héllo wörld"), Gen.Const("emoji \U0001F3B7 ok"), Gen.Const("a \"quoted\" \\ slash"), Id);

    private static readonly Gen<long> Millis = Gen.Long[DateTimeOffset.Parse("1990-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), DateTimeOffset.Parse("2090-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()];

    /// <summary>A valid record of one of the four types, as a JSON object (fields in a dictionary so damage can edit them).</summary>
    public static readonly Gen<Dictionary<string, object?>> Record = Gen.Select(Gen.Int[0, 3], Id, Id, Id, Millis, Gen.Int[0, 50], Text, Gen.Bool)
        .Select((type, a, b, c, ms, position, text, isoTime) =>
        {
            object ts = isoTime ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("O", CultureInfo.InvariantCulture) : ms;
            return type switch
            {
                0 => new Dictionary<string, object?> { ["type"] = "item", ["item_id"] = a, ["title"] = text, ["categories"] = new[] { b, c } },
                1 => new Dictionary<string, object?> { ["type"] = "impression", ["event_id"] = a, ["user_id"] = b, ["item_id"] = c, ["impression_id"] = "imp-" + a, ["ts"] = ts, ["position"] = position, ["surface"] = "home" },
                2 => new Dictionary<string, object?> { ["type"] = "click", ["event_id"] = a, ["user_id"] = b, ["item_id"] = c, ["ts"] = ts },
                _ => new Dictionary<string, object?> { ["type"] = "comment", ["event_id"] = a, ["user_id"] = b, ["item_id"] = c, ["ts"] = ts, ["text"] = text },
            };
        });

    private static readonly Gen<DamagedLine> Valid = Record.Select(r => new DamagedLine(None, Json(r)));

    /// <summary>Each class of damage applied to a valid record.</summary>
    public static readonly Gen<DamagedLine> Damaged = Gen.OneOf(
        // Invalid JSON: the line cut short (never at a point where it still parses).
        Record.SelectMany(r => Gen.Double[0, 0.9].Select(f => { var b = Json(r); return new DamagedLine("invalid-json", b[..Math.Max(1, (int)(b.Length * f))]); })),
        // Wrong types: an id as a number, a list where a string belongs, a position as text.
        Record.SelectMany(r => Gen.Int[0, 2].Select(k => Edit("wrong-type", r, d =>
        {
            var field = r["type"] is "item" ? "item_id" : "user_id";
            d[field] = k switch { 0 => 12345, 1 => new[] { "x" }, _ => true };
        }))),
        Gen.Const(Edit("wrong-type", new() { ["type"] = "impression", ["event_id"] = "e", ["user_id"] = "u", ["item_id"] = "i", ["impression_id"] = "p", ["ts"] = 1_700_000_000_000, ["position"] = "first" }, _ => { })),
        // Missing fields: a required field removed.
        Record.SelectMany(r => Gen.Int[0, 10].Select(k => Edit("missing-field", r, d =>
        {
            var required = d.Keys.Where(key => key is not ("position" or "surface")).ToList();
            d.Remove(required[k % required.Count]);
        }))),
        // Huge ids: past the contract's 256 characters.
        Record.SelectMany(r => Gen.Int[257, 4000].Select(n => Edit("huge-id", r, d => d["item_id"] = new string('x', n)))),
        // Invalid dates: impossible days or months, culture-style dates, words.
        Behaviour.SelectMany(r => Gen.OneOf<string>("2026-02-30T10:00:00Z", "2026-13-01T00:00:00Z", "01/02/2026", "yesterday", "2026-1-1").Select(ts => Edit("invalid-date", r, d => d["ts"] = ts))),
        // Years 9999 and before 1970, as text and as epoch milliseconds.
        Behaviour.SelectMany(r => Gen.OneOf<object>("9999-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z", -1L, 253_402_300_799_000L).Select(ts => Edit("out-of-range-time", r, d => d["ts"] = ts))),
        // Negative positions.
        Impressions.SelectMany(r => Gen.Int[int.MinValue, -1].Select(p => Edit("negative-position", r, d => d["position"] = p))),
        // Unknown type.
        Record.SelectMany(r => Gen.OneOf<string>("purchase", "Impression", "", "view").Select(t => Edit("unknown-type", r, d => d["type"] = t))),
        // Invalid UTF-8: bytes no encoder writes, put inside an id's string.
        Record.SelectMany(r => Gen.OneOf<byte[]>([0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]).Select(bad =>
        {
            var marker = "@@BAD@@";
            var d = new Dictionary<string, object?>(r) { ["item_id"] = "id" + marker };
            var text = Json(d);
            var at = IndexOf(text, Encoding.UTF8.GetBytes(marker));
            return new DamagedLine("invalid-utf8", [.. text[..at], .. bad, .. text[(at + marker.Length)..]]);
        })));

    /// <summary>A file's lines: mostly valid, some damaged, in any order.</summary>
    public static readonly Gen<DamagedLine[]> File = Gen.Frequency((3, Valid), (1, Damaged)).Array[1, 60];

    private static Gen<Dictionary<string, object?>> Behaviour => Record.Where(r => r["type"] is not "item");

    private static Gen<Dictionary<string, object?>> Impressions => Record.Where(r => r["type"] is "impression");

    private static DamagedLine Edit(string damage, Dictionary<string, object?> record, Action<Dictionary<string, object?>> edit)
    {
        var copy = new Dictionary<string, object?>(record);
        edit(copy);
        return new DamagedLine(damage, Json(copy));
    }

    private static byte[] Json(Dictionary<string, object?> record) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record);

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
