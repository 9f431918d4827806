package io.pyrogate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The {@code --cluster.*} flags of {@code pyrogate run}: a wrong value is a usage error naming the
 * flag, before the configuration is read (the file given does not exist).
 */
class ClusterFlagsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--cluster.join-addresses=10.0.0.1 | --cluster.join-addresses needs --cluster.enabled",
        "--cluster.node-name=a | --cluster.node-name needs --cluster.enabled",
        "--cluster.enabled=false --cluster.name=x | --cluster.name needs --cluster.enabled",
        "--cluster.enabled --cluster.join-addresses=a:1,,b | --cluster.join-addresses: expected host[:port], got an empty address",
        "--cluster.enabled --cluster.join-addresses=a:http | --cluster.join-addresses: port must be a number, got \"http\"",
        "--cluster.enabled --cluster.join-addresses=a:70000 | --cluster.join-addresses: port must be within 1-65535, got 70000",
        "--cluster.enabled --cluster.advertise-address=::1 | --cluster.advertise-address: an IPv6 address needs brackets",
        "--cluster.enabled --cluster.advertise-address=:5701 | --cluster.advertise-address: expected host[:port], got \":5701\"",
        "--cluster.enabled --cluster.node-name= | --cluster.node-name: must not be empty",
        "--cluster.enabled --cluster.event-bus-port=-1 | --cluster.event-bus-port: must be within 0-65535, got -1",
      })
  void aWrongClusterFlagIsAUsageErrorNamingIt(String flags, String message) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    String[] args = (flags.trim() + " /nonexistent/pyrogate.alloy").split(" ");
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);

    assertThat(cli.execute(all)).as(err.toString()).isEqualTo(Main.EXIT_USAGE);
    assertThat(err.toString()).contains(message).contains("See 'pyrogate run --help'.");
  }
}
