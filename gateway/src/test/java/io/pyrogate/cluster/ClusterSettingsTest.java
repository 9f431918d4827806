package io.pyrogate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.cluster.ClusterSettings.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  @Test
  void withoutTheFlagsThereIsNoCluster() {
    assertThat(ClusterSettings.parse(false, null, null, null, null, null))
        .isEqualTo(ClusterSettings.DISABLED);
  }

  @Test
  void readsEveryFlag() {
    ClusterSettings s =
        ClusterSettings.parse(
            true,
            " pyrogate-0 ",
            "10.1.2.3:5801",
            "a, b:5702,[fd00::1]:5703,[fd00::2]",
            "prod",
            5711);

    assertThat(s.enabled()).isTrue();
    assertThat(s.nodeName()).isEqualTo("pyrogate-0");
    assertThat(s.advertise()).isEqualTo(new Address("10.1.2.3", 5801));
    assertThat(s.joinAddresses())
        .containsExactly(
            new Address("a", 0),
            new Address("b", 5702),
            new Address("fd00::1", 5703),
            new Address("fd00::2", 0));
    assertThat(s.joinAddresses().get(2)).hasToString("[fd00::1]:5703");
    assertThat(s.nameFor("pyrogate.")).isEqualTo("prod");
    assertThat(s.eventBusPort()).isEqualTo(5711);
  }

  @Test
  void defaultsToTheHostNameNoPeersAndANameFromTheTopicPrefix() {
    ClusterSettings s = ClusterSettings.parse(true, null, null, null, null, null);

    assertThat(s.nodeName()).isNotBlank();
    assertThat(s.advertise()).isNull();
    assertThat(s.joinAddresses()).isEmpty();
    assertThat(s.nameFor("pyrogate.")).isEqualTo("pyrogate.cluster");
    assertThat(s.eventBusPort()).isZero();
  }

  @Test
  void joinsEveryAddressANameResolvesTo() {
    ClusterSettings s =
        ClusterSettings.parse(true, "a", null, "127.0.0.1:5702,localhost", null, null);

    List<String> members = HazelcastSetup.members(s);

    assertThat(members).contains("127.0.0.1:5702").contains("127.0.0.1");
  }
}
