package io.pyrogate.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * The promises a scenario checks: each failed one becomes part of the FAIL reason; notes (timings,
 * figures) go to the report's details either way.
 */
public final class Verdict {
  private final List<String> failures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** Records {@code failure} unless {@code kept}. */
  public Verdict promise(boolean kept, String failure) {
    if (!kept) {
      failures.add(failure);
    }
    return this;
  }

  /**
   * The promises every scenario with load keeps: nothing acknowledged lost, nothing dead-lettered
   * by an outage.
   */
  public Verdict noLoss(Counts c) {
    promise(c.lost() == 0, c.lost() + " acknowledged profile(s) lost, e.g. " + c.lostExamples());
    return promise(
        c.outageDeadLettered() == 0,
        c.outageDeadLettered() + " profile(s) dead-lettered by an outage");
  }

  public Verdict note(String note) {
    notes.add(note);
    return this;
  }

  public List<String> failures() {
    return failures;
  }

  public List<String> notes() {
    return notes;
  }
}
