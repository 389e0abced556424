using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// An in-process Kafka cluster (librdkafka's mock brokers) so tests can run real Confluent clients,
/// consumer groups and fault injection without Docker or a JVM.
/// </summary>
/// <remarks>
/// Limits of the mock: topics must be created with <see cref="CreateTopic"/> (Admin CreateTopics /
/// DeleteTopics are not supported), listing/describing groups may crash the process, each partition
/// keeps only about 5 MiB, and a consumer re-joining a group waits about one session timeout.
/// </remarks>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    /// <summary>Broker id that addresses every broker in the broker fault-injection methods.</summary>
    public const int AllBrokers = -1;

    private readonly MockClusterSafeHandle _handle;
    private readonly string _bootstrapServers;

    private EmbeddedKafkaCluster(MockClusterSafeHandle handle, string bootstrapServers, int brokerCount)
    {
        _handle = handle;
        _bootstrapServers = bootstrapServers;
        BrokerCount = brokerCount;
    }

    /// <summary>Comma-separated host:port list to use as <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _bootstrapServers;
        }
    }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers (ids 1..n) and no initial rebalance delay.</summary>
    /// <exception cref="EmbeddedKafkaException">librdkafka could not be loaded or refused to create the cluster.</exception>
    public static EmbeddedKafkaCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);

        LibrdkafkaNative.EnsureLoaded();

        nint rk = LibrdkafkaNative.NewProducerHandle(
        [
            // This handle only hosts the mock brokers; keep its own chatter (e.g. "no bootstrap.servers") quiet.
            new("log_level", "3"),
            new("client.id", "trackrec-embedded-kafka"),
        ]);

        nint mcluster;
        try
        {
            mcluster = LibrdkafkaNative.MockClusterNew(rk, brokers);
        }
        catch
        {
            LibrdkafkaNative.DestroyHandle(rk);
            throw;
        }

        if (mcluster == 0)
        {
            string log = LibrdkafkaNative.RecentLog(rk);
            LibrdkafkaNative.DestroyHandle(rk);
            throw new EmbeddedKafkaException(
                $"rd_kafka_mock_cluster_new({brokers}) failed: " + (log.Length == 0 ? "librdkafka logged no reason." : log));
        }

        MockClusterSafeHandle handle = MockClusterSafeHandle.Create(rk, mcluster);
        try
        {
            string bootstraps = LibrdkafkaNative.MockClusterBootstraps(mcluster);
            if (bootstraps.Length == 0)
            {
                throw new EmbeddedKafkaException("The mock cluster reported no bootstrap servers.");
            }

            var cluster = new EmbeddedKafkaCluster(handle, bootstraps, brokers);
            cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
            return cluster;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="topic"/>. Creating a topic that already exists is a no-op (its partition
    /// count is left unchanged).
    /// </summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);

        int err = WithCluster(mc => LibrdkafkaNative.MockTopicCreate(mc, topic, partitions, replicationFactor));
        if (err != 0 && err != (int)ErrorCode.TopicAlreadyExists)
        {
            throw Failure($"create topic '{topic}'", err);
        }
    }

    /// <summary>Sets the broker's group.initial.rebalance.delay.ms (the mock defaults to 3 s; <see cref="Start"/> sets 0).</summary>
    public void SetInitialRebalanceDelay(TimeSpan delay)
    {
        int ms = ToMilliseconds(delay, nameof(delay));
        WithCluster(mc =>
        {
            LibrdkafkaNative.MockGroupInitialRebalanceDelayMs(mc, ms);
            return 0;
        });
    }

    /// <summary>
    /// Makes broker <paramref name="brokerId"/> advertise <paramref name="host"/>:<paramref name="port"/> in metadata,
    /// so clients that bootstrap through a forwarder on a fixed port (see <see cref="TcpForwarder"/>) keep using it.
    /// The broker's own listener does not move.
    /// </summary>
    public void AdvertiseBroker(int brokerId, string host, int port)
    {
        ValidateBrokerId(brokerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        WithCluster(mc =>
        {
            LibrdkafkaNative.MockBrokerSetHostPort(mc, brokerId, host, port);
            return 0;
        });
    }

    /// <summary>Disconnects the broker and refuses new connections; partition leadership does not move.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ValidateBrokerId(brokerId);
        int err = WithCluster(mc => LibrdkafkaNative.MockBrokerSetDown(mc, brokerId));
        ThrowIfError(err, $"set broker {brokerId} down");
    }

    /// <summary>Lets a broker taken down with <see cref="SetBrokerDown"/> accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        ValidateBrokerId(brokerId);
        int err = WithCluster(mc => LibrdkafkaNative.MockBrokerSetUp(mc, brokerId));
        ThrowIfError(err, $"set broker {brokerId} up");
    }

    /// <summary>Delays every response of the broker by <paramref name="rtt"/>.</summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan rtt)
    {
        ValidateBrokerId(brokerId);
        int ms = ToMilliseconds(rtt, nameof(rtt));
        int err = WithCluster(mc => LibrdkafkaNative.MockBrokerSetRtt(mc, brokerId, ms));
        ThrowIfError(err, $"set broker {brokerId} round-trip time");
    }

    /// <summary>
    /// Makes the next requests of type <paramref name="api"/> (to any broker) fail, one error per request,
    /// in order. <see cref="ErrorCode.Local_Transport"/> makes the broker close the connection instead.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey api, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return;
        }

        int[] codes = Array.ConvertAll(errors, e => (int)e);
        WithCluster(mc =>
        {
            LibrdkafkaNative.MockPushRequestErrors(mc, (short)api, codes);
            return 0;
        });
    }

    /// <summary>
    /// Makes Metadata (and AddPartitionsToTxn) responses report <paramref name="error"/> for the topic;
    /// pass <see cref="ErrorCode.NoError"/> to clear it.
    /// </summary>
    public void SetTopicError(string topic, ErrorCode error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        WithCluster(mc =>
        {
            LibrdkafkaNative.MockTopicSetError(mc, topic, (int)error);
            return 0;
        });
    }

    /// <summary>Moves leadership of a partition to <paramref name="brokerId"/> (-1: leaderless). Creates the topic if missing.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ValidateBrokerId(brokerId);
        int err = WithCluster(mc => LibrdkafkaNative.MockPartitionSetLeader(mc, topic, partition, brokerId));
        ThrowIfError(err, $"set leader of {topic}[{partition}] to broker {brokerId}");
    }

    /// <summary>Stops the brokers (connected clients see disconnects). Thread-safe; later calls do nothing.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// Runs a native call with the cluster pinned, so a concurrent <see cref="Dispose"/> waits for it
    /// instead of freeing the cluster underneath it.
    /// </summary>
    private int WithCluster(Func<nint, int> call)
    {
        bool added = false;
        try
        {
            try
            {
                _handle.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                throw new ObjectDisposedException(nameof(EmbeddedKafkaCluster));
            }

            return call(_handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void ValidateBrokerId(int brokerId)
    {
        if (brokerId != AllBrokers && (brokerId < 1 || brokerId > BrokerCount))
        {
            throw new ArgumentOutOfRangeException(
                nameof(brokerId), brokerId, $"Broker ids are 1..{BrokerCount} (or {AllBrokers} for all brokers).");
        }
    }

    private static int ToMilliseconds(TimeSpan value, string paramName)
    {
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Must be between zero and int.MaxValue milliseconds.");
        }

        return (int)value.TotalMilliseconds;
    }

    private static void ThrowIfError(int err, string operation)
    {
        if (err != 0)
        {
            throw Failure(operation, err);
        }
    }

    private static EmbeddedKafkaException Failure(string operation, int err) =>
        new($"Embedded Kafka could not {operation}: {LibrdkafkaNative.ErrorToString(err)}", (ErrorCode)err);
}
