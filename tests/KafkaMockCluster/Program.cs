using System.Globalization;
using Confluent.Kafka;

// Usage: KafkaMockCluster [brokers]. Prints the brokers' addresses (bootstrap.servers) as its one line of output, then
// keeps the cluster up until stdin closes: the parent's end of the pipe going away, as when the parent dies, stops it too.
var brokers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var config = new ProducerConfig();
config.Set("test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture));
using var owner = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
using (var admin = new DependentAdminClientBuilder(owner.Handle).Build())
{
    var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
    Console.Out.WriteLine(string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}")));
    Console.Out.Flush();
}
Console.In.ReadToEnd();
