package io.pyrogate.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpConnection;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which connection gives up its conn_limit slot, with a clock the test moves. */
class ConnectionSlotsTest {
  private final AtomicLong now = new AtomicLong();
  private final ConnectionSlots slots = new ConnectionSlots(2, Duration.ofSeconds(30), now::get);

  @Test
  void aConnectionIdleBeyondTheHeadDeadlineGivesItsSlotToANewOne() {
    Conn a = new Conn();
    Conn b = new Conn();
    assertThat(slots.admit(a.connection)).isTrue();
    assertThat(slots.admit(b.connection)).isTrue();
    assertThat(slots.admit(new Conn().connection)).as("full, nobody overdue").isFalse();

    slots.requestStarted(a.connection);
    now.addAndGet(
        Duration.ofSeconds(11).toNanos()); // the head deadline is min(10 s, server_read_timeout)
    Conn c = new Conn();
    assertThat(slots.admit(c.connection)).as("b has had no request for 11 s").isTrue();
    assertThat(b.closed.get()).isEqualTo(1);
    assertThat(a.closed.get()).as("a request in progress keeps its slot").isZero();
    assertThat(slots.admit(new Conn().connection)).isFalse();

    slots.requestEnded(a.connection);
    assertThat(slots.admit(new Conn().connection))
        .as("a's deadline starts when its request ended")
        .isFalse();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(slots.admit(new Conn().connection)).isTrue();
    assertThat(a.closed.get()).isEqualTo(1);
    assertThat(slots.held()).isEqualTo(2);

    slots.release(c.connection);
    assertThat(slots.admit(new Conn().connection)).as("a released slot is free at once").isTrue();
  }

  /** A connection that only counts how often it is closed. */
  private static final class Conn {
    final AtomicInteger closed = new AtomicInteger();
    final HttpConnection connection =
        (HttpConnection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpConnection.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "close" -> {
                        closed.incrementAndGet();
                        yield null;
                      }
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
  }
}
