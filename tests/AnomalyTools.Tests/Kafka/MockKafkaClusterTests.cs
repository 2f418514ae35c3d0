using Xunit;

namespace AnomalyTools.Tests.Kafka;

public sealed class MockKafkaClusterTests
{
    [Fact]
    public void WhatIsProducedIsReadBack()
    {
        using var cluster = new MockKafkaCluster();
        cluster.Produce("transactions", [("C012", "{\"transaction_id\":\"1002\"}"), ("C014", "{\"transaction_id\":\"1005\"}")]);
        var read = cluster.ReadAll("transactions");
        Assert.Equal(["1002", "1005"], read.Select(r => r.Message.Value).Order().Select(v => v[19..23]));
        Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
    }
}
