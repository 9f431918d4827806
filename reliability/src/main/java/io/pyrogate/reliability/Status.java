package io.pyrogate.reliability;

/** A scenario's verdict. */
public enum Status {
  PASS,
  FAIL,
  SKIPPED
}
