using System.Text;

namespace TrackRec.Streaming.Inputs;

/// <summary>
/// A minimal RFC 4180 reader (quoted fields with commas, doubled quotes and line breaks), because
/// MovieLens titles contain all three and a naive split on commas shifts the columns.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private int _line = 1;

    /// <summary>1-based line on which the record last returned by <see cref="TryRead"/> starts.</summary>
    public int LineNumber { get; private set; }

    /// <summary>
    /// Reads the next record. Returns false at the end of input. <paramref name="error"/> is set (and the
    /// rest of the record skipped) when the record breaks the quoting rules.
    /// </summary>
    public bool TryRead(out List<string> fields, out string? error)
    {
        fields = [];
        error = null;
        if (reader.Peek() < 0)
            return false;

        LineNumber = _line;
        var field = new StringBuilder();
        var quoted = false;      // inside a quoted field
        var wasQuoted = false;   // the current field was quoted and its closing quote has been seen
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (quoted)
                    error ??= "unterminated quoted field";
                fields.Add(field.ToString());
                return true;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        wasQuoted = true;
                    }
                }
                else
                {
                    if (ch == '\n')
                        _line++;
                    field.Append(ch);
                }
                continue;
            }

            switch (ch)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    wasQuoted = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    _line++;
                    fields.Add(field.ToString());
                    return true;
                case '"' when field.Length == 0 && !wasQuoted:
                    quoted = true;
                    break;
                default:
                    if (wasQuoted || ch == '"')
                        error ??= $"unexpected character '{ch}' in field {fields.Count + 1}: quotes must enclose the whole field";
                    field.Append(ch);
                    break;
            }
        }
    }
}
