package io.pyrogate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrogate.config.LoggingSettings;
import io.pyrogate.config.LoggingSettings.Format;
import io.pyrogate.config.LoggingSettings.Level;
import io.pyrogate.testing.LogCapture;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lines pyrogate writes: Alloy's formats, one line per event, levels, floors, stack traces. */
class LoggingTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);
  private static final ComponentLog ENDPOINT =
      ComponentLog.of(LoggingTest.class, "pyroscope.write.staging").endpoint("eu");

  @Test
  void jsonIsOneObjectPerLineWithLevelMessageAndComponent() {
    try (LogCapture logs = LogCapture.start(new LoggingSettings(Level.INFO, Format.JSON))) {
      ENDPOINT.warn("endpoint in outage: {}", "HTTP 503\nretrying");
      LOG.info("plain \"quoted\" event");
      List<String> lines = logs.lines();
      assertThat(lines).hasSize(2);
      JsonObject first = new JsonObject(lines.get(0));
      assertThat(first.getString("level")).isEqualTo("warn");
      assertThat(first.getString("msg")).isEqualTo("endpoint in outage: HTTP 503\nretrying");
      assertThat(first.getString("component")).isEqualTo("pyroscope.write.staging");
      assertThat(first.getString("endpoint")).isEqualTo("eu");
      assertThat(first.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      JsonObject second = new JsonObject(lines.get(1));
      assertThat(second.getString("msg")).isEqualTo("plain \"quoted\" event");
      assertThat(second.getString("logger")).isEqualTo("LoggingTest");
      assertThat(second.containsKey("component")).isFalse();
    }
  }

  @Test
  void logfmtQuotesAndEscapesSoEveryEventIsOneLine() {
    try (LogCapture logs = LogCapture.atInfo()) {
      ENDPOINT.info("batch failed:\n\"{}\"", "HTTP 400");
      assertThat(logs.lines()).hasSize(1);
      assertThat(logs.lines().get(0))
          .matches("ts=\\S+Z level=info msg=.*")
          .contains(
              " level=info msg=\"batch failed:\\n\\\"HTTP 400\\\"\" logger=LoggingTest"
                  + " component=pyroscope.write.staging endpoint=eu");
    }
  }

  @Test
  void theLevelFiltersAndAReapplyChangesIt() {
    try (LogCapture logs = LogCapture.start(LoggingSettings.defaults().withLevel(Level.WARN))) {
      LOG.info("hidden");
      LOG.warn("shown");
      Logging.apply(LoggingSettings.defaults().withLevel(Level.DEBUG));
      LOG.debug("shown at debug");
      Logging.apply(LoggingSettings.defaults().withLevel(Level.ERROR));
      LOG.warn("hidden at error");
      LOG.error("shown at error");
      List<String> lines = logs.lines();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).contains(" msg=shown ");
      assertThat(lines.get(1)).contains(" level=debug msg=\"shown at debug\"");
      assertThat(lines.get(2)).contains(" level=error msg=\"shown at error\"");
    }
  }

  @Test
  void kafkasRoutineWarningsStayBelowTheLevelItsOtherWarningsShow() {
    try (LogCapture logs = LogCapture.start(LoggingSettings.defaults().withLevel(Level.DEBUG))) {
      LoggerFactory.getLogger("org.apache.kafka.server.DefaultAutoTopicCreationManager")
          .warn(
              "Auto topic creation failed for __consumer_offsets with error 'TOPIC_ALREADY_EXISTS'");
      LoggerFactory.getLogger("org.apache.kafka.controller.QuorumController")
          .warn("Performing controller activation");
      LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")
          .warn("Attempting to close NetworkClient that has already been closed.");
      LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer")
          .info("routine at info");
      LoggerFactory.getLogger("org.apache.kafka.clients.producer.KafkaProducer")
          .warn("a real problem");
      assertThat(logs.lines()).hasSize(1).allMatch(l -> l.contains("msg=\"a real problem\""));
    }
  }

  @Test
  void stackTracesOnlyAtDebug() {
    IllegalStateException failure =
        new IllegalStateException("cannot start", new BindException("in use"));
    try (LogCapture logs = LogCapture.atInfo()) {
      ENDPOINT.error("failed", failure);
      Logging.apply(LoggingSettings.defaults().withLevel(Level.DEBUG));
      ENDPOINT.error("failed again", failure);
      List<String> lines = logs.lines();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .contains("err=\"IllegalStateException: cannot start (caused by BindException: in use)\"")
          .doesNotContain("stacktrace=");
      assertThat(lines.get(1)).contains("stacktrace=\"java.lang.IllegalStateException");
    }
  }
}
