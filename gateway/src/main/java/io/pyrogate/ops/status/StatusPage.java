package io.pyrogate.ops.status;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Renders the status page: HTML for people, on a phone too, with everything inline (no external
 * asset, so it works offline). Each value is rendered from the {@code /api/status} JSON by a path
 * and a format ({@code data-k}, {@code data-f}); the page's small script fetches the JSON every
 * {@value #REFRESH_MS} ms and formats the same paths the same way, and loads the page again when
 * the components changed (a reload) or, in cluster mode, the members did.
 */
final class StatusPage {
  static final int REFRESH_MS = 2_000;
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final JsonObject s;
  private final long now;
  private final StringBuilder out = new StringBuilder(16 * 1024);

  private StatusPage(JsonObject status) {
    this.s = status;
    this.now = status.getLong("generatedAt");
  }

  /** The page for the status in {@code json} (as {@link StatusJson} encodes it). */
  static String render(String json) {
    return new StatusPage(new JsonObject(json)).page();
  }

  private String page() {
    out.append(
            """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>pyrogate status</title>
        <style>
        """)
        .append(CSS)
        .append("</style></head><body>\n<header><h1>pyrogate</h1><p>");
    value("version", "text");
    out.append(" · up ");
    value("uptimeSeconds", "age");
    out.append(" · ");
    value("notReady", "ready");
    out.append(" · <span id=\"refreshed\">rendered ");
    out.append(CLOCK.format(Instant.ofEpochMilli(now))).append(" UTC</span></p></header>\n");
    pipeline();
    endpoints();
    cluster();
    receivers();
    kafkaAndConfig();
    out.append(
        "<footer>JSON: <a href=\"api/status\">/api/status</a> · <a href=\"api/cluster\">/api/cluster</a>"
            + " · <a href=\"metrics\">/metrics</a>"
            + " · <a href=\"-/ready\">/-/ready</a> · <a href=\"-/healthy\">/-/healthy</a></footer>\n");
    out.append("<script>\nconst WIRING = ")
        .append(new JsonArray().add(s.getString("wiring")).encode().replace("</", "<\\/"))
        .append("[0];\nconst REFRESH_MS = ")
        .append(REFRESH_MS)
        .append(";\n")
        .append(SCRIPT)
        .append("</script>\n</body></html>\n");
    return out.toString();
  }

  private void pipeline() {
    out.append("<section><h2>Pipeline</h2><div class=\"flow\">\n");
    JsonArray writes = s.getJsonArray("writes");
    JsonArray receivers = s.getJsonArray("receivers");
    for (int w = 0; w < writes.size(); w++) {
      JsonObject write = writes.getJsonObject(w);
      out.append("<div class=\"lane\"><div class=\"col\">");
      boolean any = false;
      for (int r = 0; r < receivers.size(); r++) {
        JsonObject receiver = receivers.getJsonObject(r);
        if (receiver.getJsonArray("forwardTo").contains(write.getString("component"))) {
          out.append("<div class=\"box\">")
              .append(esc(receiver.getString("component")))
              .append("</div>");
          any = true;
        }
      }
      if (!any) {
        out.append("<div class=\"box muted\">no receiver</div>");
      }
      out.append("</div><div class=\"arrow\">→</div><div class=\"col\"><div class=\"box\">")
          .append(esc(write.getString("component")))
          .append("<small>")
          .append(esc(write.getString("topic")))
          .append("</small></div></div><div class=\"arrow\">→</div><div class=\"col\">");
      JsonArray eps = write.getJsonArray("endpoints");
      for (int e = 0; e < eps.size(); e++) {
        String at = "writes." + w + ".endpoints." + e;
        out.append("<div class=\"box\">")
            .append(esc(eps.getJsonObject(e).getString("name")))
            .append(' ');
        value(at + ".state", "state");
        out.append("</div>");
      }
      out.append("</div></div>\n");
    }
    out.append("</div></section>\n");
  }

  private void endpoints() {
    out.append("<section><h2>Endpoints</h2>\n");
    JsonArray writes = s.getJsonArray("writes");
    for (int w = 0; w < writes.size(); w++) {
      JsonObject write = writes.getJsonObject(w);
      out.append("<h3>")
          .append(esc(write.getString("component")))
          .append(" <small>topic ")
          .append(esc(write.getString("topic")))
          .append("</small></h3><div class=\"cards\">\n");
      JsonArray eps = write.getJsonArray("endpoints");
      for (int e = 0; e < eps.size(); e++) {
        JsonObject ep = eps.getJsonObject(e);
        String at = "writes." + w + ".endpoints." + e;
        out.append("<article class=\"card endpoint\" data-endpoint=\"")
            .append(esc(ep.getString("name")))
            .append("\"><h4>")
            .append(esc(ep.getString("name")))
            .append(' ');
        value(at + ".state", "state");
        out.append("</h4><p class=\"url\">").append(esc(ep.getString("url"))).append("</p><dl>");
        row(
            "Sent",
            at + ".profilesPerSecond",
            "rate",
            " profiles · ",
            at + ".bytesPerSecond",
            "byterate",
            "",
            at,
            "budget");
        row("Lag", at + ".lagRecords", "count", " records · ≈ ", at + ".lagBytesEstimate", "bytes");
        row(
            "Oldest undelivered",
            at + ".oldestUndeliveredSeconds",
            "age",
            " · topic retention ",
            "writes." + w + ".retentionSeconds",
            "retention");
        row("Last success", at + ".lastSuccess", "time");
        out.append("<dt>Last error</dt><dd>");
        value(at + ".lastErrorStatus", "status");
        out.append(' ');
        value(at + ".lastErrorAt", "opttime");
        out.append("<br><span class=\"err\">");
        value(at + ".lastError", "opt");
        out.append("</span></dd>");
        row("Next attempt", at + ".nextAttempt", "next");
        row("Retries", at + ".retriesPerSecond", "rate");
        row(
            "Dead-lettered",
            at + ".deadLettered",
            "count",
            " · top reasons: ",
            at + ".deadLetterReasons",
            "reasons");
        out.append("</dl></article>\n");
      }
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  /**
   * In cluster mode: each member with the state, rate and partitions of its endpoints, as {@code
   * /api/cluster} tells them.
   */
  private void cluster() {
    JsonObject cluster = s.getJsonObject("cluster");
    if (cluster == null) {
      return;
    }
    JsonArray members = cluster.getJsonArray("members");
    out.append("<section><h2>Cluster <small>")
        .append(esc(String.valueOf(cluster.getString("cluster"))))
        .append(" · ")
        .append(members.size())
        .append(members.size() == 1 ? " member" : " members")
        .append("</small></h2><div class=\"cards\">\n");
    for (int m = 0; m < members.size(); m++) {
      JsonObject member = members.getJsonObject(m);
      String at = "cluster.members." + m;
      out.append("<article class=\"card member\"><h4>")
          .append(esc(String.valueOf(member.getString("nodeName"))))
          .append(member.getBoolean("self", false) ? " <small>this member</small>" : "")
          .append("</h4><p class=\"url\">")
          .append(esc(String.valueOf(member.getString("address"))))
          .append("</p><dl>");
      row("Up since", at + ".upSince", "time");
      row("Does for all", at + ".singletons", "list");
      JsonArray eps = member.getJsonArray("endpoints");
      for (int e = 0; e < eps.size(); e++) {
        JsonObject ep = eps.getJsonObject(e);
        String epAt = at + ".endpoints." + e;
        out.append("<dt>")
            .append(esc(ep.getString("write") + " " + ep.getString("endpoint")))
            .append("</dt><dd>");
        value(epAt + ".state", "state");
        out.append(' ');
        value(epAt + ".profilesPerSecond", "rate");
        out.append(" profiles · partitions ");
        value(epAt + ".partitions", "list");
        out.append("</dd>");
      }
      out.append("</dl></article>\n");
    }
    out.append("</div></section>\n");
  }

  private void receivers() {
    out.append("<section><h2>Receivers</h2><p>In flight to Kafka (all receivers): ");
    value("ingest", "inflight");
    out.append("</p><div class=\"cards\">\n");
    JsonArray receivers = s.getJsonArray("receivers");
    for (int r = 0; r < receivers.size(); r++) {
      JsonObject receiver = receivers.getJsonObject(r);
      String at = "receivers." + r;
      out.append("<article class=\"card\"><h4>")
          .append(esc(receiver.getString("component")))
          .append("</h4><p class=\"url\">")
          .append(esc(receiver.getString("listen")))
          .append(" → ")
          .append(
              esc(
                  String.join(
                      ", ",
                      receiver.getJsonArray("forwardTo").stream().map(String::valueOf).toList())))
          .append("</p><dl>");
      row("Requests/s by outcome", at + ".requestsPerSecond", "rates");
      row("Requests by outcome", at + ".requests", "counts");
      row("Rejections by reason", at + ".rejections", "counts");
      out.append("</dl></article>\n");
    }
    out.append("</div></section>\n");
  }

  private void kafkaAndConfig() {
    out.append("<section class=\"cards\"><article class=\"card\"><h2>Kafka</h2><dl>");
    row("Broker", "kafka.embedded", "embedded");
    row("Reachable", "kafka.reachable", "yesno", " ", "kafka.problem", "opt");
    row("Bootstrap servers", "kafka.brokers", "list");
    out.append("</dl></article><article class=\"card\"><h2>Configuration</h2><dl>");
    row("File", "config.file", "text");
    row("Runs", "config.summary", "text");
    row("Loaded", "config.loadedAt", "time");
    row("Last reload", "config.lastReload", "reload");
    out.append("</dl></article></section>\n");
  }

  /** A dt/dd row of one or two values, the second after {@code between}. */
  private void row(String label, String... parts) {
    out.append("<dt>").append(esc(label)).append("</dt><dd>");
    value(parts[0], parts[1]);
    for (int i = 2; i + 2 < parts.length; i += 3) {
      out.append(esc(parts[i]));
      value(parts[i + 1], parts[i + 2]);
    }
    out.append("</dd>");
  }

  private void value(String path, String format) {
    Object v = get(path);
    String css = format.equals("state") ? " class=\"state s-" + esc(String.valueOf(v)) + "\"" : "";
    out.append("<span data-k=\"")
        .append(esc(path))
        .append("\" data-f=\"")
        .append(format)
        .append('"')
        .append(css)
        .append('>')
        .append(esc(format(format, v, now)))
        .append("</span>");
  }

  private Object get(String path) {
    Object at = s;
    for (String k : path.split("\\.")) {
      if (at instanceof JsonObject o) {
        at = o.getValue(k);
      } else if (at instanceof JsonArray a) {
        at = a.getValue(Integer.parseInt(k));
      } else {
        return null;
      }
    }
    return at;
  }

  /** The value as the page shows it; the script's {@code F} does the same for each format. */
  static String format(String format, Object v, long now) {
    switch (format) {
      case "state":
        return v == null
            ? "unknown"
            : switch (v.toString()) {
              case "backing_off" -> "backing off";
              case "outage" -> "in outage";
              case "held" -> "held by the cluster";
              default -> v.toString();
            };
      case "ready":
        return v == null ? "ready" : "not ready: " + v;
      case "embedded":
        return Boolean.TRUE.equals(v) ? "embedded" : "external";
      case "yesno":
        return Boolean.TRUE.equals(v) ? "yes" : "no";
      case "list":
        return v instanceof JsonArray a && !a.isEmpty()
            ? String.join(", ", a.stream().map(String::valueOf).toList())
            : "none";
      case "status":
        return v == null ? "none" : ((Number) v).intValue() == 0 ? "no answer" : "HTTP " + v;
      default:
        break;
    }
    if (v == null) {
      return switch (format) {
        case "time" -> "never";
        case "next" -> "none";
        case "opt", "opttime" -> "";
        default -> "n/a";
      };
    }
    return switch (format) {
      case "rate" -> rate(((Number) v).doubleValue());
      case "byterate" -> bytes(((Number) v).doubleValue()) + "/s";
      case "bytes" -> bytes(((Number) v).doubleValue());
      case "count" -> String.format(Locale.ROOT, "%,d", Math.round(((Number) v).doubleValue()));
      case "age" -> age(((Number) v).doubleValue());
      case "retention" ->
          ((Number) v).doubleValue() < 0 ? "forever" : age(((Number) v).doubleValue());
      case "time", "next", "opttime" -> time(((Number) v).longValue(), now);
      case "rates" -> map((JsonObject) v, "none yet", x -> rate(x));
      case "counts" ->
          map((JsonObject) v, "none", x -> String.format(Locale.ROOT, "%,d", Math.round(x)));
      case "reasons" -> reasons((JsonArray) v);
      case "inflight" -> inflight((JsonObject) v);
      case "reload" -> reload((JsonObject) v, now);
      case "budget" -> budget((JsonObject) v);
      default -> v.toString();
    };
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, perSecond < 10 ? "%.2f/s" : "%.1f/s", perSecond);
  }

  private static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? Math.round(b) + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  private static String age(double seconds) {
    long t = Math.round(seconds);
    if (t < 60) {
      return t + "s";
    }
    if (t < 3600) {
      return t / 60 + "m " + t % 60 + "s";
    }
    if (t < 86400) {
      return t / 3600 + "h " + t % 3600 / 60 + "m";
    }
    return t / 86400 + "d " + t % 86400 / 3600 + "h";
  }

  private static String time(long at, long now) {
    long d = Math.round((now - at) / 1000.0);
    return CLOCK.format(Instant.ofEpochMilli(at))
        + " UTC ("
        + (d >= 0 ? age(d) + " ago" : "in " + age(-d))
        + ")";
  }

  private static String map(JsonObject o, String empty, DoubleFunction<String> f) {
    if (o.isEmpty()) {
      return empty;
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : o) {
      b.append(b.isEmpty() ? "" : ", ")
          .append(e.getKey())
          .append(": ")
          .append(f.apply(((Number) e.getValue()).doubleValue()));
    }
    return b.toString();
  }

  private static String reasons(JsonArray a) {
    if (a.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      JsonObject r = a.getJsonObject(i);
      b.append(i == 0 ? "" : "; ")
          .append(r.getLong("count"))
          .append(" × ")
          .append(r.getString("reason"));
    }
    return b.toString();
  }

  private static String inflight(JsonObject o) {
    Number used = (Number) o.getValue("inflightBytes");
    long cap = o.getLong("inflightCapBytes");
    double u = used == null ? 0 : used.doubleValue();
    return bytes(u) + " of " + bytes(cap) + String.format(Locale.ROOT, " (%.0f%%)", 100 * u / cap);
  }

  /**
   * An endpoint's send budget ({@code tenant_send_rate}) and how much it held requests over the
   * last rate window; nothing when the endpoint has none.
   */
  private static String budget(JsonObject endpoint) {
    Number rate = (Number) endpoint.getValue("tenantSendRateBytesPerSecond");
    if (rate == null) {
      return "";
    }
    Number held = (Number) endpoint.getValue("sendBudgetHeldSecondsPerSecond");
    return "send budget "
        + bytes(rate.doubleValue())
        + "/s per tenant"
        + (held == null
            ? ""
            : String.format(
                Locale.ROOT, " · held %.2f s/s by the send budget", held.doubleValue()));
  }

  private static String reload(JsonObject r, long now) {
    return (r.getBoolean("succeeded") ? "applied " : "failed ")
        + time(r.getLong("at"), now)
        + ": "
        + r.getString("result");
  }

  static String esc(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS =
      """
      :root{--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa}
      *{box-sizing:border-box}
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:12px;color:#1f2328;background:#fff;max-width:1400px}
      header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;border-bottom:1px solid var(--line)}
      h1{font-size:1.4em;margin:4px 0}h2{font-size:1.15em;margin:18px 0 8px}h3{font-size:1em;margin:12px 0 6px}h4{margin:0 0 4px;font-size:1em}
      header p{margin:4px 0;color:var(--muted)}
      small{color:var(--muted);font-weight:normal;display:block}h3 small{display:inline}
      .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:12px}
      .card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fff;min-width:0}
      .url{margin:0 0 6px;color:var(--muted);overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:.9em}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:0}
      dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere;min-width:0}
      .err{color:var(--bad);font-family:ui-monospace,monospace;font-size:.85em}
      .state{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85em;font-weight:600;color:#fff;background:var(--muted)}
      .s-delivering{background:var(--ok)}.s-backing_off,.s-paused,.s-held{background:var(--warn)}.s-outage{background:var(--bad)}
      .flow{display:flex;flex-direction:column;gap:8px}
      .lane{display:flex;align-items:center;gap:8px;flex-wrap:wrap;background:var(--bg);border-radius:8px;padding:8px}
      .col{display:flex;flex-direction:column;gap:4px;min-width:0}
      .box{border:1px solid var(--line);border-radius:6px;padding:4px 8px;background:#fff;overflow-wrap:anywhere}
      .muted{color:var(--muted)}.arrow{color:var(--muted);font-size:1.3em}
      footer{margin-top:20px;color:var(--muted);font-size:.9em}
      .stale #refreshed{color:var(--bad)}
      [data-f=budget]{display:block}
      @media (max-width:600px){body{padding:8px;font-size:14px}dl{grid-template-columns:1fr}dt{margin-top:4px}.lane{flex-direction:column;align-items:stretch}.arrow{transform:rotate(90deg);align-self:center}}
      """;

  private static final String SCRIPT =
      """
      const pad = n => String(n).padStart(2, '0');
      const clock = ms => { const d = new Date(ms); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()); };
      const rate = v => (v < 10 ? v.toFixed(2) : v.toFixed(1)) + '/s';
      const bytes = b => { const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; let i = 0; while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; } return i === 0 ? Math.round(b) + ' B' : b.toFixed(1) + ' ' + u[i]; };
      const count = v => Math.round(v).toLocaleString('en-US');
      const age = s => { const t = Math.round(s); if (t < 60) return t + 's'; if (t < 3600) return Math.floor(t / 60) + 'm ' + t % 60 + 's'; if (t < 86400) return Math.floor(t / 3600) + 'h ' + Math.floor(t % 3600 / 60) + 'm'; return Math.floor(t / 86400) + 'd ' + Math.floor(t % 86400 / 3600) + 'h'; };
      const time = (at, now) => { const d = Math.round((now - at) / 1000); return clock(at) + ' UTC (' + (d >= 0 ? age(d) + ' ago' : 'in ' + age(-d)) + ')'; };
      const map = (o, empty, f) => { const k = Object.keys(o); return k.length ? k.map(x => x + ': ' + f(o[x])).join(', ') : empty; };
      const F = {
        state: v => v == null ? 'unknown' : ({backing_off: 'backing off', outage: 'in outage', held: 'held by the cluster'})[v] || v,
        ready: v => v == null ? 'ready' : 'not ready: ' + v,
        embedded: v => v === true ? 'embedded' : 'external',
        yesno: v => v === true ? 'yes' : 'no',
        list: v => v && v.length ? v.join(', ') : 'none',
        status: v => v == null ? 'none' : v === 0 ? 'no answer' : 'HTTP ' + v,
        retention: v => v < 0 ? 'forever' : age(v),
        rate, byterate: v => bytes(v) + '/s', bytes, count, age, time, next: time, opttime: time,
        rates: v => map(v, 'none yet', rate), counts: v => map(v, 'none', count),
        reasons: v => v.length ? v.map(r => r.count + ' × ' + r.reason).join('; ') : 'none',
        inflight: v => { const u = v.inflightBytes || 0; return bytes(u) + ' of ' + bytes(v.inflightCapBytes) + ' (' + (100 * u / v.inflightCapBytes).toFixed(0) + '%)'; },
        reload: (v, now) => (v.succeeded ? 'applied ' : 'failed ') + time(v.at, now) + ': ' + v.result,
        budget: v => v.tenantSendRateBytesPerSecond == null ? '' : 'send budget ' + bytes(v.tenantSendRateBytesPerSecond) + '/s per tenant' + (v.sendBudgetHeldSecondsPerSecond == null ? '' : ' · held ' + v.sendBudgetHeldSecondsPerSecond.toFixed(2) + ' s/s by the send budget'),
        text: v => String(v),
      };
      const show = (f, v, now) => {
        if (['state', 'ready', 'embedded', 'yesno', 'list', 'status'].includes(f)) return F[f](v);
        if (v == null) return ({time: 'never', next: 'none', opt: '', opttime: ''})[f] ?? 'n/a';
        return (F[f] || F.text)(v, now);
      };
      const get = (o, path) => path.split('.').reduce((a, k) => a == null ? null : a[k], o);
      async function refresh() {
        try {
          const r = await fetch('api/status', {cache: 'no-store'});
          if (!r.ok) throw new Error('HTTP ' + r.status);
          const s = await r.json();
          if (s.wiring !== WIRING) { location.reload(); return; }
          document.querySelectorAll('[data-k]').forEach(e => {
            const v = get(s, e.dataset.k);
            e.textContent = show(e.dataset.f, v, s.generatedAt);
            if (e.dataset.f === 'state') e.className = 'state s-' + v;
          });
          document.getElementById('refreshed').textContent = 'updated ' + clock(s.generatedAt) + ' UTC';
          document.body.classList.remove('stale');
        } catch (e) {
          document.getElementById('refreshed').textContent = 'cannot refresh: ' + e.message;
          document.body.classList.add('stale');
        }
      }
      refresh();
      setInterval(refresh, REFRESH_MS);
      """;
}
