using System.Text;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Writes whole lines, each with a prefix, to a shared writer: seeds that run side by side keep their lines
/// apart and readable ("seed 43: round 1: ..."), and no line is interleaved with another's.
/// </summary>
public sealed class PrefixedLineWriter(TextWriter inner, string prefix) : TextWriter
{
    private readonly TextWriter _inner = TextWriter.Synchronized(inner ?? throw new ArgumentNullException(nameof(inner)));
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public override Encoding Encoding => _inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\r')
                return;
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }
            _inner.WriteLine(prefix + _line);
            _line.Clear();
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
            {
                _inner.WriteLine(prefix + _line);
                _line.Clear();
            }
            _inner.Flush();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
