package io.pyrogate.sdk;

/** A small app for the Java agent to profile: burns CPU until it is killed or a minute passed. */
public final class BusyApp {
  private BusyApp() {}

  public static void main(String[] args) {
    long until = System.currentTimeMillis() + 60_000;
    double sink = 0;
    while (System.currentTimeMillis() < until) {
      for (int i = 1; i < 100_000; i++) {
        sink += Math.sqrt(i) * Math.sin(i);
      }
    }
    System.out.println(sink);
  }
}
