using System.Runtime.InteropServices;

namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// Owns a librdkafka mock cluster together with the rd_kafka_t it was created on, so both are freed
/// exactly once, in the right order, and never while a native call on them is still running.
/// </summary>
internal sealed class MockClusterSafeHandle : SafeHandle
{
    private nint _ownerHandle;

    private MockClusterSafeHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of <paramref name="ownerHandle"/> (an rd_kafka_t) and <paramref name="mockCluster"/>.</summary>
    internal static MockClusterSafeHandle Create(nint ownerHandle, nint mockCluster)
    {
        var safe = new MockClusterSafeHandle();
        safe._ownerHandle = ownerHandle;
        safe.SetHandle(mockCluster);
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        // The cluster keeps a reference to its rd_kafka_t, so it must go first.
        LibrdkafkaNative.MockClusterDestroy(handle);
        nint owner = _ownerHandle;
        _ownerHandle = 0;
        if (owner != 0)
        {
            LibrdkafkaNative.DestroyHandle(owner);
        }

        return true;
    }
}
