package io.pyrogate;

public final class Main {
  public static void main(String[] args) {
  }
}
