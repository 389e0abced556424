using System.Text;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Writes whole lines, each with a prefix, to a shared writer: seeds that run side by side keep their lines
/// apart and readable ("seed 43: round 1: ..."), and no line is interleaved with another's.
/// </summary>
public sealed class PrefixedLineWriter(TextWriter inner, string prefix) : TextWriter
{
    // Every writer of the same inner writer locks that writer itself: a TextWriter.Synchronized wrapper per
    // PrefixedLineWriter would lock only its own wrapper, and lines of two seeds could then tear each other.
    // Console.Out is a synchronized writer that locks itself, so this is the lock it already takes.
    private readonly TextWriter _inner = inner ?? throw new ArgumentNullException(nameof(inner));
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
            Emit(_line);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        lock (_gate)
        {
            if (_line.Length > 0)
                Emit(_line);
            lock (_inner)
                _inner.Flush();
        }
    }

    private void Emit(StringBuilder line)
    {
        var text = prefix + line;
        line.Clear();
        lock (_inner)
            _inner.WriteLine(text);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
