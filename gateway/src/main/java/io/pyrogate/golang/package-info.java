/**
 * Go's standard library behaviour that pyrogate must reproduce because Alloy or Pyroscope shows it
 * (in config values, on the wire, in error messages), one class per Go package: {@link
 * io.pyrogate.golang.Strconv}, {@link io.pyrogate.golang.Strings}, {@link io.pyrogate.golang.Url},
 * {@link io.pyrogate.golang.Durations} ({@code time.ParseDuration}), {@link
 * io.pyrogate.golang.Base64}, {@link io.pyrogate.golang.FilePath} and {@link
 * io.pyrogate.golang.Utf8}. Each function names the Go function it follows. A Go {@code error} is
 * an unchecked exception carrying Go's message, e.g. {@link io.pyrogate.golang.EscapeError}; Go's
 * fmt and encoding/json over Alloy values stay with those values in {@code config/syntax} ({@code
 * GoFormat}, {@code Json}) and use this package.
 */
package io.pyrogate.golang;
