package io.pyrogate.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class PyroscopeHttpTest {
  @Test
  void readsTheCodeOfAConnectErrorAnswer() {
    Buffer body = Buffer.buffer("{\"code\":\"invalid_argument\",\"message\":\"function id is 0\"}");
    assertThat(PyroscopeHttp.connectCode("application/json", body)).isEqualTo("invalid_argument");
    assertThat(PyroscopeHttp.connectCode("application/json; charset=utf-8", body))
        .isEqualTo("invalid_argument");
  }

  @Test
  void anAnswerThatIsNoConnectErrorHasNoCode() {
    assertThat(PyroscopeHttp.connectCode("text/plain", Buffer.buffer("{\"code\":\"unavailable\"}")))
        .isNull();
    assertThat(PyroscopeHttp.connectCode(null, Buffer.buffer("{\"code\":\"unavailable\"}")))
        .isNull();
    assertThat(PyroscopeHttp.connectCode("application/json", null)).isNull();
    assertThat(PyroscopeHttp.connectCode("application/json", Buffer.buffer())).isNull();
    assertThat(PyroscopeHttp.connectCode("application/json", Buffer.buffer("not json"))).isNull();
    assertThat(PyroscopeHttp.connectCode("application/json", Buffer.buffer("[1]"))).isNull();
    assertThat(PyroscopeHttp.connectCode("application/json", Buffer.buffer("{\"code\":14}")))
        .isNull();
  }
}
