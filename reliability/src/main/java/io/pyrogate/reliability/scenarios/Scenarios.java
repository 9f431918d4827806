package io.pyrogate.reliability.scenarios;

import io.pyrogate.reliability.Scenario;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every scenario of the suite, in the order it runs them. */
public final class Scenarios {
  private Scenarios() {}

  public static List<Scenario> all() {
    return List.of(
        new Kill9UnderLoad(),
        new Kill9EndpointDown(),
        new BrokerKill(),
        new SigtermUnderLoad(),
        new EndpointDownLong(),
        new SlowEndpoint(),
        new BlackholeBesideHealthy(),
        new RetryAfterStorm(),
        new HostileInput(),
        new SlowHeaders(),
        new SecretsScan(),
        new DiskFull(),
        new SecondInstance(),
        new InstancesShare(),
        new InstanceKill9(),
        new RollingRestart());
  }

  public static Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    all().forEach(s -> names.add(s.name()));
    return names;
  }
}
