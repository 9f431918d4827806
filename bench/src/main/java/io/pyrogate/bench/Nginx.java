package io.pyrogate.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Baseline B, the non-durable relay limit: nginx (the Debian package) relaying requests to the
 * receiver with proxy_pass and upstream keep-alive, started in the foreground as a child process on
 * 127.0.0.1.
 */
public final class Nginx implements AutoCloseable {
  private final Process process;
  private final int port;

  private Nginx(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Nginx start(Path binary, Path dir, int upstreamPort, int workers)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    int port = Ports.free();
    String t = dir.resolve("tmp").toAbsolutePath().toString();
    String conf =
        "worker_processes "
            + workers
            + ";\n"
            + "pid "
            + dir.toAbsolutePath().resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + dir.toAbsolutePath().resolve("logs/error.log")
            + " warn;\n"
            + "events { worker_connections 4096; }\n"
            + "http {\n"
            + "  access_log off;\n"
            + "  client_max_body_size 20m;\n"
            + "  client_body_buffer_size 1m;\n"
            + "  client_body_temp_path "
            + t
            + "/body; proxy_temp_path "
            + t
            + "/proxy;\n"
            + "  fastcgi_temp_path "
            + t
            + "/fastcgi; uwsgi_temp_path "
            + t
            + "/uwsgi; scgi_temp_path "
            + t
            + "/scgi;\n"
            + "  keepalive_requests 1000000;\n"
            + "  upstream receiver { server 127.0.0.1:"
            + upstreamPort
            + "; keepalive 128; }\n"
            + "  server {\n"
            + "    listen 127.0.0.1:"
            + port
            + ";\n"
            + "    location / {\n"
            + "      proxy_pass http://receiver;\n"
            + "      proxy_http_version 1.1;\n"
            + "      proxy_set_header Connection \"\";\n"
            + "    }\n"
            + "  }\n"
            + "}\n";
    Path confFile = dir.toAbsolutePath().resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Process p =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "-p",
                    dir.toAbsolutePath().toString(),
                    "-c",
                    confFile.toString(),
                    "-e",
                    dir.toAbsolutePath().resolve("logs/error.log").toString(),
                    "-g",
                    "daemon off;"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/stdout.log").toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "nginx exited with " + p.exitValue() + "; see " + dir.resolve("logs"));
      }
      try (var s = new Socket("127.0.0.1", port)) {
        return new Nginx(p, port);
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("nginx did not listen within 10 s");
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    // SIGTERM to the master stops the workers too (fast shutdown).
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
