using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// Binds the librdkafka mock-cluster C API to the very native file Confluent.Kafka already loaded,
/// because two copies of librdkafka in one process would not share clients and mock brokers.
/// </summary>
/// <remarks>
/// Entry points are resolved with <see cref="NativeLibrary.GetExport"/> into function pointers rather
/// than through <c>[DllImport]</c> plus <see cref="NativeLibrary.SetDllImportResolver"/>: a resolver
/// can be registered only once per assembly, and this assembly is shared with other code.
/// Signatures follow rdkafka.h / rdkafka_mock.h of librdkafka 2.16.0.
/// </remarks>
internal static unsafe class LibrdkafkaNative
{
    private const int RdKafkaProducer = 0; // RD_KAFKA_PRODUCER
    private const int ConfOk = 0; // RD_KAFKA_CONF_OK

    private static readonly Lock InitLock = new();
    private static volatile bool s_loaded;

    private static delegate* unmanaged[Cdecl]<nint> s_confNew;
    private static delegate* unmanaged[Cdecl]<nint, void> s_confDestroy;
    private static delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int> s_confSet;
    private static delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void>, void> s_confSetLogCb;
    private static delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint> s_new;
    private static delegate* unmanaged[Cdecl]<nint, void> s_destroy;
    private static delegate* unmanaged[Cdecl]<int, nint> s_err2str;
    private static delegate* unmanaged[Cdecl]<nint, int, nint> s_mockClusterNew;
    private static delegate* unmanaged[Cdecl]<nint, void> s_mockClusterDestroy;
    private static delegate* unmanaged[Cdecl]<nint, nint> s_mockClusterBootstraps;
    private static delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> s_mockTopicCreate;
    private static delegate* unmanaged[Cdecl]<nint, byte*, int, void> s_mockTopicSetError;
    private static delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> s_mockPartitionSetLeader;
    private static delegate* unmanaged[Cdecl]<nint, int, void> s_mockGroupInitialRebalanceDelayMs;
    private static delegate* unmanaged[Cdecl]<nint, int, int> s_mockBrokerSetDown;
    private static delegate* unmanaged[Cdecl]<nint, int, int> s_mockBrokerSetUp;
    private static delegate* unmanaged[Cdecl]<nint, int, int, int> s_mockBrokerSetRtt;
    private static delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void> s_mockPushRequestErrorsArray;
    private static delegate* unmanaged[Cdecl]<nint, int, byte*, int, void> s_mockBrokerSetHostPort;

    /// <summary>Path of the native file the bindings were resolved from (diagnostics only).</summary>
    internal static string? LoadedPath { get; private set; }

    /// <summary>Loads librdkafka through Confluent.Kafka and resolves every entry point; safe to call repeatedly.</summary>
    internal static void EnsureLoaded()
    {
        if (s_loaded)
        {
            return;
        }

        lock (InitLock)
        {
            if (s_loaded)
            {
                return;
            }

            // Confluent picks the native file (with its own fallbacks); make it do so before we look.
            try
            {
                _ = Confluent.Kafka.Library.Version;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                throw new EmbeddedKafkaException("Confluent.Kafka could not load librdkafka: " + ex.Message, ex);
            }

            (nint lib, string path) = FindLoadedLibrdkafka();
            Bind(lib);
            LoadedPath = path;
            s_loaded = true;
        }
    }

