package io.pyrogate.reliability;

import io.pyrogate.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * pyrogate's single-node KRaft broker ({@link EmbeddedKafka}) in a JVM of its own, so that a
 * scenario can kill -9 the broker and not pyrogate: {@code StandaloneBroker DATA_DIR PORT}. Prints
 * one line once it serves.
 */
public final class StandaloneBroker {
  /** The line printed once the broker serves, followed by its address. */
  static final String READY = "standalone broker ready at ";

  private StandaloneBroker() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                }));
    System.out.println(READY + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
