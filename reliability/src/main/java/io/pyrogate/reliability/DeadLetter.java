package io.pyrogate.reliability;

import java.util.Set;

/**
 * One record of a dead-letter topic: the endpoint that gave up, its reason, the {@code rel_id}s of
 * the profiles it holds, and its headers and value as text (for the secrets scan).
 */
public record DeadLetter(String endpoint, String reason, Set<String> ids, String rawText) {}
