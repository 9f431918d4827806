package io.pyrogate.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A fast local Pyroscope stand-in on 127.0.0.1: answers 200 to every request once its body is read,
 * and counts requests, bytes and profiles (samples of a push request; one per /ingest). A
 * blackholed receiver reads the request and never answers.
 */
public final class Receiver implements AutoCloseable {
  private final HttpServer server;
  private final boolean blackhole;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong profiles = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private Receiver(HttpServer server, boolean blackhole) {
    this.server = server;
    this.blackhole = blackhole;
  }

  public static Receiver start(Vertx vertx, boolean blackhole) {
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setTcpNoDelay(true)
                .setIdleTimeout(0));
    Receiver r = new Receiver(server, blackhole);
    server.requestHandler(r::handle);
    try {
      server.listen().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("receiver did not start", e);
    }
    return r;
  }

  /**
   * Reads the body into one buffer sized from Content-Length (a delivery batch is up to 1 MiB;
   * growing a buffer chunk by chunk copied and zeroed it over and over, on the cores pyrogate runs
   * on) and answers.
   */
  private void handle(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    Buffer body = Buffer.buffer(length == null ? 64 * 1024 : Integer.parseInt(length.trim()));
    req.handler(body::appendBuffer);
    req.endHandler(
        v -> {
          requests.incrementAndGet();
          bytes.addAndGet(body.length());
          if (blackhole) {
            return;
          }
          profiles.addAndGet(
              req.path().endsWith("/Push")
                  ? countSamples(req.getHeader("Content-Encoding"), body)
                  : 1);
          req.response().setStatusCode(200).putHeader("Content-Type", "application/proto").end();
        });
  }

  /** Samples in a push.v1 PushRequest, counted without building the message or copying the body. */
  static long countSamples(String encoding, Buffer body) {
    try {
      CodedInputStream in;
      if ("gzip".equalsIgnoreCase(encoding)) {
        in =
            CodedInputStream.newInstance(
                new GZIPInputStream(new ByteArrayInputStream(body.getBytes())).readAllBytes());
      } else {
        in = CodedInputStream.newInstance(((BufferInternal) body).getByteBuf().nioBuffer());
      }
      long samples = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == 1
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int limit = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 2) {
              samples++;
            }
            in.skipField(t);
          }
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
      }
      return samples;
    } catch (IOException e) {
      return 1;
    }
  }

  public int port() {
    return server.actualPort();
  }

  public long requests() {
    return requests.get();
  }

  public long profiles() {
    return profiles.get();
  }

  public long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    LoadGen.quietly(() -> server.close().await(5, TimeUnit.SECONDS));
  }
}
