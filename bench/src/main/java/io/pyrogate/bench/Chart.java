package io.pyrogate.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A latency-vs-offered-rate line chart drawn with java.awt (headless), log scale on the latency
 * axis.
 */
final class Chart {
  record Series(String name, Color color, double[] values) {}

  private Chart() {}

  static void latency(
      Path file, String title, List<String> xLabels, List<Series> series, double goalMs)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 900;
    int h = 560;
    int left = 80;
    int right = 180;
    int top = 50;
    int bottom = 70;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    double min = Double.MAX_VALUE;
    double max = goalMs;
    for (Series s : series) {
      for (double v : s.values()) {
        if (v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (min == Double.MAX_VALUE) {
      min = 1;
    }
    double lo = Math.pow(10, Math.floor(Math.log10(min)));
    double hi = Math.pow(10, Math.ceil(Math.log10(max)));
    if (hi <= lo) {
      hi = lo * 10;
    }
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // Grid and y labels: one line per power of ten, light lines at 2 and 5.
    for (double d = lo; d <= hi * 1.0001; d *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        double v = d * m;
        if (v > hi * 1.0001) {
          break;
        }
        int y = yOf(v, lo, hi, top, ph);
        g.setColor(m == 1 ? new Color(200, 200, 200) : new Color(235, 235, 235));
        g.drawLine(left, y, left + pw, y);
        g.setColor(Color.DARK_GRAY);
        g.drawString(format(v) + " ms", 10, y + 4);
      }
    }
    int n = xLabels.size();
    for (int i = 0; i < n; i++) {
      int x = xOf(i, n, left, pw);
      g.setColor(new Color(235, 235, 235));
      g.drawLine(x, top, x, top + ph);
      g.setColor(Color.DARK_GRAY);
      String label = xLabels.get(i);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + ph + 20);
    }
    g.drawString(
        "offered rate (req/s); \"max\" = closed loop, as fast as answered", left, top + ph + 45);
    g.setColor(Color.BLACK);
    g.drawRect(left, top, pw, ph);
    // Goal line.
    int gy = yOf(goalMs, lo, hi, top, ph);
    g.setColor(new Color(200, 0, 0));
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
    g.drawLine(left, gy, left + pw, gy);
    g.drawString("p99 goal " + format(goalMs) + " ms", left + 8, gy - 6);
    int legendY = top + 10;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2.5f));
      int px = -1;
      int py = -1;
      for (int i = 0; i < s.values().length && i < n; i++) {
        double v = s.values()[i];
        if (!(v > 0)) {
          px = -1;
          continue;
        }
        int x = xOf(i, n, left, pw);
        int y = yOf(v, lo, hi, top, ph);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(left + pw + 10, legendY + 20, 14, 4);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), left + pw + 30, legendY + 26);
      legendY += 20;
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static int xOf(int i, int n, int left, int pw) {
    return n == 1 ? left + pw / 2 : left + 30 + (int) ((pw - 60) * (double) i / (n - 1));
  }

  private static int yOf(double v, double lo, double hi, int top, int ph) {
    double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    return top + ph - (int) Math.round(f * ph);
  }

  private static String format(double v) {
    return v >= 1 ? String.valueOf((long) Math.round(v)) : String.valueOf(v);
  }
}
