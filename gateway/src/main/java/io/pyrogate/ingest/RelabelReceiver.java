package io.pyrogate.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.pyrogate.config.RelabelComponent;
import io.pyrogate.golang.Strconv;
import io.pyrogate.golang.Url;
import io.pyrogate.ops.RelabelMetrics;
import io.pyrogate.proto.push.v1.PushRequest;
import io.pyrogate.proto.push.v1.RawProfileSeries;
import io.pyrogate.proto.types.v1.LabelPair;
import io.pyrogate.pyroscope.IngestQuery;
import io.pyrogate.pyroscope.LabelSet;
import io.pyrogate.pyroscope.PushRequests;
import io.pyrogate.pyroscope.TenantIds;
import io.pyrogate.record.ProfileReceiver;
import io.pyrogate.record.ProfileRecord;
import io.pyrogate.record.RecordCodec;
import io.pyrogate.relabel.RelabelCache;
import io.pyrogate.relabel.RelabelRules;
import io.pyrogate.relabel.Relabeler;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The receiver a {@code pyroscope.relabel} component exports: applies its rules to the series
 * labels of every profile (never to the pprof sample labels inside it), drops the profiles the
 * rules drop or leave without labels, and forwards the rest to its {@code forward_to} targets. It
 * runs at ingest, before Kafka, so every endpoint receives what was relabelled.
 *
 * <p>The rules see the labels Alloy's {@code receive_http} hands to {@code pyroscope.relabel}: on
 * push a series' labels, with {@code service_name} set to {@code __name__} (the profile type) when
 * it is missing and {@code app_name} set to {@code __name__} otherwise; on {@code /ingest} the
 * labels of the {@code name} parameter, {@code __name__} being the application name with its
 * profile-type suffix, with the same {@code service_name} / {@code app_name} rule. A series the
 * rules leave as they got it is forwarded byte for byte; a changed one carries the labels they
 * produced, sorted, as Alloy forwards them. On {@code /ingest} only the {@code name} parameter is
 * rewritten; the body and the other parameters are untouched. With no rules, a push is forwarded
 * without being parsed.
 *
 * <p>A {@code __tenant_id__} label in what the rules produce (a pyrogate extension, as Loki's) sets
 * the profile's tenant, the X-Scope-OrgID it is stored and delivered with, and is removed: the
 * series of one push are stored as one record per tenant, so that delivery never batches two
 * tenants together. Series without it keep the request's tenant.
 *
 * <p>Counts every series (push) or request (ingest) as Alloy's metrics do. Re-wired in place by
 * {@link #update} on a reload, so the receivers that forward to it keep running.
 */
public final class RelabelReceiver implements ProfileReceiver {
  private static final String SERVICE_NAME = SeriesLabels.SERVICE_NAME;
  private static final String APP_NAME = "app_name";
  private static final int PUSH_SERIES_FIELD = 1;

  /** A label the rules set to choose the profile's tenant (X-Scope-OrgID); never stored. */
  public static final String TENANT_LABEL = "__tenant_id__";

  /** What one configuration of the component runs with. */
  private record State(
      RelabelComponent config, Relabeler relabeler, List<ProfileReceiver> targets) {}

  private final String componentId;
  private final RelabelMetrics metrics;
  private volatile State state;

  public RelabelReceiver(
      RelabelComponent config, List<ProfileReceiver> targets, RelabelMetrics metrics) {
    this.componentId = config.componentId();
    this.metrics = metrics;
    this.state =
        new State(
            config,
            new Relabeler(
                RelabelRules.of(config.rules()), new RelabelCache(config.maxCacheSize()), metrics),
            List.copyOf(targets));
  }

  /**
   * Runs with {@code config} and forwards to {@code targets} from now on. As Alloy's {@code
   * Update}: the cache is emptied when the rules changed and resized when max_cache_size changed.
   */
  public synchronized void update(RelabelComponent config, List<ProfileReceiver> targets) {
    State old = state;
    Relabeler relabeler = old.relabeler();
    if (!config.rules().equals(old.config().rules())) {
      relabeler =
          new Relabeler(
              RelabelRules.of(config.rules()), new RelabelCache(config.maxCacheSize()), metrics);
      metrics.size(0);
    } else if (config.maxCacheSize() != old.config().maxCacheSize()) {
      relabeler.cache().resize(config.maxCacheSize());
      metrics.size(relabeler.cache().size());
    }
    state = new State(config, relabeler, List.copyOf(targets));
  }

  @Override
  public String name() {
    return componentId;
  }

  @Override
  public Future<Void> append(ProfileRecord record, String key) {
    State s = state;
    try {
      return record.kind() == ProfileRecord.Kind.PUSH
          ? push(s, record, key)
          : ingest(s, record, key);
    } catch (Rejection e) {
      return Future.failedFuture(e.after(componentId));
    }
  }

  private Future<Void> push(State s, ProfileRecord record, String key) {
    if (s.relabeler().rules().isEmpty()) {
      int series = seriesCount(record.payload());
      for (int i = 0; i < series; i++) {
        metrics.processed();
        metrics.written();
      }
      return forward(s, record, key);
    }
    PushRequest request;
    try {
      request = PushRequests.parse(record.payload());
    } catch (InvalidProtocolBufferException e) {
      throw Rejection.invalidArgument("unmarshal message: " + e.getMessage());
    }
    // The kept series by tenant (null: single-tenant), in the order they came.
    Map<String, List<RawProfileSeries>> kept = new LinkedHashMap<>();
    boolean changed = false;
    for (RawProfileSeries series : request.getSeriesList()) {
      metrics.processed();
      SortedMap<String, String> labels = pushLabels(series.getLabelsList());
      SortedMap<String, String> relabelled =
          labels.isEmpty() ? labels : s.relabeler().relabel(labels);
      if (relabelled == null) {
        metrics.dropped();
        changed = true;
        continue;
      }
      metrics.written();
      String tenant = record.tenant();
      if (relabelled.containsKey(TENANT_LABEL)) {
        relabelled = new TreeMap<>(relabelled);
        tenant = tenant(relabelled.remove(TENANT_LABEL));
        changed = true;
      }
      List<RawProfileSeries> ofTenant = kept.computeIfAbsent(tenant, t -> new ArrayList<>());
      if (relabelled.equals(labels)) {
        ofTenant.add(series);
        continue;
      }
      changed = true;
      List<LabelPair> pairs = new ArrayList<>(relabelled.size());
      relabelled.forEach(
          (name, value) -> pairs.add(LabelPair.newBuilder().setName(name).setValue(value).build()));
      if (series.getSamplesCount() > 0) {
        SeriesLabels.validate(pairs);
      }
      ofTenant.add(series.toBuilder().clearLabels().addAllLabels(pairs).build());
    }
    if (!changed) {
      return forward(s, record, key);
    }
    List<Future<Void>> forwarded = new ArrayList<>(kept.size());
    kept.forEach(
        (tenant, series) -> {
          byte[] bytes =
              request.toBuilder().clearSeries().addAllSeries(series).build().toByteArray();
          String service = SeriesLabels.value(series.get(0).getLabelsList(), SERVICE_NAME);
          forwarded.add(
              forward(
                  s,
                  new ProfileRecord(
                      record.kind(),
                      tenant,
                      record.contentType(),
                      null,
                      record.query(),
                      record.receivedAtMillis(),
                      bytes),
                  RecordCodec.key(tenant, service)));
        });
    return Future.all(forwarded).mapEmpty();
  }

  private Future<Void> ingest(State s, ProfileRecord record, String key) {
    metrics.processed();
    String query = record.query();
    SortedMap<String, String> labels = ingestLabels(Url.queryGet(query, "name"));
    SortedMap<String, String> relabelled =
        labels.isEmpty() ? labels : s.relabeler().relabel(labels);
    if (relabelled == null) {
      metrics.dropped();
      return Future.succeededFuture();
    }
    metrics.written();
    String tenant = record.tenant();
    if (relabelled.containsKey(TENANT_LABEL)) {
      relabelled = new TreeMap<>(relabelled);
      tenant = tenant(relabelled.remove(TENANT_LABEL));
    } else if (relabelled.equals(labels)) {
      return forward(s, record, key);
    }
    String name = LabelSet.normalized(relabelled);
    IngestName parsed = IngestName.parse(name, Url.queryGet(query, "spyName"));
    parsed.checkSeriesLabels(IngestDecoder.format(query, record.contentType()));
    return forward(
        s,
        new ProfileRecord(
            record.kind(),
            tenant,
            record.contentType(),
            record.contentEncoding(),
            IngestQuery.withName(query, name),
            record.receivedAtMillis(),
            record.payload()),
        RecordCodec.key(tenant, parsed.serviceName()));
  }

  private static Future<Void> forward(State s, ProfileRecord record, String key) {
    List<Future<Void>> appends = new ArrayList<>(s.targets().size());
    for (ProfileReceiver target : s.targets()) {
      appends.add(target.append(record, key));
    }
    return Future.all(appends).mapEmpty();
  }

  /**
   * The tenant a {@code __tenant_id__} label sets, checked as ingest checks an X-Scope-OrgID.
   *
   * @throws Rejection 400 invalid_argument when a multi-tenant Pyroscope would refuse it
   */
  private static String tenant(String value) {
    String problem = TenantIds.problem(value);
    if (problem != null) {
      throw Rejection.invalidArgument(
          Rejection.Reason.TENANT, TENANT_LABEL + " " + Strconv.quote(value) + ": " + problem);
    }
    return value;
  }

  /**
   * A pushed series' labels as Alloy's receive_http builds them: each label set in turn (the last
   * of a name wins, an empty value deletes), then {@code ensureServiceName}.
   */
  static SortedMap<String, String> pushLabels(List<LabelPair> pairs) {
    SortedMap<String, String> labels = new TreeMap<>();
    for (LabelPair p : pairs) {
      set(labels, p.getName(), p.getValue());
    }
    return ensureServiceName(labels);
  }

  /**
   * The labels of an /ingest {@code name} as Alloy's receive_http builds them (every label, {@code
   * __name__} the application name), then {@code ensureServiceName}.
   */
  static SortedMap<String, String> ingestLabels(String name) {
    SortedMap<String, String> labels = new TreeMap<>();
    try {
      labels.putAll(LabelSet.parse(name).labels());
    } catch (LabelSet.InvalidNameException e) {
      throw Rejection.invalidArgument("name: " + e.getMessage());
    }
    return ensureServiceName(labels);
  }

  /**
   * Alloy's {@code ensureServiceName}: {@code service_name} = {@code __name__} when there is no
   * {@code service_name}, else {@code app_name} = {@code __name__}.
   */
  private static SortedMap<String, String> ensureServiceName(SortedMap<String, String> labels) {
    String name = labels.getOrDefault(LabelSet.NAME_LABEL, "");
    set(labels, labels.containsKey(SERVICE_NAME) ? APP_NAME : SERVICE_NAME, name);
    return labels;
  }

  /** Prometheus' {@code Builder.Set}: an empty value deletes. */
  private static void set(Map<String, String> labels, String name, String value) {
    if (value.isEmpty()) {
      labels.remove(name);
    } else {
      labels.put(name, value);
    }
  }

  /** How many series a serialized PushRequest holds, without parsing them. */
  private static int seriesCount(byte[] payload) {
    CodedInputStream in = CodedInputStream.newInstance(payload);
    int count = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == PUSH_SERIES_FIELD) {
          count++;
        }
        in.skipField(tag);
      }
    } catch (IOException e) {
      throw Rejection.invalidArgument("unmarshal message: " + e.getMessage());
    }
    return count;
  }
}
