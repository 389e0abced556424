namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Texts as a padded [rows, columns] block of token ids and the matching attention mask (1 for a real
/// token, 0 for padding), row-major, as both ONNX Runtime and TorchSharp take them. Columns is the
/// longest row, not the maximum sequence length, so short batches stay cheap.
/// </summary>
/// <param name="Ids">Token ids, rows x columns, padding id after each row's tokens.</param>
/// <param name="Mask">Attention mask, same layout.</param>
/// <param name="Rows">Texts in the batch.</param>
/// <param name="Columns">Tokens per row after padding.</param>
public sealed record TokenizedBatch(long[] Ids, long[] Mask, int Rows, int Columns);
