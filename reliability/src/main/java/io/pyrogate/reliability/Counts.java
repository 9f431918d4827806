package io.pyrogate.reliability;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The profile counts of one scenario, by the unique {@code rel_id} label each pushed profile
 * carries.
 *
 * @param acknowledged profiles ingest answered 2xx for
 * @param delivered acknowledged profiles every counted endpoint received (answered 2xx)
 * @param deadLettered distinct profiles in the dead-letter topic (of any endpoint)
 * @param outageDeadLettered distinct profiles dead-lettered by an endpoint that does not refuse for
 *     good (an outage, a slow or a throttling endpoint): never allowed
 * @param duplicates deliveries beyond the first of a profile, summed over the counted endpoints
 * @param lost acknowledged profiles some counted endpoint neither received nor dead-lettered
 * @param lostExamples up to five lost ids, for the report
 */
public record Counts(
    long acknowledged,
    long delivered,
    long deadLettered,
    long outageDeadLettered,
    long duplicates,
    long lost,
    List<String> lostExamples) {

  /**
   * No profiles pushed: the scenario is about something else (a second instance, hostile
   * requests...).
   */
  public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, List.of());

  /**
   * Counts {@code acknowledged} against what the {@code counted} endpoints received and what the
   * dead-letter topic holds; dead letters of endpoints named in {@code refusing} are expected (they
   * refuse on purpose).
   */
  public static Counts of(
      Set<String> acknowledged,
      Collection<RecordingEndpoint> counted,
      List<DeadLetter> deadLetters,
      Set<String> refusing) {
    Set<String> dead = new HashSet<>();
    Set<String> outageDead = new HashSet<>();
    for (DeadLetter d : deadLetters) {
      dead.addAll(d.ids());
      if (!refusing.contains(d.endpoint())) {
        outageDead.addAll(d.ids());
      }
    }
    long delivered = 0;
    long duplicates = 0;
    Set<String> lost = new HashSet<>();
    for (String id : acknowledged) {
      boolean everywhere = true;
      for (RecordingEndpoint e : counted) {
        if (e.deliveries(id) == 0) {
          everywhere = false;
          if (!deadLettered(deadLetters, e.name(), id)) {
            lost.add(id);
          }
        }
      }
      if (everywhere) {
        delivered++;
      }
    }
    for (RecordingEndpoint e : counted) {
      duplicates += e.duplicates();
    }
    return new Counts(
        acknowledged.size(),
        delivered,
        dead.size(),
        outageDead.size(),
        duplicates,
        lost.size(),
        lost.stream().sorted().limit(5).toList());
  }

  private static boolean deadLettered(List<DeadLetter> deadLetters, String endpoint, String id) {
    for (DeadLetter d : deadLetters) {
      if (d.endpoint().equals(endpoint) && d.ids().contains(id)) {
        return true;
      }
    }
    return false;
  }
}
