package io.pyrogate.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrogate.config.ProxyConfig;
import io.pyrogate.config.Secret;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** no_proxy matching and the proxy choice, with the cases of Go's httpproxy tests that apply. */
class ProxyChoiceTest {

  @ParameterizedTest(name = "no_proxy \"{0}\" and {1}:{2} -> direct {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      example.com              | example.com        | 443  | true
      example.com              | www.example.com    | 443  | true
      example.com              | notexample.com     | 443  | false
      .example.com             | example.com        | 443  | false
      .example.com             | api.example.com    | 443  | true
      *.example.com            | api.example.com    | 80   | true
      *.example.com            | example.com        | 80   | false
      EXAMPLE.com              | Api.Example.COM    | 80   | true
      example.com:8443         | example.com        | 8443 | true
      example.com:8443         | example.com        | 443  | false
      10.0.0.0/8               | 10.1.2.3           | 80   | true
      10.0.0.0/8               | 11.1.2.3           | 80   | false
      192.168.1.1              | 192.168.1.1        | 80   | true
      192.168.1.1:8080         | 192.168.1.1        | 80   | false
      192.168.1.1:8080         | 192.168.1.1        | 8080 | true
      2001:db8::/32            | [2001:db8::1]      | 443  | true
      [2001:db8::1]:443        | [2001:db8::1]      | 443  | true
      '*'                      | anything.example   | 443  | true
      ' foo.com , bar.com '    | bar.com            | 443  | true
      other.example            | localhost          | 443  | true
      other.example            | 127.0.0.2          | 443  | true
      other.example            | [::1]              | 443  | true
      other.example            | pyroscope.test     | 443  | false
      ''                       | pyroscope.test     | 443  | false
      """)
  void noProxyFollowsGo(String list, String host, int port, boolean direct) {
    assertThat(NoProxy.parse(list).bypasses(host, port)).isEqualTo(direct);
  }

  private static ProxyConfig explicit(String url, String noProxy) {
    return new ProxyConfig(URI.create(url), noProxy, false, Map.of());
  }

  private static final ProxyConfig FROM_ENV = new ProxyConfig(null, null, true, Map.of());

  @Test
  void proxyUrlAloneIsUsedForEveryHostEvenLoopback() {
    ProxyOptions o =
        ProxyChoice.forTarget(
            explicit("http://proxy.example:3128", null),
            URI.create("http://127.0.0.1:4040"),
            n -> null);
    assertThat(o).isNotNull();
    assertThat(o.getType()).isEqualTo(ProxyType.HTTP);
    assertThat(o.getHost()).isEqualTo("proxy.example");
    assertThat(o.getPort()).isEqualTo(3128);
    assertThat(o.getUsername()).isNull();
  }

  @Test
  void noProxyIsDecidedForTheEndpointsHostAndDefaultPort() {
    ProxyConfig c = explicit("http://proxy.example:3128", "pyroscope.example:443");
    assertThat(ProxyChoice.forTarget(c, URI.create("https://pyroscope.example/prefix"), n -> null))
        .isNull();
    assertThat(ProxyChoice.forTarget(c, URI.create("http://pyroscope.example/prefix"), n -> null))
        .isNotNull();
  }

  @Test
  void credentialsComeFromTheUrlBeforeAProxyAuthorizationHeader() {
    ProxyConfig both =
        new ProxyConfig(
            URI.create("http://us%40er:p%3Ass@proxy.example"),
            null,
            false,
            Map.of("Proxy-Authorization", List.of(new Secret("Basic aGVhZGVyOnNlY3JldA=="))));
    ProxyOptions o = ProxyChoice.forTarget(both, URI.create("https://x"), n -> null);
    assertThat(o.getUsername()).isEqualTo("us@er");
    assertThat(o.getPassword()).isEqualTo("p:ss");
    assertThat(o.getPort()).isEqualTo(80);

    ProxyConfig header =
        new ProxyConfig(
            URI.create("http://proxy.example:3128"),
            null,
            false,
            Map.of("proxy-authorization", List.of(new Secret("Basic aGVhZGVyOnNlY3JldA=="))));
    ProxyOptions h = ProxyChoice.forTarget(header, URI.create("https://x"), n -> null);
    assertThat(h.getUsername()).isEqualTo("header");
    assertThat(h.getPassword()).isEqualTo("secret");
  }

  @Test
  void socks5ProxiesAreSpokenToo() {
    ProxyOptions o =
        ProxyChoice.forTarget(
            explicit("socks5://u:p@proxy.example", null), URI.create("https://x"), n -> null);
    assertThat(o.getType()).isEqualTo(ProxyType.SOCKS5);
    assertThat(o.getPort()).isEqualTo(1080);
    assertThat(o.getUsername()).isEqualTo("u");
  }

  @Test
  void theEnvironmentVariableOfTheUrlsSchemeIsUsedUpperCaseFirst() {
    Map<String, String> env =
        Map.of(
            "HTTP_PROXY",
            "http://plain.example:1",
            "http_proxy",
            "http://lower.example:2",
            "https_proxy",
            "secure.example:3",
            "NO_PROXY",
            "skip.example");
    assertThat(ProxyChoice.forTarget(FROM_ENV, URI.create("http://p.example"), env::get).getHost())
        .isEqualTo("plain.example");
    ProxyOptions https = ProxyChoice.forTarget(FROM_ENV, URI.create("https://p.example"), env::get);
    assertThat(https.getHost())
        .isEqualTo("secure.example"); // a value without scheme is an http:// proxy
    assertThat(https.getPort()).isEqualTo(3);
    assertThat(ProxyChoice.forTarget(FROM_ENV, URI.create("https://api.skip.example"), env::get))
        .isNull();
    // localhost never goes through a proxy from the environment
    assertThat(ProxyChoice.forTarget(FROM_ENV, URI.create("http://localhost:4040"), env::get))
        .isNull();
  }

  @Test
  void withoutTheVariableOfItsSchemeARequestGoesDirect() {
    Map<String, String> env = Map.of("HTTP_PROXY", "http://plain.example:1");
    assertThat(ProxyChoice.forTarget(FROM_ENV, URI.create("https://p.example"), env::get)).isNull();
    assertThat(ProxyChoice.forTarget(FROM_ENV, URI.create("https://p.example"), n -> null))
        .isNull();
  }

  @Test
  void anEnvironmentProxyOverTlsIsRefusedWithoutShowingItsPassword() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "https://u:hunter2@proxy.example");
    assertThatThrownBy(
            () -> ProxyChoice.forTarget(FROM_ENV, URI.create("https://p.example"), env::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HTTPS_PROXY \"https://u:***@proxy.example\"")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void noProxyWithoutAProxyDoesNothing() {
    assertThat(
            ProxyChoice.forTarget(
                ProxyConfig.none(), URI.create("https://p.example"), n -> "http://ignored:1"))
        .isNull();
  }
}