    private static void Bind(nint lib)
    {
        s_confNew = (delegate* unmanaged[Cdecl]<nint>)Export(lib, "rd_kafka_conf_new");
        s_confDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(lib, "rd_kafka_conf_destroy");
        s_confSet = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int>)Export(lib, "rd_kafka_conf_set");
        s_confSetLogCb = (delegate* unmanaged[Cdecl]<nint, delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void>, void>)Export(lib, "rd_kafka_conf_set_log_cb");
        s_new = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Export(lib, "rd_kafka_new");
        s_destroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(lib, "rd_kafka_destroy");
        s_err2str = (delegate* unmanaged[Cdecl]<int, nint>)Export(lib, "rd_kafka_err2str");
        s_mockClusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Export(lib, "rd_kafka_mock_cluster_new");
        s_mockClusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(lib, "rd_kafka_mock_cluster_destroy");
        s_mockClusterBootstraps = (delegate* unmanaged[Cdecl]<nint, nint>)Export(lib, "rd_kafka_mock_cluster_bootstraps");
        s_mockTopicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Export(lib, "rd_kafka_mock_topic_create");
        s_mockTopicSetError = (delegate* unmanaged[Cdecl]<nint, byte*, int, void>)Export(lib, "rd_kafka_mock_topic_set_error");
        s_mockPartitionSetLeader = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Export(lib, "rd_kafka_mock_partition_set_leader");
        s_mockGroupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, void>)Export(lib, "rd_kafka_mock_group_initial_rebalance_delay_ms");
        s_mockBrokerSetDown = (delegate* unmanaged[Cdecl]<nint, int, int>)Export(lib, "rd_kafka_mock_broker_set_down");
        s_mockBrokerSetUp = (delegate* unmanaged[Cdecl]<nint, int, int>)Export(lib, "rd_kafka_mock_broker_set_up");
        s_mockBrokerSetRtt = (delegate* unmanaged[Cdecl]<nint, int, int, int>)Export(lib, "rd_kafka_mock_broker_set_rtt");
        s_mockPushRequestErrorsArray = (delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void>)Export(lib, "rd_kafka_mock_push_request_errors_array");
        s_mockBrokerSetHostPort = (delegate* unmanaged[Cdecl]<nint, int, byte*, int, void>)Export(lib, "rd_kafka_mock_broker_set_host_port");
    }

    private static nint Export(nint lib, string name)
    {
        if (!NativeLibrary.TryGetExport(lib, name, out nint address))
        {
            throw new EmbeddedKafkaException($"The loaded librdkafka does not export '{name}'.");
        }

        return address;
    }

    /// <summary>Finds the librdkafka file already mapped by Confluent.Kafka and returns a handle to it.</summary>
    private static (nint Handle, string Path) FindLoadedLibrdkafka()
    {
        var tried = new List<string>();

        if (OperatingSystem.IsLinux())
        {
            foreach (string path in MappedLibrdkafkaPaths())
            {
                tried.Add(path);
                if (NativeLibrary.TryLoad(path, out nint handle) && NativeLibrary.TryGetExport(handle, "rd_kafka_mock_cluster_new", out _))
                {
                    return (handle, path);
                }
            }
        }

        // Not Linux (or /proc unavailable): probe the candidates Confluent.Kafka itself tries, in its order.
        // dlopen/LoadLibrary of a file that is already loaded returns the existing module.
        foreach (string path in CandidatePaths())
        {
            tried.Add(path);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle) && NativeLibrary.TryGetExport(handle, "rd_kafka_mock_cluster_new", out _))
            {
                return (handle, path);
            }
        }

        throw new EmbeddedKafkaException(
            "Could not locate the librdkafka native library loaded by Confluent.Kafka. Tried: " +
            (tried.Count == 0 ? "(nothing)" : string.Join(", ", tried)));
    }

    private static IEnumerable<string> MappedLibrdkafkaPaths()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/maps");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            string path = line[slash..].Trim();
            if (path.EndsWith(" (deleted)", StringComparison.Ordinal))
            {
                continue;
            }

            if (Path.GetFileName(path).Contains("librdkafka", StringComparison.OrdinalIgnoreCase) && seen.Add(path))
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> CandidatePaths()
    {
        var baseDirs = new List<string> { AppContext.BaseDirectory };
        string? confluentDir = Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location);
        if (!string.IsNullOrEmpty(confluentDir) && !baseDirs.Contains(confluentDir))
        {
            baseDirs.Add(confluentDir);
        }

        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        };

        foreach (string dir in baseDirs)
        {
            if (OperatingSystem.IsWindows())
            {
                yield return Path.Combine(dir, "runtimes", $"win-{arch}", "native", "librdkafka.dll");
                yield return Path.Combine(dir, "librdkafka.dll");
            }
            else if (OperatingSystem.IsMacOS())
            {
                yield return Path.Combine(dir, "runtimes", $"osx-{arch}", "native", "librdkafka.dylib");
                yield return Path.Combine(dir, "librdkafka.dylib");
            }
            else
            {
                string native = Path.Combine(dir, "runtimes", $"linux-{arch}", "native");
                yield return Path.Combine(native, "librdkafka.so");
                yield return Path.Combine(native, "centos8-librdkafka.so");
                yield return Path.Combine(native, "alpine-librdkafka.so");
                yield return Path.Combine(dir, "librdkafka.so");
            }
        }
    }

    // ---- rd_kafka_t ------------------------------------------------------------------------------

    /// <summary>Creates the producer handle a mock cluster needs for bookkeeping (it never produces).</summary>
    internal static nint NewProducerHandle(IReadOnlyList<KeyValuePair<string, string>> config)
    {
        const int errstrSize = 512;
        byte* errstr = stackalloc byte[errstrSize];
        nint conf = s_confNew();
        if (conf == 0)
        {
            throw new EmbeddedKafkaException("rd_kafka_conf_new returned NULL.");
        }

        try
        {
            foreach ((string name, string value) in config)
            {
                fixed (byte* n = Utf8Z(name))
                fixed (byte* v = Utf8Z(value))
                {
                    errstr[0] = 0;
                    if (s_confSet(conf, n, v, errstr, errstrSize) != ConfOk)
                    {
                        throw new EmbeddedKafkaException($"rd_kafka_conf_set({name}) failed: {ReadUtf8(errstr)}");
                    }
                }
            }

            // Capture the handle's log lines so a failing mock call can report librdkafka's own reason.
            s_confSetLogCb(conf, &OnLog);

            errstr[0] = 0;
            nint rk = s_new(RdKafkaProducer, conf, errstr, errstrSize);
            if (rk == 0)
            {
                throw new EmbeddedKafkaException("rd_kafka_new failed: " + ReadUtf8(errstr));
            }

            conf = 0; // rd_kafka_new took ownership on success only
            return rk;
        }
        finally
        {
            if (conf != 0)
            {
                s_confDestroy(conf);
            }
        }
    }

    internal static void DestroyHandle(nint rk)
    {
        s_destroy(rk);
        RecentLogs.TryRemove(rk, out _);
    }

    /// <summary>The last few log lines librdkafka emitted for <paramref name="rk"/> (errors and worse, given log_level 3).</summary>
    internal static string RecentLog(nint rk) =>
        RecentLogs.TryGetValue(rk, out ConcurrentQueue<string>? lines) ? string.Join(" | ", lines) : string.Empty;

    private const int MaxLogLinesPerHandle = 16;

    private static readonly ConcurrentDictionary<nint, ConcurrentQueue<string>> RecentLogs = new();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint rk, int level, byte* facility, byte* message)
    {
        try
        {
            string line = $"[{level}] {ReadUtf8(facility)}: {ReadUtf8(message)}";
            System.Diagnostics.Trace.WriteLine(line, "librdkafka-mock");
            ConcurrentQueue<string> lines = RecentLogs.GetOrAdd(rk, _ => new ConcurrentQueue<string>());
            lines.Enqueue(line);
            while (lines.Count > MaxLogLinesPerHandle && lines.TryDequeue(out _))
            {
            }
        }
        catch
        {
            // Never let an exception unwind into librdkafka's thread.
        }
    }

    internal static string ErrorToString(int err)
    {
        nint s = s_err2str(err);
        return s == 0 ? $"error {err}" : Marshal.PtrToStringUTF8(s) ?? $"error {err}";
    }

    // ---- mock cluster ----------------------------------------------------------------------------

    internal static nint MockClusterNew(nint rk, int brokerCount) => s_mockClusterNew(rk, brokerCount);

    internal static void MockClusterDestroy(nint mcluster) => s_mockClusterDestroy(mcluster);

    internal static string MockClusterBootstraps(nint mcluster)
    {
        nint s = s_mockClusterBootstraps(mcluster);
        return s == 0 ? string.Empty : Marshal.PtrToStringUTF8(s) ?? string.Empty;
    }

    /// <summary>Changes the host and port the broker advertises in metadata; its listener stays where it is.</summary>
    internal static void MockBrokerSetHostPort(nint mcluster, int brokerId, string host, int port)
    {
        fixed (byte* h = Utf8Z(host))
            s_mockBrokerSetHostPort(mcluster, brokerId, h, port);
    }

    internal static int MockTopicCreate(nint mcluster, string topic, int partitions, int replicationFactor)
    {
        fixed (byte* t = Utf8Z(topic))
        {
            return s_mockTopicCreate(mcluster, t, partitions, replicationFactor);
        }
    }

    internal static void MockTopicSetError(nint mcluster, string topic, int err)
    {
        fixed (byte* t = Utf8Z(topic))
        {
            s_mockTopicSetError(mcluster, t, err);
        }
    }

    internal static int MockPartitionSetLeader(nint mcluster, string topic, int partition, int brokerId)
    {
        fixed (byte* t = Utf8Z(topic))
        {
            return s_mockPartitionSetLeader(mcluster, t, partition, brokerId);
        }
    }

    internal static void MockGroupInitialRebalanceDelayMs(nint mcluster, int delayMs) =>
        s_mockGroupInitialRebalanceDelayMs(mcluster, delayMs);

    internal static int MockBrokerSetDown(nint mcluster, int brokerId) => s_mockBrokerSetDown(mcluster, brokerId);

    internal static int MockBrokerSetUp(nint mcluster, int brokerId) => s_mockBrokerSetUp(mcluster, brokerId);

    internal static int MockBrokerSetRtt(nint mcluster, int brokerId, int rttMs) => s_mockBrokerSetRtt(mcluster, brokerId, rttMs);

    internal static void MockPushRequestErrors(nint mcluster, short apiKey, ReadOnlySpan<int> errors)
    {
        fixed (int* e = errors)
        {
            s_mockPushRequestErrorsArray(mcluster, apiKey, (nuint)errors.Length, e);
        }
    }

    private static byte[] Utf8Z(string value)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static string ReadUtf8(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? string.Empty;
}
